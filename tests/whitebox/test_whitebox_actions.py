"""The 13 white-box actions through the Python API: every documented rule and error, the
offline round trip of both algorithms, purchase state, regions, isolation and QPS."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wb_helpers import cbc_encrypt
from wb_service import PLAIN, code_of, real_material, sdk_for, service

from kmslab.actions.table import ACTIONS
from kmslab.whitebox import decrypt, keyblob

ALGORITHMS = ["AES_256", "SM4"]
FP = "0123abcd-00112233445566-778899aabbccdd-eeff0011223344-5566778899aabbcc"
MISSING = "00000000-0000-1000-8000-000000000000"


@pytest.fixture
def kms():
    return service()


_n = iter(range(10**6))


def new_key(kms, algorithm: str = "SM4", **kw) -> dict:
    return kms.CreateWhiteBoxKey(Alias=f"wb-{next(_n)}", Algorithm=algorithm, **kw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- create and describe --------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_create_returns_blobs_of_the_service_library(kms, algorithm):
    out = new_key(kms, algorithm, Description="for the device")
    sdk = sdk_for(kms, out["DecryptKey"])
    assert out["TagCode"] == 0 and out["TagMsg"] == "no tags to save"
    enc = keyblob.parse(base64.b64decode(out["EncryptKey"]), sdk.blob_key, sdk.library_id)
    dec = keyblob.parse(base64.b64decode(out["DecryptKey"]), sdk.blob_key, sdk.library_id)
    assert (enc.mode, dec.mode) == (keyblob.MODE_ENCRYPT, keyblob.MODE_DECRYPT)
    assert enc.algorithm == dec.algorithm == {"AES_256": 0, "SM4": 1}[algorithm]
    assert enc.key_id == dec.key_id == out["KeyId"]
    assert not dec.bound
    info = kms.DescribeWhiteBoxKey(KeyId=out["KeyId"])["KeyInfo"]
    assert info == {
        "KeyId": out["KeyId"],
        "Alias": info["Alias"],
        "CreatorUin": kms.default_uin,
        "Description": "for the device",
        "CreateTime": int(kms.clock.now()),
        "Status": "Enabled",
        "OwnerUin": kms.default_uin,
        "Algorithm": algorithm,
        "EncryptKey": out["EncryptKey"],
        "DecryptKey": out["DecryptKey"],
        "ResourceId": f"creatorUin/{kms.default_uin}/{out['KeyId']}",
        "DeviceFingerprintBind": False,
    }
    assert kms.DescribeWhiteBoxDecryptKey(KeyId=out["KeyId"])["DecryptKey"] == out["DecryptKey"]


def test_tags_are_kept_and_duplicates_refused(kms):
    out = new_key(kms, Tags=[{"TagKey": "team", "TagValue": "dev"}])
    assert out["TagMsg"] == "ok"
    tags = [{"TagKey": "t", "TagValue": "1"}, {"TagKey": "t", "TagValue": "2"}]
    assert code_of(new_key, kms, Tags=tags) == "InvalidParameterValue.TagKeysDuplicated"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Alias": "bad alias", "Algorithm": "SM4"}, "InvalidParameterValue.InvalidAlias"),
        ({"Alias": "_x", "Algorithm": "SM4"}, "InvalidParameterValue.InvalidAlias"),
        ({"Alias": "a" * 61, "Algorithm": "SM4"}, "InvalidParameterValue.InvalidAlias"),
        ({"Alias": "ok", "Algorithm": "AES_128"}, "InvalidParameterValue"),
        ({"Alias": "ok", "Algorithm": "sm4"}, "InvalidParameterValue"),
        ({"Alias": "ok", "Algorithm": "SM4", "Description": "描" * 342}, "InvalidParameterValue"),
        ({"Algorithm": "SM4"}, "MissingParameter"),
        ({"Alias": "ok"}, "MissingParameter"),
        ({"Alias": "ok", "Algorithm": "SM4", "KeyUsage": "x"}, "UnknownParameter"),
    ],
)
def test_create_refuses_bad_input(kms, params, code):
    before = kms.inspect.state()
    assert code_of(kms.CreateWhiteBoxKey, **params) == code
    assert kms.inspect.state() == before


def test_aliases_are_unique_among_white_box_keys_only(kms):
    alias = f"shared-{next(_n)}"
    kms.CreateWhiteBoxKey(Alias=alias, Algorithm="SM4")
    code = code_of(kms.CreateWhiteBoxKey, Alias=alias, Algorithm="AES_256")
    assert code == "InvalidParameterValue.AliasAlreadyExists"
    assert kms.CreateKey(Alias=alias)["KeyId"]  # CMK aliases are another namespace


def test_an_alias_is_free_again_once_its_key_is_deleted(kms):
    alias = f"reuse-{next(_n)}"
    key_id = kms.CreateWhiteBoxKey(Alias=alias, Algorithm="SM4")["KeyId"]
    kms.DisableWhiteBoxKey(KeyId=key_id)
    kms.DeleteWhiteBoxKey(KeyId=key_id)
    assert kms.CreateWhiteBoxKey(Alias=alias, Algorithm="SM4")["KeyId"] != key_id


def test_fifty_keys_per_account_and_region():
    kms = service()
    made = [new_key(kms)["KeyId"] for _ in range(50)]
    before = kms.inspect.state()
    assert code_of(new_key, kms) == "LimitExceeded.KeyLimitExceeded"
    assert kms.inspect.state() == before
    assert new_key(kms.in_region("ap-beijing"))["KeyId"]
    other = kms.create_account("other")
    assert new_key(kms.as_account(other.uin))["KeyId"]
    kms.DisableWhiteBoxKey(KeyId=made[0])
    kms.DeleteWhiteBoxKey(KeyId=made[0])
    assert new_key(kms)["KeyId"]


def test_the_key_limit_is_an_option():
    kms = service(whitebox_key_limit=2)
    new_key(kms), new_key(kms)
    assert code_of(new_key, kms) == "LimitExceeded.KeyLimitExceeded"


# -- key ids ---------------------------------------------------------------------------

ONE_KEY_ACTIONS = [
    "DeleteWhiteBoxKey",
    "DescribeWhiteBoxDecryptKey",
    "DescribeWhiteBoxDeviceFingerprints",
    "DescribeWhiteBoxKey",
    "DisableWhiteBoxKey",
    "EnableWhiteBoxKey",
    "OverwriteWhiteBoxDeviceFingerprints",
    "EncryptByWhiteBox",
]


def _extra(action: str) -> dict:
    return {"PlainText": PLAIN} if action == "EncryptByWhiteBox" else {}


@pytest.mark.parametrize("action", ONE_KEY_ACTIONS)
@pytest.mark.parametrize(
    ("key_id", "code"),
    [
        (MISSING, "ResourceNotFound"),
        ("not-a-key", "InvalidParameterValue.InvalidKeyId"),
        ("", "InvalidParameterValue.InvalidKeyId"),
    ],
)
def test_unknown_and_malformed_key_ids(kms, action, key_id, code):
    assert code_of(kms.call, action, {"KeyId": key_id, **_extra(action)}) == code


def test_a_cmk_id_is_not_a_white_box_key(kms):
    cmk = kms.CreateKey(Alias=f"cmk-{next(_n)}")["KeyId"]
    assert code_of(kms.DescribeWhiteBoxKey, KeyId=cmk) == "ResourceNotFound"
    wb = new_key(kms)["KeyId"]
    assert code_of(kms.DescribeKey, KeyId=wb) == "ResourceUnavailable.CmkNotFound"


# -- states, batches and deletion --------------------------------------------------------


def status(kms, key_id: str) -> str:
    return kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]["Status"]


def test_enable_disable_are_idempotent_and_delete_needs_disabled(kms):
    key_id = new_key(kms)["KeyId"]
    kms.EnableWhiteBoxKey(KeyId=key_id)
    assert status(kms, key_id) == "Enabled"
    assert code_of(kms.DeleteWhiteBoxKey, KeyId=key_id) == "FailedOperation"
    kms.DisableWhiteBoxKey(KeyId=key_id)
    kms.DisableWhiteBoxKey(KeyId=key_id)
    assert status(kms, key_id) == "Disabled"
    assert code_of(kms.EncryptByWhiteBox, KeyId=key_id, PlainText=PLAIN) == (
        "ResourceUnavailable.KeyDisabled"
    )
    # A disabled key is still described and its DecryptKey still readable.
    assert kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"]
    kms.EnableWhiteBoxKey(KeyId=key_id)
    assert kms.EncryptByWhiteBox(KeyId=key_id, PlainText=PLAIN)["CipherText"]
    kms.DisableWhiteBoxKey(KeyId=key_id)
    kms.DeleteWhiteBoxKey(KeyId=key_id)  # immediate: no pending window
    assert code_of(kms.DescribeWhiteBoxKey, KeyId=key_id) == "ResourceNotFound"
    assert code_of(kms.DeleteWhiteBoxKey, KeyId=key_id) == "ResourceNotFound"
    assert key_id not in {k.key_id for k in kms.inspect.resources("whitebox_key")}
    assert kms.inspect.cached_secrets(key_id) == []


@pytest.mark.parametrize(("action", "target"), [("Enable", "Enabled"), ("Disable", "Disabled")])
def test_batches_change_every_key(kms, action, target):
    ids = [new_key(kms)["KeyId"] for _ in range(3)]
    if action == "Enable":
        kms.DisableWhiteBoxKeys(KeyIds=ids)
    kms.call(f"{action}WhiteBoxKeys", {"KeyIds": ids})
    assert [status(kms, k) for k in ids] == [target] * 3


@pytest.mark.parametrize("action", ["EnableWhiteBoxKeys", "DisableWhiteBoxKeys"])
@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ([MISSING], "ResourceNotFound"),
        (["bad-id"], "InvalidParameterValue.InvalidKeyId"),
        ("duplicate", "InvalidParameterValue.DuplicatedKeyId"),
        ("too many", "InvalidParameter"),
        ("empty", "InvalidParameter"),
        ("not a list", "InvalidParameter"),
    ],
)
def test_batches_are_all_or_nothing(kms, action, bad, code):
    ids = [new_key(kms)["KeyId"] for _ in range(2)]
    if action == "EnableWhiteBoxKeys":
        kms.DisableWhiteBoxKeys(KeyIds=ids)
    if bad == "duplicate":
        key_ids = [*ids, ids[0]]
    elif bad == "too many":
        key_ids = [*ids, *(MISSING[:-2] + f"{i:02d}" for i in range(49))]
    elif bad == "empty":
        key_ids = []
    elif bad == "not a list":
        key_ids = ids[0]
    else:
        key_ids = [*ids, *bad]
    before = kms.inspect.state()
    assert code_of(kms.call, action, {"KeyIds": key_ids}) == code
    assert kms.inspect.state() == before


def test_a_batch_of_fifty_is_accepted():
    kms = service()
    ids = [new_key(kms)["KeyId"] for _ in range(50)]
    kms.DisableWhiteBoxKeys(KeyIds=ids)
    assert kms.DescribeWhiteBoxKeyDetails(KeyStatus=0)["TotalCount"] == 50


# -- listing ---------------------------------------------------------------------------------


def test_details_paging_filters_and_newest_first():
    kms = service()
    ids = []
    for i in range(7):
        tags = [{"TagKey": "team", "TagValue": "a" if i % 2 else "b"}]
        ids.append(new_key(kms, Tags=tags)["KeyId"])
        kms.clock.advance(seconds=1)
    kms.DisableWhiteBoxKeys(KeyIds=ids[:3])
    newest_first = ids[::-1]

    def listed(**params):
        out = kms.DescribeWhiteBoxKeyDetails(**params)
        return out["TotalCount"], [k["KeyId"] for k in out["KeyInfos"]]

    assert listed() == (7, newest_first)
    assert listed(Limit=0) == (7, newest_first)
    assert listed(Offset=2, Limit=3) == (7, newest_first[2:5])
    assert listed(Offset=5) == (7, newest_first[5:])
    assert listed(Offset=9) == (7, [])
    assert listed(KeyStatus=0) == (3, ids[:3][::-1])
    assert listed(KeyStatus=1, Limit=2) == (4, newest_first[:2])
    odd = [k for i, k in enumerate(ids) if i % 2][::-1]
    assert listed(TagFilters=[{"TagKey": "team", "TagValue": ["a"]}]) == (3, odd)
    assert listed(TagFilters=[{"TagKey": "team"}], Limit=2, Offset=1) == (7, newest_first[1:3])
    assert listed(TagFilters=[{"TagKey": "nope"}]) == (0, [])
    assert code_of(kms.DescribeWhiteBoxKeyDetails, KeyStatus=2) == "InvalidParameterValue"
    infos = kms.DescribeWhiteBoxKeyDetails()["KeyInfos"]
    assert all(i == kms.DescribeWhiteBoxKey(KeyId=i["KeyId"])["KeyInfo"] for i in infos)


# -- EncryptByWhiteBox and the offline round trip ------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("size", [1, 5, 15, 16, 17, 4096])
def test_offline_round_trip(kms, algorithm, size):
    out = new_key(kms, algorithm)
    sdk = sdk_for(kms, out["DecryptKey"])
    data = bytes(range(256)) * 16
    data = data[:size]
    iv = bytes(range(16))
    enc = kms.EncryptByWhiteBox(
        KeyId=out["KeyId"], PlainText=b64(data), InitializationVector=b64(iv)
    )
    assert enc["InitializationVector"] == b64(iv)
    ct = base64.b64decode(enc["CipherText"])
    assert len(ct) == (size // 16 + 1) * 16  # CBC with PKCS#7
    assert ct == cbc_encrypt(algorithm, real_material(kms, out["KeyId"]), iv, data)
    assert decrypt(sdk, out["DecryptKey"], enc["InitializationVector"], enc["CipherText"]) == data


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_service_draws_a_fresh_iv(kms, algorithm):
    out = new_key(kms, algorithm)
    sdk = sdk_for(kms, out["DecryptKey"])
    a = kms.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    b = kms.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    assert len(base64.b64decode(a["InitializationVector"])) == 16
    assert a["InitializationVector"] != b["InitializationVector"]
    assert a["CipherText"] != b["CipherText"]
    for enc in (a, b):
        plain = decrypt(sdk, out["DecryptKey"], enc["InitializationVector"], enc["CipherText"])
        assert b64(plain) == PLAIN


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"PlainText": "not base64!"}, "InvalidParameterValue"),
        ({"PlainText": ""}, "InvalidParameterValue"),
        ({"PlainText": b64(b"x" * 4097)}, "InvalidParameterValue"),
        ({"PlainText": PLAIN, "InitializationVector": b64(b"x" * 15)}, "InvalidParameterValue"),
        ({"PlainText": PLAIN, "InitializationVector": b64(b"x" * 17)}, "InvalidParameterValue"),
        ({"PlainText": PLAIN, "InitializationVector": "%%%"}, "InvalidParameterValue"),
        ({"PlainText": PLAIN, "InitializationVector": 16}, "InvalidParameter"),
        ({}, "MissingParameter"),
    ],
)
def test_encrypt_refuses_bad_input(kms, params, code):
    key_id = new_key(kms)["KeyId"]
    assert code_of(kms.call, "EncryptByWhiteBox", {"KeyId": key_id, **params}) == code


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(min_size=1, max_size=600),
    iv=st.one_of(st.none(), st.binary(min_size=16, max_size=16)),
    algorithm=st.sampled_from(ALGORITHMS),
)
def test_round_trip_property(kms, data, iv, algorithm):
    found = kms.DescribeWhiteBoxKeyDetails()["KeyInfos"]
    key = next((k for k in found if k["Algorithm"] == algorithm), None)
    if key is None:
        key = kms.DescribeWhiteBoxKey(KeyId=new_key(kms, algorithm)["KeyId"])["KeyInfo"]
    sdk = sdk_for(kms, key["DecryptKey"])
    params = {"KeyId": key["KeyId"], "PlainText": b64(data)}
    if iv is not None:
        params["InitializationVector"] = b64(iv)
    enc = kms.EncryptByWhiteBox(**params)
    assert decrypt(sdk, key["DecryptKey"], enc["InitializationVector"], enc["CipherText"]) == data


# -- purchase state, regions, isolation, QPS ------------------------------------------------

SAMPLE = {
    "CreateWhiteBoxKey": lambda k: {"Alias": "np", "Algorithm": "SM4"},
    "DeleteWhiteBoxKey": lambda k: {"KeyId": k},
    "DescribeWhiteBoxDecryptKey": lambda k: {"KeyId": k},
    "DescribeWhiteBoxDeviceFingerprints": lambda k: {"KeyId": k},
    "DescribeWhiteBoxKey": lambda k: {"KeyId": k},
    "DescribeWhiteBoxKeyDetails": lambda k: {},
    "DescribeWhiteBoxServiceStatus": lambda k: {},
    "DisableWhiteBoxKey": lambda k: {"KeyId": k},
    "DisableWhiteBoxKeys": lambda k: {"KeyIds": [k]},
    "EnableWhiteBoxKey": lambda k: {"KeyId": k},
    "EnableWhiteBoxKeys": lambda k: {"KeyIds": [k]},
    "EncryptByWhiteBox": lambda k: {"KeyId": k, "PlainText": PLAIN},
    "OverwriteWhiteBoxDeviceFingerprints": lambda k: {"KeyId": k},
}
"""A valid call of each of the 13 actions on an existing key ``k``."""

PER_100 = {
    "CreateWhiteBoxKey",
    "DescribeWhiteBoxDeviceFingerprints",
    "DescribeWhiteBoxKeyDetails",
    "EncryptByWhiteBox",
    "OverwriteWhiteBoxDeviceFingerprints",
}
"""The white-box actions documented at 100 requests per second (the others: 200)."""


def test_the_sample_covers_all_thirteen(kms):
    assert sorted(SAMPLE) == sorted(a for a in kms.built_actions() if "WhiteBox" in a)
    assert len(SAMPLE) == 13


@pytest.mark.parametrize("action", sorted(SAMPLE))
def test_not_purchased_refuses_every_action_and_only_that_account(action):
    kms = service()
    key_id = new_key(kms)["KeyId"]
    other = kms.create_account("other")
    kms.set_whitebox_purchased(False)
    before = kms.inspect.state()
    assert code_of(kms.call, action, SAMPLE[action](key_id)) == "ResourceUnavailable.NotPurchased"
    assert kms.inspect.state() == before
    assert kms.as_account(other.uin).DescribeWhiteBoxServiceStatus()["ServiceEnabled"] is True
    kms.set_whitebox_purchased(True)
    if action == "DeleteWhiteBoxKey":
        kms.DisableWhiteBoxKey(KeyId=key_id)
    assert kms.call(action, SAMPLE[action](key_id))["RequestId"]


def test_purchase_state_of_another_account_and_unknown_accounts():
    kms = service()
    other = kms.create_account("other")
    kms.set_whitebox_purchased(False, uin=other.uin)
    assert kms.DescribeWhiteBoxServiceStatus()["ServiceEnabled"] is True
    assert code_of(kms.as_account(other.uin).DescribeWhiteBoxServiceStatus) == (
        "ResourceUnavailable.NotPurchased"
    )
    with pytest.raises(ValueError):
        kms.set_whitebox_purchased(False, uin=42)


@pytest.mark.parametrize("action", sorted(SAMPLE))
def test_strict_regions_refuse_undocumented_regions(action):
    kms = service(whitebox_regions_strict=True)
    assert new_key(kms)["KeyId"]  # ap-guangzhou is documented
    singapore = kms.in_region("ap-singapore")
    assert code_of(singapore.call, action, SAMPLE[action](MISSING)) == "UnsupportedRegion"
    for region in ("ap-beijing", "ap-hongkong", "ap-shanghai"):
        assert kms.in_region(region).DescribeWhiteBoxServiceStatus()["ServiceEnabled"]


def test_without_strict_regions_every_region_works(kms):
    singapore = kms.in_region("ap-singapore")
    key_id = new_key(singapore, "AES_256")["KeyId"]
    assert singapore.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]["Algorithm"] == "AES_256"
    assert code_of(kms.DescribeWhiteBoxKey, KeyId=key_id) == "ResourceNotFound"


@pytest.mark.parametrize("action", sorted(SAMPLE))
def test_accounts_are_isolated(action):
    kms = service()
    key_id = new_key(kms)["KeyId"]
    other = kms.as_account(kms.create_account("other").uin)
    if action in ("CreateWhiteBoxKey", "DescribeWhiteBoxServiceStatus"):
        assert other.call(action, SAMPLE[action](key_id))["RequestId"]
    elif action == "DescribeWhiteBoxKeyDetails":
        out = other.DescribeWhiteBoxKeyDetails()
        assert (out["KeyInfos"], out["TotalCount"]) == ([], 0)
        assert kms.DescribeWhiteBoxKeyDetails()["TotalCount"] == 1
    else:
        before = kms.inspect.state()
        assert code_of(other.call, action, SAMPLE[action](key_id)) == "ResourceNotFound"
        assert kms.inspect.state() == before


@pytest.mark.parametrize("action", sorted(SAMPLE))
def test_documented_qps_limits(action):
    """Scaled to a twentieth so the test is short: the limit is the documented one x 0.05."""
    documented = ACTIONS[action].qps
    assert documented == (100 if action in PER_100 else 200)
    kms = service(qps=0.05)
    limit = kms.limiter.limits[action]
    assert limit == documented // 20
    for _ in range(limit):
        try:
            kms.call(action, {"KeyId": MISSING})
        except Exception as exc:
            assert getattr(exc, "code", "") != "RequestLimitExceeded"
    assert code_of(kms.call, action, {"KeyId": MISSING}) == "RequestLimitExceeded"
    other = kms.create_account("other")
    with pytest.raises(Exception) as info:
        kms.as_account(other.uin).call(action, {"KeyId": MISSING})
    assert getattr(info.value, "code", "") != "RequestLimitExceeded"
