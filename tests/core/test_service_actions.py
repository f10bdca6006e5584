"""The service-level actions (GetServiceStatus, GetRegions, ListAlgorithms, GenerateRandom)
and the response shape of every issue-2 action: exactly the documented fields plus
``RequestId``, each with its documented JSON type (uint64 fields non-negative ints)."""

from __future__ import annotations

import base64
import uuid

import pytest

from kmslab import KMS
from kmslab.actions.table import ACTIONS

# ----------------------------------------------------------------- documented shapes
# Types from api-catalog.md sections 2 and 3: S String, U uint64, I int64, B Boolean;
# a list is [type]; a structure is its field dict. A trailing "?" marks "Always? N".

S, U, I, B = "S", "U", "I", "B"  # noqa: E741
KEY_METADATA = {
    "KeyId": S, "Alias": S, "CreateTime": U, "Description": S, "KeyState": S, "KeyUsage": S,
    "Type": I, "CreatorUin": U, "KeyRotationEnabled": B, "Owner": S, "NextRotateTime": U,
    "DeletionDate": U, "Origin": S, "ValidTo": U, "ResourceId": S, "HsmClusterId": S,
    "RotateDays": U, "LastRotateTime": U, "IsSyncReplica": I, "SourceRegion": S,
    "SyncStatus": I, "SyncMessages": S, "SyncStartTime": U, "SyncEndTime": U,
    "SourceHsmClusterId": S, "AccountAppId": U, "AccountUin": U, "AccountName": S,
    "CreatorUinString": S,
}  # fmt: skip
ALGORITHM_INFO = {"KeyUsage": S, "Algorithm": S}
SHAPES: dict[str, dict] = {
    "CreateKey": {"KeyId": S, "Alias": S, "CreateTime": U, "Description?": S, "KeyState": S,
                  "KeyUsage": S, "TagCode?": U, "TagMsg?": S, "HsmClusterId?": S},
    "Decrypt": {"KeyId": S, "Plaintext": S},
    "DescribeKey": {"KeyMetadata": KEY_METADATA},
    "DescribeKeys": {"KeyMetadatas": [KEY_METADATA]},
    "Encrypt": {"CiphertextBlob": S, "KeyId": S},
    "GenerateDataKey": {"KeyId": S, "Plaintext": S, "CiphertextBlob": S, "DataKeyId?": S,
                        "TagCode?": U, "TagMsg?": S},
    "GetKeyRotationStatus": {"KeyRotationEnabled": B},
    "ListKeyDetail": {"TotalCount": U, "KeyMetadatas?": [KEY_METADATA]},
    "ListKeys": {"Keys?": [{"KeyId": S}], "TotalCount": U},
    "ReEncrypt": {"CiphertextBlob": S, "KeyId": S, "SourceKeyId": S, "ReEncrypted": B},
    "RotateKey": {"TaskId?": S},
    "ScheduleKeyDeletion": {"DeletionDate": U, "KeyId": S},
    "CancelKeyDeletion": {"KeyId": S},
    "GenerateRandom": {"Plaintext": S},
    "GetRegions": {"Regions": [S]},
    "GetServiceStatus": {
        "ServiceEnabled": B, "InvalidType": I, "UserLevel": U, "ProExpireTime": U,
        "ProRenewFlag": U, "ProResourceId": S, "ExclusiveVSMEnabled": B,
        "ExclusiveHSMEnabled": B, "SubscriptionInfo": S, "CmkUserCount?": U, "CmkLimit?": U,
        "ExclusiveHSMList?": [{"HsmClusterId": S, "HsmClusterName": S}],
        "IsAllowedDataKeyHosted?": B, "DataKeyLimit?": U, "FreeDataKeyLimit?": U,
        "DataKeyUsedCount?": U,
        "SyncTaskList?": [{"DestinationRegion": S, "HsmClusterId": S}],
        "IsAllowedSync?": B, "QpsLimit?": U, "QpsTotalLimit?": U,
        "RegionsQps?": [{"Region": S, "Qps": U}], "ResourceZone?": U, "ResourceRegion?": U,
    },
    "ListAlgorithms": {"SymmetricAlgorithms": [ALGORITHM_INFO],
                       "AsymmetricAlgorithms": [ALGORITHM_INFO],
                       "AsymmetricSignVerifyAlgorithms": [ALGORITHM_INFO]},
}  # fmt: skip
ONLY_REQUEST_ID = (
    "ArchiveKey", "BindCloudResource", "CancelKeyArchive", "DisableKey", "DisableKeyRotation",
    "DisableKeys", "EnableKey", "EnableKeyRotation", "EnableKeys", "UnbindCloudResource",
    "UpdateAlias", "UpdateKeyDescription",
)  # fmt: skip
SHAPES.update({name: {} for name in ONLY_REQUEST_ID})


