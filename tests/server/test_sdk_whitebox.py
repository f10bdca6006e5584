"""The official tencentcloud-sdk-python KmsClient drives the 13 white-box actions over the
wire (every signing method on POST and GET over HTTP, and HTTPS), each response checked
against the SDK's own models: every model field filled, no field the model does not know.
The ciphertext is decrypted offline with the downloaded SDK, and checked with
``cryptography`` against the real key."""

from __future__ import annotations

import base64
import json
import warnings

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.kms.v20190118 import models

from kmslab.whitebox import DEVICE_NOT_BOUND, FINGERPRINT_ENV, WhiteBoxError, decrypt

COMBOS = [
    ("http", s, m) for s in ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256") for m in ("POST", "GET")
]
COMBOS.append(("https", "TC3-HMAC-SHA256", "POST"))
FP_A = "0123abcd-00112233445566-778899aabbccdd-eeff0011223344-5566778899aabbcc"
FP_B = "fedcba98-66554433221100-ddccbbaa998877-44332211ffeedd-ccbbaa9988776655"
PLAIN = "über den Draht: 白盒".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def no_nulls(value, where: str) -> None:
    """Every field of every model in the response is filled."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert v is not None, f"{where}.{k} is missing from the response"
            no_nulls(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            no_nulls(v, f"{where}[{i}]")


def call(client, action: str, **params) -> dict:
    """One SDK call through the generated models, its response validated against them."""
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = getattr(client, action)(request)
    useless = [str(w.message) for w in caught if "useless" in str(w.message)]
    assert not useless, f"{action}: fields the SDK model does not know: {useless}"
    out = json.loads(response.to_json_string())
    assert out.pop("RequestId")
    no_nulls(out, action)
    return out


@pytest.fixture
def client_for(wire_kms, http_endpoint, https_endpoint):
    """An SDK client of a fresh account (each has its own 50-key quota)."""

    def make(scheme: str, signing: str, method: str):
        account = wire_kms.create_account("wb-wire")
        endpoint = http_endpoint if scheme == "http" else https_endpoint
        client = endpoint.sdk_client(api_key=account, sign_method=signing, method=method)
        return client, wire_kms.as_account(account.uin)

    return make


@pytest.mark.parametrize(("scheme", "signing", "method"), COMBOS)
def test_every_white_box_action_over_the_wire(client_for, wire_kms, scheme, signing, method):
    client, me = client_for(scheme, signing, method)
    assert call(client, "DescribeWhiteBoxServiceStatus") == {"ServiceEnabled": True}
    made = {}
    for algorithm in ("AES_256", "SM4"):
        out = call(
            client,
            "CreateWhiteBoxKey",
            Alias=f"wire-{algorithm}",
            Algorithm=algorithm,
            Description="über the wire",
            Tags=[{"TagKey": "team", "TagValue": "a b&c"}],
        )
        assert out["TagCode"] == 0 and out["KeyId"]
        made[algorithm] = out
    sm4 = made["SM4"]["KeyId"]

    info = call(client, "DescribeWhiteBoxKey", KeyId=sm4)["KeyInfo"]
    assert info["Description"] == "über the wire" and info["Algorithm"] == "SM4"
    assert info["CreatorUin"] == me.uin and info["DeviceFingerprintBind"] is False
    assert info["EncryptKey"] == made["SM4"]["EncryptKey"]
    assert call(client, "DescribeWhiteBoxDecryptKey", KeyId=sm4) == {
        "DecryptKey": made["SM4"]["DecryptKey"]
    }

    listed = call(
        client, "DescribeWhiteBoxKeyDetails", TagFilters=[{"TagKey": "team", "TagValue": ["a b&c"]}]
    )
    assert listed["TotalCount"] == 2
    assert [k["KeyId"] for k in listed["KeyInfos"]] == [
        made["SM4"]["KeyId"],
        made["AES_256"]["KeyId"],
    ]
    assert (
        call(client, "DescribeWhiteBoxKeyDetails", Limit=1, Offset=1)["KeyInfos"][0]["KeyId"]
        == (made["AES_256"]["KeyId"])
    )

    sdk = wire_kms.whitebox_sdk()
    for algorithm, created in made.items():
        iv = bytes(range(16))
        enc = call(
            client,
            "EncryptByWhiteBox",
            KeyId=created["KeyId"],
            PlainText=b64(PLAIN),
            InitializationVector=b64(iv),
        )
        assert enc["InitializationVector"] == b64(iv)
        got = decrypt(sdk, created["DecryptKey"], enc["InitializationVector"], enc["CipherText"])
        assert got == PLAIN, algorithm
    drawn = call(client, "EncryptByWhiteBox", KeyId=sm4, PlainText=b64(PLAIN))
    assert len(base64.b64decode(drawn["InitializationVector"])) == 16

    call(
        client,
        "OverwriteWhiteBoxDeviceFingerprints",
        KeyId=sm4,
        DeviceFingerprints=[{"Identity": FP_A, "Description": "10.0.0.1 build box"}],
    )
    assert call(client, "DescribeWhiteBoxDeviceFingerprints", KeyId=sm4) == {
        "DeviceFingerprints": [{"Identity": FP_A, "Description": "10.0.0.1 build box"}]
    }
    bound = call(client, "DescribeWhiteBoxDecryptKey", KeyId=sm4)["DecryptKey"]
    assert bound != made["SM4"]["DecryptKey"]
    assert call(client, "DescribeWhiteBoxKey", KeyId=sm4)["KeyInfo"]["DeviceFingerprintBind"]

    ids = [made["AES_256"]["KeyId"], sm4]
    call(client, "DisableWhiteBoxKeys", KeyIds=ids)
    assert me.DescribeWhiteBoxKeyDetails(KeyStatus=0)["TotalCount"] == 2
    call(client, "EnableWhiteBoxKeys", KeyIds=ids)
    call(client, "DisableWhiteBoxKey", KeyId=sm4)
    assert me.DescribeWhiteBoxKey(KeyId=sm4)["KeyInfo"]["Status"] == "Disabled"
    call(client, "EnableWhiteBoxKey", KeyId=sm4)
    assert me.DescribeWhiteBoxKey(KeyId=sm4)["KeyInfo"]["Status"] == "Enabled"
    call(client, "DisableWhiteBoxKey", KeyId=sm4)
    call(client, "DeleteWhiteBoxKey", KeyId=sm4)
    assert me.DescribeWhiteBoxKeyDetails()["TotalCount"] == 1


def sdk_error(client, action: str, **params) -> str:
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    with pytest.raises(TencentCloudSDKException) as info:
        getattr(client, action)(request)
    assert info.value.requestId
    return info.value.code


def test_documented_errors_reach_the_sdk(client_for, wire_kms):
    client, me = client_for("http", "TC3-HMAC-SHA256", "POST")
    key_id = me.CreateWhiteBoxKey(Alias="err", Algorithm="SM4")["KeyId"]
    missing = "00000000-0000-1000-8000-000000000000"
    assert sdk_error(client, "DescribeWhiteBoxKey", KeyId=missing) == "ResourceNotFound"
    assert sdk_error(client, "DescribeWhiteBoxKey", KeyId="nope") == (
        "InvalidParameterValue.InvalidKeyId"
    )
    assert sdk_error(client, "CreateWhiteBoxKey", Alias="err", Algorithm="SM4") == (
        "InvalidParameterValue.AliasAlreadyExists"
    )
    assert sdk_error(client, "DeleteWhiteBoxKey", KeyId=key_id) == "FailedOperation"
    assert sdk_error(client, "EnableWhiteBoxKeys", KeyIds=[key_id, key_id]) == (
        "InvalidParameterValue.DuplicatedKeyId"
    )
    fps = [{"Identity": FP_A}] * 201
    assert sdk_error(
        client, "OverwriteWhiteBoxDeviceFingerprints", KeyId=key_id, DeviceFingerprints=fps
    ) == ("LimitExceeded.FingerprintsLimitExceeded")
    assert sdk_error(client, "EncryptByWhiteBox", KeyId=key_id, PlainText=b64(b"x" * 4097)) == (
        "InvalidParameterValue"
    )
    me.DisableWhiteBoxKey(KeyId=key_id)
    assert sdk_error(client, "EncryptByWhiteBox", KeyId=key_id, PlainText=b64(b"x")) == (
        "ResourceUnavailable.KeyDisabled"
    )
    wire_kms.set_whitebox_purchased(False, uin=me.uin)
    try:
        assert sdk_error(client, "DescribeWhiteBoxServiceStatus") == (
            "ResourceUnavailable.NotPurchased"
        )
    finally:
        wire_kms.set_whitebox_purchased(True, uin=me.uin)
    assert call(client, "DescribeWhiteBoxServiceStatus")["ServiceEnabled"] is True


def test_accounts_are_isolated_on_the_wire(client_for):
    client, me = client_for("http", "HmacSHA256", "POST")
    other, _ = client_for("http", "TC3-HMAC-SHA256", "POST")
    key_id = me.CreateWhiteBoxKey(Alias="mine", Algorithm="AES_256")["KeyId"]
    assert sdk_error(other, "DescribeWhiteBoxDecryptKey", KeyId=key_id) == "ResourceNotFound"
    assert call(other, "DescribeWhiteBoxKeyDetails")["TotalCount"] == 0
    assert call(other, "CreateWhiteBoxKey", Alias="mine", Algorithm="SM4")["KeyId"]


def test_a_device_bound_over_the_wire_refuses_another_device(client_for, wire_kms, monkeypatch):
    client, me = client_for("http", "TC3-HMAC-SHA256", "GET")
    key_id = call(client, "CreateWhiteBoxKey", Alias="dev", Algorithm="AES_256")["KeyId"]
    call(
        client,
        "OverwriteWhiteBoxDeviceFingerprints",
        KeyId=key_id,
        DeviceFingerprints=[{"Identity": FP_A}],
    )
    decrypt_key = call(client, "DescribeWhiteBoxDecryptKey", KeyId=key_id)["DecryptKey"]
    enc = call(client, "EncryptByWhiteBox", KeyId=key_id, PlainText=b64(PLAIN))
    sdk = wire_kms.whitebox_sdk()
    monkeypatch.setenv(FINGERPRINT_ENV, FP_A)
    assert decrypt(sdk, decrypt_key, enc["InitializationVector"], enc["CipherText"]) == PLAIN
    monkeypatch.setenv(FINGERPRINT_ENV, FP_B)
    with pytest.raises(WhiteBoxError) as info:
        decrypt(sdk, decrypt_key, enc["InitializationVector"], enc["CipherText"])
    assert info.value.code == DEVICE_NOT_BOUND
