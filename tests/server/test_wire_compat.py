"""Compatibility with what real clients send (issue 9, items 6-8): the TC3 scope service
other SDKs derive from the endpoint, seeded services, ``HsmClusterId="default"``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
import requests
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.kms.v20190118 import models
from wire_helpers import answer, error_code, tc3_headers

import kmslab
from kmslab.actions.errors import KMSError
from kmslab.server import auth
from kmslab.server.cli import service_seed
from kmslab.server.runner import running


@pytest.fixture(scope="module")
def key(wire_kms):
    return wire_kms.api_keys()[0]


# -- 6. the credential scope's service --------------------------------------------------


@pytest.mark.parametrize(
    ("host", "services"),
    [
        ("127.0.0.1:8080", ("kms", "127")),
        ("localhost:8080", ("kms", "localhost:8080")),
        ("kms.tencentcloudapi.com", ("kms",)),
        ("kms.ap-guangzhou.tencentcloudapi.com", ("kms",)),
        ("[::1]:8443", ("kms", "[::1]:8443")),
        ("", ("kms",)),
        ("a" * 128 + ":1", ("kms",)),  # longer than a scope service may be: not cached
        ("a" * 126 + ":1", ("kms", "a" * 126 + ":1")),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_scope_services(host, services):
    assert auth.scope_services(host) == services


@pytest.mark.parametrize("service", ["kms", "first-label"])
def test_tc3_scope_service_as_node_java_php_dotnet_send_it(http_endpoint, key, service):
    host = http_endpoint.endpoint
    if service == "first-label":
        service = host.split(".")[0]  # "127"
    headers = tc3_headers(key, host, "GetRegions", b"{}", service=service)
    assert answer(requests.post(http_endpoint.url, data=b"{}", headers=headers))["Regions"]


def test_tc3_scope_of_localhost_is_the_whole_host(http_endpoint, key):
    host = f"localhost:{http_endpoint.port}"
    headers = tc3_headers(key, host, "GetRegions", b"{}", service=host)
    resp = requests.post(f"http://{host}/", data=b"{}", headers=headers, timeout=10)
    assert answer(resp)["Regions"]


@pytest.mark.parametrize("service", ["cvm", "128", "kms2", "0.0.1:1", ""])
def test_tc3_scope_with_another_service_is_refused(http_endpoint, key, service):
    headers = tc3_headers(key, http_endpoint.endpoint, "GetRegions", b"{}", service=service)
    code = error_code(requests.post(http_endpoint.url, data=b"{}", headers=headers))
    expected = "AuthFailure.InvalidAuthorization" if not service else "AuthFailure.SignatureFailure"
    assert code == expected


@pytest.mark.parametrize(
    ("signed_host", "ok"),
    [("127.0.0.1", True), ("127.0.0.2", False), ("127.0.0.1:1", False), ("", False)],
)
def test_tc3_host_signed_without_its_port(http_endpoint, key, signed_host, ok):
    """The Node.js SDK signs ``host:127.0.0.1`` and sends ``Host: 127.0.0.1:PORT``."""
    headers = tc3_headers(key, signed_host, "GetRegions", b"{}", service="127")
    headers["Host"] = http_endpoint.endpoint
    resp = requests.post(http_endpoint.url, data=b"{}", headers=headers, timeout=10)
    if ok:
        assert answer(resp)["Regions"]
    else:
        assert error_code(resp) == "AuthFailure.SignatureFailure"


def test_tc3_scope_is_verified_as_sent(http_endpoint, key):
    """A signature made with service ``kms`` but a scope naming ``127`` fails."""
    host = http_endpoint.endpoint
    headers = tc3_headers(key, host, "GetRegions", b"{}")
    headers["Authorization"] = headers["Authorization"].replace("/kms/", "/127/")
    code = error_code(requests.post(http_endpoint.url, data=b"{}", headers=headers))
    assert code == "AuthFailure.SignatureFailure"


# -- 7. a seeded service and the official SDK ------------------------------------------


@pytest.mark.parametrize("sign_method", ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"])
def test_seeded_service_works_with_the_official_sdk(sign_method):
    kms = kmslab.KMS(seed=1)
    client = kms.sdk_client(sign_method=sign_method)
    try:
        req = models.CreateKeyRequest()
        req.Alias = "seeded"
        key_id = client.CreateKey(req).KeyId
        assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "seeded"
        kms.clock.advance(days=3)  # time travel does not expire the SDK's requests
        assert client.GetRegions(models.GetRegionsRequest()).Regions
    finally:
        running(kms).stop()


def test_seeded_service_temporary_credentials_expire_in_service_time():
    kms = kmslab.KMS(seed=2)
    temp = kms.create_temporary_credential(duration=600)
    with kms.serve() as endpoint:
        client = endpoint.sdk_client(api_key=temp)
        assert client.GetRegions(models.GetRegionsRequest()).Regions
        kms.clock.advance(seconds=601)
        with pytest.raises(TencentCloudSDKException) as info:
            client.GetRegions(models.GetRegionsRequest())
        assert info.value.code == "AuthFailure.TokenFailure"


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("-3", -3), ("abc", "abc"), (None, None)])
def test_service_seed(text, value):
    assert service_seed(text) == value


def test_kmslab_serve_seed_is_the_same_service_as_kms_seed():
    proc = subprocess.Popen(
        [sys.executable, "-m", "kmslab.cli", "serve", "--port", "0", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        served = lines[1].split()[1]
        assert served == kmslab.KMS(seed=1).api_keys()[0].secret_id, lines
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0


# -- 8. HsmClusterId "default" -----------------------------------------------------------


def test_list_key_detail_default_cluster_lists_every_key(http_endpoint, wire_kms, key):
    wire_kms.CreateKey(Alias="in-default-cluster")
    everything = wire_kms.ListKeyDetail(Limit=200)
    shared = wire_kms.ListKeyDetail(Limit=200, HsmClusterId="default")
    assert shared["TotalCount"] == everything["TotalCount"] > 0
    assert [k["KeyId"] for k in shared["KeyMetadatas"]] == [
        k["KeyId"] for k in everything["KeyMetadatas"]
    ]
    body = json.dumps({"HsmClusterId": "default", "Limit": 200}).encode()
    headers = tc3_headers(key, http_endpoint.endpoint, "ListKeyDetail", body)
    wire = answer(requests.post(http_endpoint.url, data=body, headers=headers))
    assert wire["TotalCount"] == everything["TotalCount"]


@pytest.mark.parametrize("cluster", ["cls-hsm-3dflmo9g", "Default", "default "])
def test_other_clusters_are_still_refused(wire_kms, cluster):
    with pytest.raises(KMSError) as info:
        wire_kms.ListKeyDetail(HsmClusterId=cluster)
    assert info.value.code == "InvalidParameterValue.InvalidHsmClusterId"
