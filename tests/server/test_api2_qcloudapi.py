"""Tencent's own generic API 2.0 SDK (``qcloudapi-sdk-python``, Apache-2.0) against the
legacy endpoint over HTTPS, unchanged: ``QcloudApi.modules.base.Base`` signs exactly as
the KMS SDKs do (issue 16, item 6). Only the CA it trusts is set, through OpenSSL's
``SSL_CERT_FILE``, as for any program on a machine with a private CA."""

from __future__ import annotations

import base64
import json
import time
import uuid
import warnings

import pytest

with warnings.catch_warnings():  # the SDK turns every warning off at import time
    from QcloudApi.modules.base import Base


@pytest.fixture
def sdk(wire_kms, https_endpoint, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", https_endpoint.cert_path)
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    key = wire_kms.api_keys()[0]

    def make(method: str, sign_method: str = "HmacSHA1", **config) -> Base:
        return Base(
            {
                "secretId": key.secret_id,
                "secretKey": key.secret_key,
                "endpoint": https_endpoint.endpoint,
                "method": method,
                "SignatureMethod": sign_method,
                **config,
            }
        )

    return make


def _call(client: Base, action: str, **params) -> dict:
    answer = json.loads(client.call(action, params))
    assert isinstance(answer["code"], int) and answer["requestId"]
    return answer


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("sign_method", ["HmacSHA1", "HmacSHA256"])
def test_every_action_through_the_generic_sdk(sdk, method, sign_method):
    client = sdk(method, sign_method)
    alias = f"qc-{uuid.uuid4().hex[:10]}"
    created = _call(client, "CreateKey", alias=alias, description="@generic sdk")
    assert created["code"] == 0, created
    meta = created["keyMetadata"]
    assert meta["description"] == "@generic sdk"  # the @ rule: left out of the POST signature
    key_id = meta["keyId"]
    assert _call(client, "GetKeyAttributes", keyId=key_id)["keyMetadata"]["alias"] == alias
    assert _call(client, "SetKeyAttributes", keyId=key_id, alias=alias + "x")["code"] == 0
    total = _call(client, "ListKey", limit=1)["totalCount"]
    pages = [_call(client, "ListKey", offset=at, limit=200)["keys"] for at in range(0, total, 200)]
    assert key_id in [k["keyId"] for page in pages for k in page]
    blob = _call(client, "Encrypt", keyId=key_id, plaintext=base64.b64encode(b"qc").decode())
    plain = _call(client, "Decrypt", ciphertextBlob=blob["ciphertextBlob"])
    assert base64.b64decode(plain["plaintext"]) == b"qc"
    dk = _call(client, "GenerateDataKey", keyId=key_id, numberOfBytes=24)
    assert len(base64.b64decode(dk["plaintext"])) == 24
    assert _call(client, "DisableKey", keyId=key_id)["code"] == 0
    assert _call(client, "EnableKey", keyId=key_id)["code"] == 0
    assert _call(client, "DisableKey", keyId=key_id)["code"] == 0
    assert _call(client, "ScheduleKeyDeletion", keyId=key_id, pendingWindowInDays=7)["code"] == 0
    assert _call(client, "CancelKeyDeletion", keyId=key_id)["code"] == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_documented_errors_through_the_generic_sdk(sdk, wire_kms, method):
    client = sdk(method, Region="gz", Version="2017-03-12")  # signed and ignored
    assert _call(client, "GetKeyAttributes", keyId=str(uuid.uuid4()))["code"] == 5000
    assert _call(client, "CreateKey", alias="")["code"] == 4000
    assert _call(client, "NoSuchThing")["code"] == 4000
    wrong = sdk(method)
    wrong.secretKey = "not-the-secret"
    assert _call(wrong, "ListKey")["code"] == 4100
    stranger = sdk(method)
    stranger.secretId = "AKIDstranger"
    assert _call(stranger, "ListKey")["code"] == 4104


def test_replayed_generic_sdk_request_is_4500(sdk):
    client = sdk("POST")
    fixed = {"Nonce": 424242, "Timestamp": int(time.time())}
    assert _call(client, "ListKey", **fixed)["code"] == 0
    assert _call(client, "ListKey", **fixed)["code"] == 4500


def test_temporary_credentials_with_token(sdk, wire_kms):
    temp = wire_kms.create_temporary_credential(duration=600)
    client = sdk("POST", Token=temp.token)
    client.secretId, client.secretKey = temp.secret_id, temp.secret_key
    assert _call(client, "ListKey")["code"] == 0


def test_the_sdk_really_checks_the_certificate(sdk, monkeypatch, tmp_path):
    from QcloudApi.common.api_exception import ApiClientNetworkException

    other = tmp_path / "empty.pem"
    other.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    with pytest.raises(ApiClientNetworkException, match="CERTIFICATE_VERIFY_FAILED"):
        sdk("POST").call("ListKey", {})