def check_value(shape, value, where: str) -> None:
    if shape == S:
        assert type(value) is str, where
    elif shape == B:
        assert type(value) is bool, where
    elif shape in (U, I):
        assert type(value) is int, where  # never a bool, a float or a string
        if shape == U:
            assert 0 <= value < 2**64, where
    elif isinstance(shape, list):
        assert type(value) is list, where
        for i, item in enumerate(value):
            check_value(shape[0], item, f"{where}[{i}]")
    else:
        check_fields(shape, value, where)


def check_fields(shape: dict, value: dict, where: str) -> None:
    assert type(value) is dict, where
    required = {k for k in shape if not k.endswith("?")}
    allowed = {k.rstrip("?"): t for k, t in shape.items()}
    assert set(value) <= set(allowed), f"{where}: undocumented {set(value) - set(allowed)}"
    assert required <= set(value), f"{where}: missing {required - set(value)}"
    for k, v in value.items():
        check_value(allowed[k], v, f"{where}.{k}")


def check_response(action: str, response: dict) -> None:
    assert uuid.UUID(response["RequestId"])
    body = {k: v for k, v in response.items() if k != "RequestId"}
    check_fields(SHAPES[action], body, action)


def test_shapes_match_the_action_table():
    for action, shape in SHAPES.items():
        assert {k.rstrip("?") for k in shape} == set(ACTIONS[action].response), action


def exercise(kms: KMS) -> list[tuple[str, dict]]:
    """Call every issue-2 action at least once, successfully."""
    seen: list[tuple[str, dict]] = []

    def call(action: str, **params) -> dict:
        r = kms.call(action, params)
        seen.append((action, r))
        return r

    a = call("CreateKey", Alias="a", Description="d", Tags=[{"TagKey": "t", "TagValue": "v"}])
    b = call("CreateKey", Alias="b")["KeyId"]
    a = a["KeyId"]
    call("CreateKey", Alias="ext", Type=2)
    call("DescribeKey", KeyId=a)
    call("DescribeKeys", KeyIds=[a, b])
    call("ListKeys")
    call("ListKeys", Role=1)
    call("ListKeyDetail", KeyUsage="ALL")
    call("ListKeyDetail", Role=1)
    call("UpdateAlias", KeyId=a, Alias="a2")
    call("UpdateKeyDescription", KeyId=a, Description="d2")
    call("EnableKeyRotation", KeyId=a, RotateDays=7)
    call("GetKeyRotationStatus", KeyId=a)
    blob = call("Encrypt", KeyId=a, Plaintext="eA==", EncryptionContext='{"k":"v"}')
    call("Decrypt", CiphertextBlob=blob["CiphertextBlob"], EncryptionContext='{"k":"v"}')
    call("GenerateDataKey", KeyId=a, KeySpec="AES_128")
    call("RotateKey", KeyId=a)
    call("ReEncrypt", CiphertextBlob=blob["CiphertextBlob"], DestinationKeyId=b,
         SourceEncryptionContext='{"k":"v"}')  # fmt: skip
    call("DisableKeyRotation", KeyId=a)
    call("BindCloudResource", KeyId=a, ProductId="ssm", ResourceId="s1")
    call("UnbindCloudResource", KeyId=a, ProductId="ssm", ResourceId="s1")
    call("DisableKeys", KeyIds=[a, b])
    call("EnableKeys", KeyIds=[a, b])
    call("DisableKey", KeyId=b)
    call("EnableKey", KeyId=b)
    call("ArchiveKey", KeyId=b)
    call("CancelKeyArchive", KeyId=b)
    call("DisableKey", KeyId=b)
    call("ScheduleKeyDeletion", KeyId=b, PendingWindowInDays=7)
    call("CancelKeyDeletion", KeyId=b)
    call("GetServiceStatus")
    call("GetRegions")
    call("ListAlgorithms")
    call("GenerateRandom", NumberOfBytes=16)
    kms.clock.advance(days=8)
    call("DescribeKey", KeyId=a)  # after an automatic rotation
    return seen


