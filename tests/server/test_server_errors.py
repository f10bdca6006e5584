"""Every protocol and authentication refusal is HTTP 200 with the documented code."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
import requests
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.kms.v20190118 import models
from wire_helpers import answer, error_code, hmac_params, tc3_headers

import kmslab
from kmslab import ApiKey
from kmslab.core.clock import VirtualClock


def _post(endpoint, key, action, body: bytes, **extra):
    headers = tc3_headers(key, endpoint.endpoint, action, body, **extra)
    return requests.post(endpoint.url, data=body, headers=headers, timeout=10)


@pytest.fixture(scope="module")
def key(wire_kms):
    return wire_kms.api_keys()[0]


def test_signed_raw_request_succeeds(http_endpoint, key):
    assert answer(_post(http_endpoint, key, "GetRegions", b"{}"))["Regions"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"X-TC-Version": "2017-03-12"}, "NoSuchVersion"),
        ({"X-TC-Action": "NoSuchAction"}, "InvalidAction"),
        ({"X-TC-Region": "xx-nowhere"}, "UnsupportedRegion"),
        ({"X-TC-Region": ""}, "MissingParameter"),
        ({"X-TC-Action": ""}, "MissingParameter"),
        ({"X-TC-Timestamp": ""}, "MissingParameter"),
        ({"Authorization": "TC3-HMAC-SHA256 nonsense"}, "AuthFailure.InvalidAuthorization"),
        ({"Authorization": "Basic abc"}, "AuthFailure.InvalidAuthorization"),
        ({"X-TC-Token": "not-mine"}, "AuthFailure.TokenFailure"),
    ],
)
def test_header_errors(http_endpoint, key, change, code):
    assert error_code(_post(http_endpoint, key, "GetRegions", b"{}", **change)) == code


def test_wrong_method_is_unsupported_protocol(http_endpoint):
    for verb in ("PUT", "DELETE", "PATCH"):
        assert error_code(requests.request(verb, http_endpoint.url, timeout=10)) == (
            "UnsupportedProtocol"
        )


def test_unsigned_request_is_missing_parameter(http_endpoint):
    assert error_code(requests.get(http_endpoint.url + "?Action=GetRegions")) == "MissingParameter"


def test_bad_signature(http_endpoint, key):
    wrong = ApiKey(key.uin, key.secret_id, "x" * 32)
    assert error_code(_post(http_endpoint, wrong, "GetRegions", b"{}")) == (
        "AuthFailure.SignatureFailure"
    )
    for signing in ("HmacSHA1", "HmacSHA256", "TC3-HMAC-SHA256"):
        client = http_endpoint.sdk_client(api_key=wrong, sign_method=signing)
        with pytest.raises(TencentCloudSDKException) as info:
            client.GetRegions(models.GetRegionsRequest())
        assert info.value.code == "AuthFailure.SignatureFailure"


def test_tampered_body_fails_signature(http_endpoint, key):
    headers = tc3_headers(key, http_endpoint.endpoint, "GenerateRandom", b'{"NumberOfBytes":8}')
    resp = requests.post(http_endpoint.url, data=b'{"NumberOfBytes":9}', headers=headers)
    assert error_code(resp) == "AuthFailure.SignatureFailure"


def test_unknown_secret_id(http_endpoint):
    stranger = ApiKey(1, "AKID" + "0" * 32, "k" * 32)
    assert error_code(_post(http_endpoint, stranger, "GetRegions", b"{}")) == (
        "AuthFailure.SecretIdNotFound"
    )
    p = hmac_params(stranger, http_endpoint.endpoint, "GetRegions", {})
    assert error_code(requests.post(http_endpoint.url, data=p)) == "AuthFailure.SecretIdNotFound"


@pytest.mark.parametrize("skew", [-301, 301, -10_000])
def test_expired_timestamp(http_endpoint, key, skew):
    ts = int(time.time()) + skew
    resp = _post(http_endpoint, key, "GetRegions", b"{}", ts=ts)
    assert error_code(resp) == "AuthFailure.SignatureExpire"
    p = hmac_params(key, http_endpoint.endpoint, "GetRegions", {}, ts=ts)
    assert error_code(requests.post(http_endpoint.url, data=p)) == "AuthFailure.SignatureExpire"


def test_window_can_follow_a_virtual_service_clock():
    """``wall_clock=False`` checks windows on the (virtual) service clock, so time travel
    expires requests exactly as a skewed client clock would."""
    clock = VirtualClock(time.time())
    kms = kmslab.KMS(clock=clock)
    with kms.serve(wall_clock=False) as endpoint:
        client = endpoint.sdk_client()
        assert client.GetRegions(models.GetRegionsRequest()).Regions
        clock.advance(seconds=400)
        with pytest.raises(TencentCloudSDKException) as info:
            client.GetRegions(models.GetRegionsRequest())
        assert info.value.code == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_replayed_nonce(http_endpoint, key, method):
    p = hmac_params(
        key,
        http_endpoint.endpoint,
        "GenerateRandom",
        {"NumberOfBytes": "4"},
        method=method,
        sm="HmacSHA256",
    )
    send = (
        (lambda: requests.get(http_endpoint.url, params=p))
        if method == "GET"
        else (lambda: requests.post(http_endpoint.url, data=p))
    )
    assert "Plaintext" in answer(send())
    assert error_code(send()) == "AuthFailure.SignatureFailure"


def test_temporary_token_failures():
    clock = VirtualClock(time.time())
    kms = kmslab.KMS(clock=clock)
    temp = kms.create_temporary_credential(duration=60)
    with kms.serve() as endpoint:
        for signing in ("TC3-HMAC-SHA256", "HmacSHA1"):
            ok = endpoint.sdk_client(api_key=temp, sign_method=signing)
            assert ok.GetRegions(models.GetRegionsRequest()).Regions
            for bad in (
                ApiKey(temp.uin, temp.secret_id, temp.secret_key, "wrong", temp.expires),
                ApiKey(temp.uin, temp.secret_id, temp.secret_key, "", temp.expires),
            ):
                client = endpoint.sdk_client(api_key=bad, sign_method=signing)
                with pytest.raises(TencentCloudSDKException) as info:
                    client.GetRegions(models.GetRegionsRequest())
                assert info.value.code == "AuthFailure.TokenFailure"
        clock.advance(seconds=61)  # expired token, timestamps still inside the window
        with pytest.raises(TencentCloudSDKException) as info:
            ok.GetRegions(models.GetRegionsRequest())
        assert info.value.code == "AuthFailure.TokenFailure"


def test_oversized_requests(http_endpoint, key):
    big_get = http_endpoint.url + "?" + urlencode({"Plaintext": "x" * (33 * 1024)})
    assert error_code(requests.get(big_get)) == "RequestSizeLimitExceeded"
    assert error_code(requests.get(http_endpoint.url + "?A=" + "x" * 70_000)) == (
        "RequestSizeLimitExceeded"
    )
    form = hmac_params(key, http_endpoint.endpoint, "GetRegions", {"Pad": "x" * (1024 * 1024)})
    assert error_code(requests.post(http_endpoint.url, data=form)) == "RequestSizeLimitExceeded"
    body = b'{"Pad":"' + b"x" * (10 * 1024 * 1024) + b'"}'
    assert error_code(_post(http_endpoint, key, "GetRegions", body)) == "RequestSizeLimitExceeded"
    # between the two POST limits, TC3 is accepted (and then refuses the unknown field)
    body = b'{"Pad":"' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert error_code(_post(http_endpoint, key, "GetRegions", body)) == "UnknownParameter"


@pytest.mark.parametrize(
    "body", [b"{", b"[1,2]", b'"text"', b"\xff\xfe", b'{"NumberOfBytes": 8', b"nul"]
)
def test_malformed_json(http_endpoint, key, body):
    assert error_code(_post(http_endpoint, key, "GenerateRandom", body)) == "InvalidParameter"


def test_wrong_types(http_endpoint, key):
    body = json.dumps({"NumberOfBytes": "eight"}).encode()
    assert error_code(_post(http_endpoint, key, "GenerateRandom", body)) == "InvalidParameter"
    p = hmac_params(
        key, http_endpoint.endpoint, "GenerateRandom", {"NumberOfBytes": "eight"}, method="GET"
    )
    assert error_code(requests.get(http_endpoint.url, params=p)) == "InvalidParameter"
    query = "NumberOfBytes=1.5"
    headers = tc3_headers(
        key, http_endpoint.endpoint, "GenerateRandom", b"", method="GET", query=query
    )
    resp = requests.get(http_endpoint.url + "?" + query, headers=headers)
    assert error_code(resp) == "InvalidParameter"


@pytest.mark.parametrize(
    ("language", "fragment"),
    [("en-US", "does not exist"), ("zh-CN", "接口版本"), (None, "接口版本")],
)
def test_message_language(http_endpoint, key, language, fragment):
    extra = {"X-TC-Version": "1999-01-01"}
    if language:
        extra["X-TC-Language"] = language
    body = answer(_post(http_endpoint, key, "GetRegions", b"{}", **extra))
    assert fragment in body["Error"]["Message"]


def test_form_language_parameter(http_endpoint, key):
    p = hmac_params(key, http_endpoint.endpoint, "NoSuchAction", {"Language": "en-US"})
    body = answer(requests.post(http_endpoint.url, data=p))
    assert body["Error"]["Code"] == "InvalidAction"
    assert body["Error"]["Message"].isascii()


def test_multipart_body(http_endpoint, key):
    from tencentcloud.common import credential
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(
        httpProfile=HttpProfile(protocol="http", endpoint=http_endpoint.endpoint)
    )
    client = CommonClient(
        "kms",
        "2019-01-18",
        credential.Credential(key.secret_id, key.secret_key),
        "ap-guangzhou",
        profile,
    )
    out = client.call_json("GenerateRandom", {"NumberOfBytes": "12"}, options={"IsMultipart": True})
    assert out["Response"]["Plaintext"]
    key_id = client.call_json("CreateKey", {"Alias": "multi"})["Response"]["KeyId"]
    out = client.call_json("DescribeKeys", {"KeyIds": [key_id]}, options={"IsMultipart": True})
    assert out["Response"]["KeyMetadatas"][0]["KeyId"] == key_id
