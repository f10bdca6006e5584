"""The official tencentcloud-sdk-python KmsClient calls every built action over the wire,
under every signing method, on POST and GET, over HTTP and HTTPS (generated certificate)."""

from __future__ import annotations

import base64
import json

import pytest
from action_samples import SAMPLES, make_env
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.kms.v20190118 import models

from kmslab.core.assembly import built_actions

SIGNINGS = ["TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256"]
METHODS = ["POST", "GET"]
B64 = base64.b64encode(b"hello wire").decode()
_counter = iter(range(10**6))


def _fresh_key(kms, **kw) -> str:
    return kms.CreateKey(Alias=f"wire-{next(_counter)}", **kw)["KeyId"]


def _blob(kms, key_id) -> str:
    return kms.Encrypt(KeyId=key_id, Plaintext=B64)["CiphertextBlob"]


# action -> (setup(kms) -> params, check(response dict, params, kms))
RECIPES = {
    "CreateKey": lambda k: {
        "Alias": f"wire-c{next(_counter)}",
        "Description": "über the wire",
        "Type": 1,
        "Tags": [{"TagKey": "team", "TagValue": "a b&c"}],
    },
    "Encrypt": lambda k: {
        "KeyId": _fresh_key(k),
        "Plaintext": B64,
        "EncryptionContext": '{"a":"1"}',
    },
    "Decrypt": lambda k: {"CiphertextBlob": _blob(k, _fresh_key(k))},
    "ReEncrypt": lambda k: {
        "CiphertextBlob": _blob(k, _fresh_key(k)),
        "DestinationKeyId": _fresh_key(k),
    },
    "GenerateDataKey": lambda k: {"KeyId": _fresh_key(k), "NumberOfBytes": 32},
    "GenerateRandom": lambda k: {"NumberOfBytes": 16},
    "DescribeKey": lambda k: {"KeyId": _fresh_key(k)},
    "DescribeKeys": lambda k: {"KeyIds": [_fresh_key(k), _fresh_key(k)]},
    "DisableKey": lambda k: {"KeyId": _fresh_key(k)},
    "EnableKey": lambda k: {"KeyId": _fresh_key(k)},
    "DisableKeys": lambda k: {"KeyIds": [_fresh_key(k), _fresh_key(k)]},
    "EnableKeys": lambda k: {"KeyIds": [_fresh_key(k)]},
    "EnableKeyRotation": lambda k: {"KeyId": _fresh_key(k), "RotateDays": 90},
    "DisableKeyRotation": lambda k: {"KeyId": _fresh_key(k)},
    "GetKeyRotationStatus": lambda k: {"KeyId": _fresh_key(k)},
    "RotateKey": lambda k: {"KeyId": _rotating(k)},
    "ScheduleKeyDeletion": lambda k: {"KeyId": _disabled(k), "PendingWindowInDays": 7},
    "CancelKeyDeletion": lambda k: _scheduled(k),
    "ArchiveKey": lambda k: {"KeyId": _fresh_key(k)},
    "CancelKeyArchive": lambda k: _archived(k),
    "UpdateAlias": lambda k: {"KeyId": _fresh_key(k), "Alias": f"wire-u{next(_counter)}"},
    "UpdateKeyDescription": lambda k: {"KeyId": _fresh_key(k), "Description": "new"},
    "BindCloudResource": lambda k: {"KeyId": _fresh_key(k), "ProductId": "cos", "ResourceId": "b1"},
    "UnbindCloudResource": lambda k: _bound(k),
    "ListKeys": lambda k: {"Offset": 0, "Limit": 5, "Role": 0},
    "ListKeyDetail": lambda k: {
        "Limit": 3,
        "OrderType": 1,
        "TagFilters": [{"TagKey": "team", "TagValue": ["a b&c", "x"]}],
    },
    "GetRegions": lambda k: {},
    "GetServiceStatus": lambda k: {},
    "ListAlgorithms": lambda k: {},
}


def _rotating(k):
    key_id = _fresh_key(k)
    k.EnableKeyRotation(KeyId=key_id)
    return key_id


def _disabled(k):
    key_id = _fresh_key(k)
    k.DisableKey(KeyId=key_id)
    return key_id