@pytest.mark.parametrize("region", ["ap-guangzhou", "ap-hongkong"])
def test_every_response_has_exactly_the_documented_shape(region):
    kms = KMS(seed=2, region=region)
    seen = exercise(kms)
    assert {action for action, _ in seen} == set(SHAPES)
    for action, response in seen:
        check_response(action, response)


# ----------------------------------------------------------------- service actions


def test_get_service_status(kms, new_key):
    new_key()
    r = kms.GetServiceStatus()
    assert r["ServiceEnabled"] is True
    assert r["InvalidType"] == 1  # normal
    assert r["CmkUserCount"] == 1
    assert r["CmkLimit"] == kms.cmk_limit


def test_get_regions():
    kms = KMS(seed=1, regions={"lab-fips": "FIPS", "lab-sm": "SM"})
    assert kms.GetRegions()["Regions"] == ["lab-fips", "lab-sm"]
    default = KMS(seed=1).GetRegions()["Regions"]
    assert {"ap-guangzhou", "ap-hongkong"} <= set(default)


@pytest.mark.parametrize(("profile", "algorithm"), [("FIPS", "AES_256"), ("SM", "SM4")])
def test_list_algorithms_by_profile(profile, algorithm):
    kms = KMS(seed=1, regions={"lab-a": profile, "lab-b": "SM" if profile == "FIPS" else "FIPS"})
    r = kms.ListAlgorithms()
    assert r["SymmetricAlgorithms"] == [{"KeyUsage": "ENCRYPT_DECRYPT", "Algorithm": algorithm}]
    for field in ("AsymmetricAlgorithms", "AsymmetricSignVerifyAlgorithms"):
        for info in r[field]:
            assert set(info) == {"KeyUsage", "Algorithm"}
    other = kms.in_region("lab-b").ListAlgorithms()["SymmetricAlgorithms"]
    assert other[0]["Algorithm"] != algorithm


def test_list_algorithms_default_regions(kms):
    assert kms.ListAlgorithms()["SymmetricAlgorithms"][0]["Algorithm"] == "SM4"
    hk = kms.in_region("ap-hongkong").ListAlgorithms()["SymmetricAlgorithms"]
    assert hk[0]["Algorithm"] == "AES_256"


def test_sm_algorithms_are_offered_only_in_sm_regions(kms):
    fips = kms.in_region("ap-hongkong").ListAlgorithms()
    fields = ("AsymmetricAlgorithms", "AsymmetricSignVerifyAlgorithms")
    listed = [i for f in fields for i in fips[f]]
    assert not [i for i in listed if i["Algorithm"].startswith("SM")]


@pytest.mark.parametrize("n", [1, 2, 31, 32, 33, 1024])
def test_generate_random(kms, n):
    r = kms.GenerateRandom(NumberOfBytes=n)
    assert len(base64.b64decode(r["Plaintext"], validate=True)) == n


def test_generate_random_is_fresh(kms):
    draws = {kms.GenerateRandom(NumberOfBytes=16)["Plaintext"] for _ in range(20)}
    assert len(draws) == 20


@pytest.mark.parametrize("n", [0, 1025, -1])
def test_generate_random_range(kms, fails, n):
    assert fails(kms.GenerateRandom, NumberOfBytes=n).code in (
        "InvalidParameterValue",
        "InvalidParameter",
    )
