"""Start and stop from a notebook and from the command line; tccli end to end over HTTPS."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from tencentcloud.kms.v20190118 import models

import kmslab


def test_start_stop_frees_the_port_and_cleans_up():
    kms = kmslab.KMS(seed=1)
    handle = kms.serve(https=True, wall_clock=True)
    assert handle.running and handle.url.startswith("https://127.0.0.1:")
    assert Path(handle.cert_path).read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    client = handle.sdk_client()
    assert client.GetServiceStatus(models.GetServiceStatusRequest()).ServiceEnabled
    handle.stop()
    assert not handle.running
    assert not Path(handle.state_dir).exists()
    with pytest.raises(OSError):
        socket.create_connection((handle.host, handle.port), timeout=1)
    with socket.socket() as s:  # the port can be bound again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((handle.host, handle.port))


def test_https_refuses_an_untrusting_client(https_endpoint):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(https_endpoint.url, timeout=5)
    assert requests.get(https_endpoint.url, verify=https_endpoint.cert_path).status_code == 200


def test_two_endpoints_share_one_service(wire_kms, http_endpoint, https_endpoint):
    req = models.CreateKeyRequest()
    req.Alias = "shared-by-two"
    key_id = http_endpoint.sdk_client().CreateKey(req).KeyId
    d = models.DescribeKeyRequest()
    d.KeyId = key_id
    assert https_endpoint.sdk_client().DescribeKey(d).KeyMetadata.Alias == "shared-by-two"


def _tccli(env, *args):
    out = subprocess.run(
        ["tccli", "kms", *args], env=env, capture_output=True, text=True, timeout=60
    )
    return out.returncode, out.stdout, out.stderr


@pytest.mark.skipif(
    not any(Path(p, "tccli").exists() for p in os.get_exec_path()), reason="tccli is not installed"
)
def test_tccli_end_to_end_over_https(https_endpoint, wire_kms, tmp_path):
    https_endpoint.write_tccli_profile(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path), **https_endpoint.tccli_environment()}
    code, out, err = _tccli(env, "CreateKey", "--Alias", "from-tccli", "--Description", "cli")
    assert code == 0, err
    key_id = json.loads(out)["KeyId"]
    assert wire_kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "from-tccli"
    code, out, err = _tccli(env, "DescribeKeys", "--KeyIds", json.dumps([key_id]))
    assert code == 0 and json.loads(out)["KeyMetadatas"][0]["Description"] == "cli"
    code, out, err = _tccli(env, "Decrypt", "--CiphertextBlob", "garbage", "--language", "en-US")
    assert code != 0 and "InvalidParameterValue.InvalidCiphertext" in out + err


def test_kmslab_serve_command(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kmslab.cli",
            "serve",
            "--port",
            "0",
            "--seed",
            "7",
            "--path",
            str(tmp_path / "kms.sqlite"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("kmslab endpoint: http://127.0.0.1:"), lines
        url = lines[0].split()[2]
        cred = json.loads(Path(lines[1].split("key pair in ")[1].rstrip(")\n")).read_text())
        assert "SecretKey" not in "".join(lines)
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.kms.v20190118.kms_client import KmsClient

        endpoint = url.split("//")[1].rstrip("/")
        client = KmsClient(
            credential.Credential(cred["SecretId"], cred["SecretKey"]),
            "ap-guangzhou",
            ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=endpoint)),
        )
        assert client.GetRegions(models.GetRegionsRequest()).Regions
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