def _scheduled(k):
    key_id = _disabled(k)
    k.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    return {"KeyId": key_id}


def _archived(k):
    key_id = _fresh_key(k)
    k.ArchiveKey(KeyId=key_id)
    return {"KeyId": key_id}


def _bound(k):
    key_id = _fresh_key(k)
    k.BindCloudResource(KeyId=key_id, ProductId="cos", ResourceId="b1")
    return {"KeyId": key_id, "ProductId": "cos", "ResourceId": "b1"}


def _sdk_call(client, action, params) -> dict:
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    return json.loads(getattr(client, action)(request).to_json_string())


@pytest.fixture(params=["http", "https"])
def endpoint(request, http_endpoint, https_endpoint):
    return http_endpoint if request.param == "http" else https_endpoint


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("signing", SIGNINGS)
def test_every_action_through_the_sdk(endpoint, wire_kms, signing, method):
    client = endpoint.sdk_client(sign_method=signing, method=method)
    env = make_env(wire_kms)  # keys of every kind, for the actions without a recipe here
    for action in sorted(built_actions()):
        recipe = RECIPES.get(action)
        params = recipe(wire_kms) if recipe else SAMPLES[action](env)
        out = _sdk_call(client, action, params)
        assert out["RequestId"], action
        if action == "Encrypt":
            back = wire_kms.Decrypt(
                CiphertextBlob=out["CiphertextBlob"], EncryptionContext='{"a":"1"}'
            )
            assert back["Plaintext"] == B64
        elif action in ("Decrypt",):
            assert out["Plaintext"] == B64
        elif action == "CreateKey":
            meta = wire_kms.DescribeKey(KeyId=out["KeyId"])["KeyMetadata"]
            assert meta["Description"] == "über the wire"
            assert out["Alias"] == params["Alias"]
        elif action == "DescribeKeys":
            assert [m["KeyId"] for m in out["KeyMetadatas"]] == params["KeyIds"]
        elif action == "GenerateRandom":
            assert len(base64.b64decode(out["Plaintext"])) == 16
        elif action == "DisableKey":
            assert wire_kms.DescribeKey(KeyId=params["KeyId"])["KeyMetadata"]["KeyState"] == (
                "Disabled"
            )
        elif action == "EnableKeyRotation":
            assert wire_kms.GetKeyRotationStatus(KeyId=params["KeyId"])["KeyRotationEnabled"]
        elif action == "ListKeys":
            assert len(out["Keys"]) == 5
        elif action == "ListKeyDetail":
            assert out["KeyMetadatas"] and all(m["KeyState"] for m in out["KeyMetadatas"])


def test_sdk_sees_service_errors_with_their_code(http_endpoint):
    client = http_endpoint.sdk_client(language="en-US")
    request = models.DescribeKeyRequest()
    request.KeyId = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(TencentCloudSDKException) as info:
        client.DescribeKey(request)
    assert info.value.code == "ResourceUnavailable.CmkNotFound"
    assert info.value.requestId


def test_kms_sdk_client_convenience(wire_kms, http_endpoint):
    out = wire_kms.sdk_client().GetServiceStatus(models.GetServiceStatusRequest())
    assert out.ServiceEnabled is True


def test_accounts_are_separated_on_the_wire(wire_kms, http_endpoint):
    other = wire_kms.create_account("other")
    key_id = _fresh_key(wire_kms)
    client = http_endpoint.sdk_client(api_key=other)
    with pytest.raises(TencentCloudSDKException) as info:
        _sdk_call(client, "DescribeKey", {"KeyId": key_id})
    assert info.value.code == "ResourceUnavailable.CmkNotFound"
    created = _sdk_call(client, "CreateKey", {"Alias": "theirs"})
    assert wire_kms.as_account(other.uin).DescribeKey(KeyId=created["KeyId"])


def test_temporary_credentials_work(wire_kms, http_endpoint):
    temp = wire_kms.create_temporary_credential(duration=600)
    client = http_endpoint.sdk_client(api_key=temp, sign_method="HmacSHA256")
    assert _sdk_call(client, "GetRegions", {})["Regions"]
    client = http_endpoint.sdk_client(api_key=temp)
    assert _sdk_call(client, "GetRegions", {})["Regions"]
