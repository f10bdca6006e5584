"""Hosted data keys through the public API: storage as the CMK blob, import, names,
quotas, lists, batches, EncryptionPublicKey, the clock, isolation and persistence."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmslab import KMS
from kmslab.actions.errors import KMSError

B64 = base64.b64encode


def b64(data: bytes) -> str:
    return B64(data).decode()


# -- stored as exactly the CMK blob ---------------------------------------------------------


def test_hosted_key_is_the_blob_generate_data_key_returned(kms, hosted):
    out = hosted(Description="for orders")
    dk = out["DataKeyId"]
    assert out["TagCode"] == 0 and out["TagMsg"] == "no tags to save"
    assert kms.GetDataKeyPlaintext(DataKeyId=dk)["Plaintext"] == out["Plaintext"]
    blob = kms.GetDataKeyCiphertextBlob(DataKeyId=dk)["CiphertextBlob"]
    assert blob == out["CiphertextBlob"]
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == out["Plaintext"]
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["KeyId"] == out["KeyId"] and meta["NumberOfBytes"] == 32
    assert meta["Origin"] == "TENCENT_KMS" and meta["KeyState"] == "Enabled"
    assert meta["Description"] == "for orders"
    assert meta["ResourceId"] == f"creatorUin/{meta['CreatorUin']}/{dk}"
    assert meta["KeyName"] == kms.DescribeKey(KeyId=out["KeyId"])["KeyMetadata"]["Alias"]


def test_stored_record_holds_no_plaintext(kms, hosted):
    out = hosted(NumberOfBytes=48)
    plain = base64.b64decode(out["Plaintext"])
    state = repr(kms.inspect.state())
    assert plain.hex() not in state and out["Plaintext"] not in state
    assert out["CiphertextBlob"] in state


def test_rotating_the_cmk_never_breaks_a_hosted_key(kms, new_key, hosted):
    key_id = new_key()
    before = hosted(KeyId=key_id)
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    kms.clock.advance(days=8)
    kms.RotateKey(KeyId=key_id)
    assert len(kms.inspect.key(key_id).versions) == 3
    after = hosted(KeyId=key_id)
    for out in (before, after):
        assert kms.GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])["Plaintext"] == out["Plaintext"]
    assert before["CiphertextBlob"] != after["CiphertextBlob"]


def test_non_hosted_generate_data_key_creates_nothing(kms, new_key):
    key_id = new_key()
    out = kms.GenerateDataKey(KeyId=key_id, KeySpec="AES_256", DataKeyName="ignored")
    assert "DataKeyId" not in out
    assert kms.ListDataKeys()["TotalCount"] == 0
    assert kms.GetServiceStatus()["DataKeyUsedCount"] == 0


def test_hosted_needs_a_name_and_refuses_an_encryption_context(kms, new_key, fails):
    key_id = new_key()
    err = fails(kms.GenerateDataKey, KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1)
    assert err.code == "MissingParameter"
    err = fails(
        kms.GenerateDataKey,
        KeyId=key_id,
        NumberOfBytes=16,
        IsHostedByKms=1,
        DataKeyName="ctx",
        EncryptionContext='{"a":"b"}',
    )
    assert err.code == "InvalidParameter"
    assert kms.ListDataKeys()["TotalCount"] == 0


# -- ImportDataKey ----------------------------------------------------------------------------


def test_import_type_1_reimports_a_downloaded_blob(kms, hosted):
    out = hosted()
    blob = kms.GetDataKeyCiphertextBlob(DataKeyId=out["DataKeyId"])["CiphertextBlob"]
    imported = kms.ImportDataKey(DataKeyName="again", ImportKeyMaterial=blob, ImportType=1)
    assert imported["KeyId"] == out["KeyId"]
    dk = imported["DataKeyId"]
    assert kms.GetDataKeyPlaintext(DataKeyId=dk)["Plaintext"] == out["Plaintext"]
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["Origin"] == "TENCENT_KMS" and meta["NumberOfBytes"] == 32


def test_import_type_1_of_a_plain_generate_data_key_blob(kms, new_key):
    key_id = new_key()
    out = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=24)
    imported = kms.ImportDataKey(
        DataKeyName="client-side",
        ImportKeyMaterial=out["CiphertextBlob"],
        ImportType=1,
        KeyId=key_id,
    )
    assert kms.GetDataKeyPlaintext(DataKeyId=imported["DataKeyId"])["Plaintext"] == out["Plaintext"]


def test_import_type_2_encrypts_plaintext_under_key_id(kms, new_key):
    key_id = new_key()
    out = kms.ImportDataKey(
        DataKeyName="mine", ImportKeyMaterial=b64(b"1234\n"), ImportType=2, KeyId=key_id
    )
    dk = out["DataKeyId"]
    assert kms.GetDataKeyPlaintext(DataKeyId=dk)["Plaintext"] == b64(b"1234\n")
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["Origin"] == "EXTERNAL" and meta["NumberOfBytes"] == 5
    blob = kms.GetDataKeyCiphertextBlob(DataKeyId=dk)["CiphertextBlob"]
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == b64(b"1234\n")


def _other_blob(kms: KMS) -> str:
    other = kms.create_account("other")
    view = kms.as_account(other.uin)
    key_id = view.CreateKey(Alias="theirs")["KeyId"]
    return view.GenerateDataKey(KeyId=key_id, NumberOfBytes=32)["CiphertextBlob"]


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("type 3", "InvalidParameterValue.InvalidType"),
        ("type 0", "InvalidParameterValue.InvalidType"),
        ("type 1 garbage", "InvalidParameterValue.InvalidImportKeyMaterial"),
        ("type 1 altered", "InvalidParameterValue.InvalidImportKeyMaterial"),
        ("type 1 with context", "InvalidParameterValue.InvalidImportKeyMaterial"),
        ("type 1 foreign", "InvalidParameterValue.InvalidImportKeyMaterial"),
        ("type 1 too long", "InvalidParameterValue.InvalidImportKeyMaterial"),
        ("type 1 wrong KeyId", "InvalidParameterValue.InvalidKeyId"),
        ("type 2 no KeyId", "InvalidParameter"),
        ("type 2 empty", "InvalidParameterValue.InvalidPlaintext"),
        ("type 2 1025 bytes", "InvalidParameterValue.InvalidPlaintext"),
        ("type 2 not base64", "InvalidParameterValue.InvalidPlaintext"),
        ("type 2 asymmetric", "InvalidParameterValue.InvalidKeyUsage"),
        ("type 2 malformed KeyId", "InvalidParameterValue.InvalidKeyId"),
        ("bad name", "InvalidParameterValue.InvalidDataKeyName"),
        ("long description", "InvalidParameterValue.InvalidDataKeyName"),
        ("hsm cluster", "InvalidParameter"),
        ("duplicate tags", "InvalidParameterValue.TagKeysDuplicated"),
    ],
)
def test_import_refusals(kms, new_key, fails, case, code):
    key_id = new_key()
    good = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=32)["CiphertextBlob"]
    params = {"DataKeyName": "imp", "ImportType": 1, "ImportKeyMaterial": good}
    if case.startswith("type 2"):
        params.update(ImportType=2, ImportKeyMaterial=b64(b"k" * 32), KeyId=key_id)
    if case == "type 3":
        params["ImportType"] = 3
    elif case == "type 0":
        params["ImportType"] = 0
    elif case == "type 1 garbage":
        params["ImportKeyMaterial"] = "not-a-blob"
    elif case == "type 1 altered":
        head, nonce, sealed = good.split("-k-")
        raw = bytearray(base64.b64decode(sealed))
        raw[0] ^= 1
        params["ImportKeyMaterial"] = "-k-".join([head, nonce, b64(bytes(raw))])
    elif case == "type 1 with context":
        params["ImportKeyMaterial"] = kms.GenerateDataKey(
            KeyId=key_id, NumberOfBytes=32, EncryptionContext='{"a":"1"}'
        )["CiphertextBlob"]
    elif case == "type 1 foreign":
        params["ImportKeyMaterial"] = _other_blob(kms)
    elif case == "type 1 too long":
        params["ImportKeyMaterial"] = kms.Encrypt(KeyId=key_id, Plaintext=b64(b"x" * 2000))[
            "CiphertextBlob"
        ]
    elif case == "type 1 wrong KeyId":
        params["KeyId"] = new_key()
    elif case == "type 2 no KeyId":
        del params["KeyId"]
    elif case == "type 2 empty":
        params["ImportKeyMaterial"] = ""
    elif case == "type 2 1025 bytes":
        params["ImportKeyMaterial"] = b64(b"k" * 1025)
    elif case == "type 2 not base64":
        params["ImportKeyMaterial"] = "%%%"
    elif case == "type 2 asymmetric":
        params["KeyId"] = new_key(KeyUsage="ASYMMETRIC_DECRYPT_SM2")
    elif case == "type 2 malformed KeyId":
        params["KeyId"] = "nope"
    elif case == "bad name":
        params["DataKeyName"] = "-starts-with-dash"
    elif case == "long description":
        params["Description"] = "数" * 34  # 102 bytes
    elif case == "hsm cluster":
        params["HsmClusterId"] = "cls-hsm-1"
    elif case == "duplicate tags":
        params["Tags"] = [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}]
    before = kms.inspect.state()["resources"]["data_key"]
    assert fails(kms.ImportDataKey, **params).code == code
    assert kms.inspect.state()["resources"]["data_key"] == before


def test_import_type_2_accepts_1_and_1024_bytes(kms, new_key):
    key_id = new_key()
    for n in (1, 1024):
        out = kms.ImportDataKey(
            DataKeyName=f"n{n}", ImportKeyMaterial=b64(b"z" * n), ImportType=2, KeyId=key_id
        )
        meta = kms.DescribeDataKey(DataKeyId=out["DataKeyId"])["DataKeyMetadata"]
        assert meta["NumberOfBytes"] == n


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=1024))
def test_import_round_trip_property(kms, data):
    key_id = kms.inspect.alias_owner("prop") or kms.CreateKey(Alias="prop")["KeyId"]
    name = f"p{kms.ListDataKeys()['TotalCount']}"
    out = kms.ImportDataKey(
        DataKeyName=name, ImportKeyMaterial=b64(data), ImportType=2, KeyId=key_id
    )
    blob = kms.GetDataKeyCiphertextBlob(DataKeyId=out["DataKeyId"])["CiphertextBlob"]
    again = kms.ImportDataKey(DataKeyName=name + "b", ImportKeyMaterial=blob, ImportType=1)
    assert (
        base64.b64decode(kms.GetDataKeyPlaintext(DataKeyId=again["DataKeyId"])["Plaintext"]) == data
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_import_type_1_never_crashes_on_any_text(kms, text):
    try:
        kms.ImportDataKey(DataKeyName="fuzz", ImportKeyMaterial=text, ImportType=1)
    except KMSError as exc:
        assert exc.code in {
            "InvalidParameterValue.InvalidImportKeyMaterial",
            "InvalidParameter",
        }, exc.code
    else:  # pragma: no cover - random text is never a valid blob of this account
        raise AssertionError("random text imported")


# -- names, descriptions, tags -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("A" * 60, True),
        ("42tofUJQy1gVjfsuIS0sbDoSqtpKuiw3", True),
        ("test_weijia_0123456", True),
        ("x-y_z", True),
        ("", False),
        ("A" * 61, False),
        ("_lead", False),
        ("has space", False),
        ("数据", False),
        ("a.b", False),
    ],
)
def test_data_key_name_rule(kms, new_key, fails, name, ok):
    key_id = new_key()
    params = {"KeyId": key_id, "NumberOfBytes": 16, "IsHostedByKms": 1, "DataKeyName": name}
    if ok:
        assert kms.GenerateDataKey(**params)["DataKeyId"]
    else:
        code = fails(kms.GenerateDataKey, **params).code
        assert code == (
            "MissingParameter" if not name else "InvalidParameterValue.InvalidDataKeyName"
        )


def test_names_are_unique_per_account_and_region(kms, hosted, fails, new_key):
    first = hosted(DataKeyName="orders")
    err = fails(
        kms.GenerateDataKey,
        KeyId=new_key(),
        NumberOfBytes=16,
        IsHostedByKms=1,
        DataKeyName="orders",
    )
    assert err.code == "InvalidParameterValue.DataKeyNameAlreadyExists"
    blob = first["CiphertextBlob"]
    err = fails(kms.ImportDataKey, DataKeyName="orders", ImportKeyMaterial=blob, ImportType=1)
    assert err.code == "InvalidParameterValue.InvalidDataKeyName"
    second = hosted(DataKeyName="other")
    err = fails(kms.UpdateDataKeyName, DataKeyId=second["DataKeyId"], DataKeyName="orders")
    assert err.code == "InvalidParameterValue"
    # Another region and another account may use the name.
    hk = kms.in_region("ap-hongkong")
    hk_key = hk.CreateKey(Alias="k")["KeyId"]
    assert hk.GenerateDataKey(KeyId=hk_key, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="orders")
    view = kms.as_account(kms.create_account("b").uin)
    v_key = view.CreateKey(Alias="k")["KeyId"]
    assert view.GenerateDataKey(
        KeyId=v_key, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="orders"
    )


def test_rename_frees_the_old_name_and_keeps_its_own(kms, hosted):
    dk = hosted(DataKeyName="old")["DataKeyId"]
    kms.UpdateDataKeyName(DataKeyId=dk, DataKeyName="old")  # renaming to itself is fine
    kms.UpdateDataKeyName(DataKeyId=dk, DataKeyName="new")
    assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["DataKeyName"] == "new"
    assert hosted(DataKeyName="old")["DataKeyId"]
    assert kms.ListDataKeyDetail(SearchKeyAlias="new")["TotalCount"] == 1


@pytest.mark.parametrize(
    ("description", "ok"),
    [("", True), ("x" * 100, True), ("数" * 33, True), ("x" * 101, False), ("数" * 34, False)],
)
def test_descriptions_are_at_most_100_bytes(kms, hosted, fails, new_key, description, ok):
    dk = hosted()["DataKeyId"]
    update = {"DataKeyId": dk, "Description": description}
    generate = {
        "KeyId": new_key(),
        "NumberOfBytes": 16,
        "IsHostedByKms": 1,
        "DataKeyName": "described",
        "Description": description,
    }
    if ok:
        kms.UpdateDataKeyDescription(**update)
        assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["Description"] == description
        kms.GenerateDataKey(**generate)
    else:
        assert fails(kms.UpdateDataKeyDescription, **update).code == (
            "InvalidParameterValue.InvalidDataKeyName"
        )
        assert fails(kms.GenerateDataKey, **generate).code == (
            "InvalidParameterValue.InvalidDataKeyName"
        )


def test_tags_are_kept_and_filter_lists(kms, hosted):
    tagged = hosted(Tags=[{"TagKey": "team", "TagValue": "pay"}])
    assert tagged["TagMsg"] == "ok"
    hosted(Tags=[{"TagKey": "team", "TagValue": "ops"}])
    hosted()
    found = kms.ListDataKeyDetail(TagFilters=[{"TagKey": "team", "TagValue": ["pay"]}])
    assert [m["DataKeyId"] for m in found["DataKeyMetadatas"]] == [tagged["DataKeyId"]]
    assert kms.ListDataKeyDetail(TagFilters=[{"TagKey": "team"}])["TotalCount"] == 2


# -- quotas and GetServiceStatus --------------------------------------------------------------


def test_data_key_limit_is_enforced_and_counts_true():
    kms = KMS(seed=3, data_key_limit=3, free_data_key_limit=2)
    key_id = kms.CreateKey(Alias="k")["KeyId"]

    def gen(name):
        return kms.GenerateDataKey(
            KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1, DataKeyName=name
        )

    ids = [gen(f"d{i}")["DataKeyId"] for i in range(3)]
    status = kms.GetServiceStatus()
    assert status["IsAllowedDataKeyHosted"] is True
    assert (status["DataKeyLimit"], status["FreeDataKeyLimit"], status["DataKeyUsedCount"]) == (
        3,
        2,
        3,
    )
    with pytest.raises(KMSError) as info:
        gen("d3")
    assert info.value.code == "LimitExceeded.DataKeyLimitExceeded"
    blob = kms.GetDataKeyCiphertextBlob(DataKeyId=ids[0])["CiphertextBlob"]
    with pytest.raises(KMSError) as info:
        kms.ImportDataKey(DataKeyName="imp", ImportKeyMaterial=blob, ImportType=1)
    assert info.value.code == "LimitExceeded.DataKeyLimitExceeded"
    # A key pending deletion does not count; cancelling it needs room again.
    kms.ScheduleDataKeyDeletion(DataKeyId=ids[0], PendingWindowInDays=7)
    assert kms.GetServiceStatus()["DataKeyUsedCount"] == 2
    gen("d4")
    with pytest.raises(KMSError) as info:
        kms.CancelDataKeyDeletion(DataKeyId=ids[0])
    assert info.value.code == "LimitExceeded.DataKeyLimitExceeded"
    assert kms.DescribeDataKey(DataKeyId=ids[0])["DataKeyMetadata"]["KeyState"] == "PendingDelete"
    kms.ScheduleDataKeyDeletion(DataKeyId=ids[1], PendingWindowInDays=7)
    kms.CancelDataKeyDeletion(DataKeyId=ids[0])
    assert kms.GetServiceStatus()["DataKeyUsedCount"] == 3


def test_default_quota_is_documented_and_large():
    status = KMS(seed=1).GetServiceStatus()
    assert status["DataKeyLimit"] == 100_000 == status["FreeDataKeyLimit"]
    assert status["DataKeyUsedCount"] == 0


def test_hosting_can_be_switched_off_per_account(kms, new_key, fails):
    key_id = new_key()
    other = kms.create_account("other")
    kms.set_data_key_hosting(False)
    assert kms.GetServiceStatus()["IsAllowedDataKeyHosted"] is False
    err = fails(
        kms.GenerateDataKey, KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="x"
    )
    assert err.code == "UnauthorizedOperation"
    assert kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=16)["Plaintext"]  # unhosted still works
    assert kms.as_account(other.uin).GetServiceStatus()["IsAllowedDataKeyHosted"] is True
    kms.set_data_key_hosting(True)
    assert kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="x")


# -- lists --------------------------------------------------------------------------------------


def test_list_filters_ordering_and_paging(kms, new_key, hosted):
    a, b = new_key(), new_key()
    made = []
    for i in range(12):
        made.append(hosted(KeyId=a if i % 2 else b, NumberOfBytes=16 if i % 3 else 32)["DataKeyId"])
        kms.clock.advance(seconds=1)
    imported = kms.ImportDataKey(
        DataKeyName="ext", ImportKeyMaterial=b64(b"e" * 16), ImportType=2, KeyId=a
    )["DataKeyId"]
    kms.DisableDataKey(DataKeyId=made[0])
    kms.ScheduleDataKeyDeletion(DataKeyId=made[1], PendingWindowInDays=7)

    def ids(**filters):
        out = kms.ListDataKeyDetail(Limit=200, **filters)
        assert out["TotalCount"] == len(out["DataKeyMetadatas"])
        return [m["DataKeyId"] for m in out["DataKeyMetadatas"]]

    everything = [*made, imported]
    assert ids() == everything[::-1]
    assert ids(OrderType=1) == everything
    assert ids(KeyState=2) == [made[0]]
    assert ids(KeyState=3) == [made[1]]
    assert set(ids(KeyState=1)) == set(everything) - {made[0], made[1]}
    assert ids(Origin="EXTERNAL") == [imported]
    assert len(ids(Origin="TENCENT_KMS")) == 12 and ids(Origin="ALL") == ids()
    assert set(ids(KeyId=a)) == {*made[1::2], imported}
    assert set(ids(DataKeyLen=32)) == {made[i] for i in range(12) if i % 3 == 0}
    assert ids(KeyId=a, DataKeyLen=16, KeyState=1, Origin="EXTERNAL") == [imported]
    assert ids(SearchKeyAlias="ext") == [imported]
    assert ids(SearchKeyAlias=made[3][:13]) == [
        m for m in everything[::-1] if m.startswith(made[3][:13])
    ]
    page = kms.ListDataKeyDetail(Offset=3, Limit=4, OrderType=1)
    assert (
        page["TotalCount"] == 13 and [m["DataKeyId"] for m in page["DataKeyMetadatas"]] == made[3:7]
    )
    default = kms.ListDataKeyDetail()
    assert len(default["DataKeyMetadatas"]) == 10
    listed = kms.ListDataKeys(Limit=200)
    assert listed["TotalCount"] == 12  # every key not pending deletion
    assert made[1] not in [d["DataKeyId"] for d in listed["DataKeys"]]
    assert (
        kms.ListDataKeys(Role=1)["TotalCount"] == 0
        and kms.ListDataKeyDetail(Role=1)["TotalCount"] == 0
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Limit": 201}, "InvalidParameterValue"),
        ({"KeyState": 4}, "InvalidParameterValue"),
        ({"Origin": "external"}, "InvalidParameterValue"),
        ({"OrderType": 2}, "InvalidParameterValue"),
        ({"KeyId": "nope"}, "InvalidParameterValue.InvalidKeyId"),
        ({"KeyId": "00000000-0000-1000-8000-000000000000"}, "ResourceUnavailable.CmkNotFound"),
        ({"HsmClusterId": "cls-hsm-1"}, "InvalidParameterValue.InvalidHsmClusterId"),
        ({"MemberAccounts": [{"MemberUin": 1}]}, "UnsupportedOperation.NotRoleOperation"),
        ({"Limit": "10"}, "InvalidParameter"),
    ],
)
def test_list_refusals(kms, fails, params, code):
    assert fails(kms.ListDataKeyDetail, **params).code == code


def test_list_data_keys_refusals(kms, fails):
    assert fails(kms.ListDataKeys, Limit=201).code == "InvalidParameterValue"
    assert (
        fails(kms.ListDataKeys, HsmClusterId="x").code
        == "InvalidParameterValue.InvalidHsmClusterId"
    )


# -- batches ------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["DescribeDataKeys", "EnableDataKeys", "DisableDataKeys"])
def test_batches_refuse_duplicates_and_more_than_100(kms, hosted, fails, action):
    dk = hosted()["DataKeyId"]
    method = getattr(kms, action)
    assert fails(method, DataKeyIds=[dk, dk]).code == "InvalidParameterValue.DuplicatedDataKeyId"
    many = [f"00000000-0000-1000-8000-{i:012d}" for i in range(101)]
    assert fails(method, DataKeyIds=many).code == "InvalidParameterValue"
    assert fails(method, DataKeyIds=[dk, "bad id"]).code == "InvalidParameterValue.InvalidDataKeyId"
    missing = "00000000-0000-1000-8000-000000000000"
    assert fails(method, DataKeyIds=[dk, missing]).code == "ResourceUnavailable.DataKeyNotFound"


def test_batches_are_all_or_nothing(kms, hosted, fails):
    ids = [hosted()["DataKeyId"] for _ in range(3)]
    kms.ScheduleDataKeyDeletion(DataKeyId=ids[2], PendingWindowInDays=7)
    before = kms.inspect.state()
    assert (
        fails(kms.DisableDataKeys, DataKeyIds=ids).code
        == "ResourceUnavailable.DataKeyStateNotSupport"
    )
    assert kms.inspect.state() == before
    kms.DisableDataKeys(DataKeyIds=ids[:2])
    out = kms.DescribeDataKeys(DataKeyIds=ids)["DataKeyMetadatas"]
    assert [m["KeyState"] for m in out] == ["Disabled", "Disabled", "PendingDelete"]
    assert [m["DataKeyId"] for m in out] == ids
    assert (
        fails(kms.EnableDataKeys, DataKeyIds=ids).code
        == "ResourceUnavailable.DataKeyStateNotSupport"
    )
    assert [
        m["KeyState"] for m in kms.DescribeDataKeys(DataKeyIds=ids[:2])["DataKeyMetadatas"]
    ] == [
        "Disabled",
        "Disabled",
    ]
    kms.EnableDataKeys(DataKeyIds=ids[:2])
    assert kms.GetDataKeyPlaintext(DataKeyId=ids[0])["Plaintext"]


def test_enable_batch_checks_every_cmk_first(kms, new_key, hosted, fails):
    good, bad = new_key(), new_key()
    ids = [hosted(KeyId=good)["DataKeyId"], hosted(KeyId=bad)["DataKeyId"]]
    kms.DisableDataKeys(DataKeyIds=ids)
    kms.DisableKey(KeyId=bad)
    assert (
        fails(kms.EnableDataKeys, DataKeyIds=ids).code == "ResourceUnavailable.CmkStateNotSupport"
    )
    states = [m["KeyState"] for m in kms.DescribeDataKeys(DataKeyIds=ids)["DataKeyMetadatas"]]
    assert states == ["Disabled", "Disabled"]


# -- EncryptionPublicKey on GetDataKeyPlaintext -------------------------------------------------

OAEP256 = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
OAEP1 = padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None)


@pytest.mark.parametrize(
    ("algorithm", "pad"),
    [
        ("RSAES_PKCS1_V1_5", padding.PKCS1v15()),
        ("RSAES_OAEP_SHA_1", OAEP1),
        ("RSAES_OAEP_SHA_256", OAEP256),
    ],
)
def test_plaintext_wrapped_under_an_rsa_key(kms, hosted, algorithm, pad):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    out = hosted()
    wrapped = kms.GetDataKeyPlaintext(
        DataKeyId=out["DataKeyId"], EncryptionPublicKey=pem, EncryptionAlgorithm=algorithm
    )["Plaintext"]
    assert wrapped != out["Plaintext"]
    assert private.decrypt(base64.b64decode(wrapped), pad) == base64.b64decode(out["Plaintext"])


@pytest.mark.parametrize("algorithm", ["SM2", "SM2_C1C3C2_ASN1", None])
def test_plaintext_wrapped_under_an_sm2_key(kms, hosted, algorithm):
    from gmssl import sm2 as gmssl_sm2
    from tongsuopy.crypto import serialization as ts_ser
    from tongsuopy.crypto.asymciphers import ec as ts_ec

    from kmslab.crypto import sm2 as kms_sm2

    private = ts_ec.generate_private_key(ts_ec.SM2())
    pem = (
        private.public_key()
        .public_bytes(ts_ser.Encoding.PEM, ts_ser.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    out = hosted()
    params = {"DataKeyId": out["DataKeyId"], "EncryptionPublicKey": pem}
    if algorithm:
        params["EncryptionAlgorithm"] = algorithm
    raw = base64.b64decode(kms.GetDataKeyPlaintext(**params)["Plaintext"])
    if algorithm == "SM2_C1C3C2_ASN1":
        raw = kms_sm2.der_to_raw(raw)
    else:  # SM2 is the default: bare 64-byte C1, C3, C2
        assert len(raw) == 64 + 32 + 32
    hex_key = format(private.private_numbers().private_value, "064x")
    opened = gmssl_sm2.CryptSM2(private_key=hex_key, public_key="", mode=1).decrypt(raw)
    assert opened == base64.b64decode(out["Plaintext"])


def test_bad_encryption_public_key_is_refused(kms, hosted, fails):
    dk = hosted()["DataKeyId"]
    err = fails(kms.GetDataKeyPlaintext, DataKeyId=dk, EncryptionPublicKey="not a pem")
    assert err.code == "InvalidParameter"
    err = fails(kms.GetDataKeyPlaintext, DataKeyId=dk, EncryptionAlgorithm="ROT13")
    assert err.code == "InvalidParameterValue"


# -- scheduled deletion on the clock ----------------------------------------------------------


@pytest.mark.parametrize("days", [7, 30])
def test_deletion_purges_when_due(kms, hosted, days):
    dk = hosted()["DataKeyId"]
    out = kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=days)
    assert out["DeletionDate"] == int(kms.clock.now()) + days * 86400
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["DeletionDate"] == out["DeletionDate"] and meta["KeyState"] == "PendingDelete"
    kms.clock.advance(seconds=days * 86400 - 1)
    assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["KeyState"] == "PendingDelete"
    kms.clock.advance(seconds=1)
    with pytest.raises(KMSError) as info:
        kms.GetDataKeyPlaintext(DataKeyId=dk)
    assert info.value.code == "ResourceUnavailable.DataKeyNotFound"
    assert kms.inspect.resources("data_key") == []
    assert [e.kind for e in kms.events if e.key_id == dk] == ["deleted"]
    assert not any(ref[1][0] == "data_key" for ref in kms.inspect.pending_jobs())


def test_cancelled_deletion_leaves_no_job_and_restores_the_state(kms, hosted):
    dk = hosted()["DataKeyId"]
    kms.DisableDataKey(DataKeyId=dk)
    kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    assert kms.CancelDataKeyDeletion(DataKeyId=dk)["DataKeyId"] == dk
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["KeyState"] == "Disabled" and meta["DeletionDate"] == 0
    assert not any(ref[1][0] == "data_key" for ref in kms.inspect.pending_jobs())
    kms.clock.advance(days=31)
    assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["KeyState"] == "Disabled"


@pytest.mark.parametrize("days", [6, 31, 0])
def test_pending_window_out_of_range(kms, hosted, fails, days):
    dk = hosted()["DataKeyId"]
    err = fails(kms.ScheduleDataKeyDeletion, DataKeyId=dk, PendingWindowInDays=days)
    assert err.code == "InvalidParameter.InvalidPendingWindowInDays"


def test_a_purged_cmk_leaves_its_data_keys_answering_cmk_not_found(kms, new_key, hosted, fails):
    key_id = new_key()
    dk = hosted(KeyId=key_id)["DataKeyId"]
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    assert fails(kms.GetDataKeyPlaintext, DataKeyId=dk).code == "ResourceUnavailable.CmkNotFound"
    assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["KeyName"] == ""
    assert kms.GetDataKeyCiphertextBlob(DataKeyId=dk)["CiphertextBlob"]


# -- ids and isolation --------------------------------------------------------------------------

SINGLE = [
    ("DescribeDataKey", {}),
    ("GetDataKeyPlaintext", {}),
    ("GetDataKeyCiphertextBlob", {}),
    ("EnableDataKey", {}),
    ("DisableDataKey", {}),
    ("ScheduleDataKeyDeletion", {"PendingWindowInDays": 7}),
    ("CancelDataKeyDeletion", {}),
    ("UpdateDataKeyName", {"DataKeyName": "renamed"}),
    ("UpdateDataKeyDescription", {"Description": "d"}),
]
BATCH = ["DescribeDataKeys", "EnableDataKeys", "DisableDataKeys"]


@pytest.mark.parametrize(("action", "extra"), SINGLE)
def test_malformed_and_missing_ids(kms, fails, action, extra):
    method = getattr(kms, action)
    assert fails(method, DataKeyId="abc", **extra).code == "InvalidParameterValue.InvalidDataKeyId"
    missing = "11111111-2222-1333-8444-555555555555"
    assert fails(method, DataKeyId=missing, **extra).code == "ResourceUnavailable.DataKeyNotFound"


@pytest.mark.parametrize(("action", "extra"), SINGLE)
def test_another_accounts_data_key_is_indistinguishable_from_a_missing_one(
    kms, hosted, action, extra
):
    dk = hosted()["DataKeyId"]
    missing = "11111111-2222-1333-8444-555555555555"
    view = kms.as_account(kms.create_account("intruder").uin)
    answers = []
    for data_key_id in (dk, missing):
        with pytest.raises(KMSError) as info:
            getattr(view, action)(DataKeyId=data_key_id, **extra)
        answers.append((info.value.code, info.value.message.replace(data_key_id, "<id>")))
    assert answers[0] == answers[1]
    assert answers[0][0] == "ResourceUnavailable.DataKeyNotFound"
    assert kms.in_region("ap-hongkong").call("DescribeDataKeys", {"DataKeyIds": []}) is not None
    with pytest.raises(KMSError):
        kms.in_region("ap-hongkong").DescribeDataKey(DataKeyId=dk)
    # and nothing of the owner's changed
    assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["KeyState"] == "Enabled"


def test_other_accounts_see_empty_lists_and_counts(kms, hosted):
    hosted()
    view = kms.as_account(kms.create_account("x").uin)
    assert view.ListDataKeys()["TotalCount"] == 0
    assert view.ListDataKeyDetail()["TotalCount"] == 0
    assert view.GetServiceStatus()["DataKeyUsedCount"] == 0


@pytest.mark.parametrize(("action", "extra"), [*SINGLE[:1], *SINGLE[2:]])
def test_member_account_is_refused(kms, hosted, fails, action, extra):
    dk = hosted()["DataKeyId"]
    err = fails(getattr(kms, action), DataKeyId=dk, MemberAccount={"MemberUin": 1}, **extra)
    assert err.code == "UnsupportedOperation.NotRoleOperation"


# -- persistence ----------------------------------------------------------------------------------


def test_data_keys_survive_sqlite_reopen_and_snapshots(tmp_path):
    path = tmp_path / "kms.sqlite"
    root = bytes(range(32))
    kms = KMS(seed=5, path=path, root_key=root)
    key_id = kms.CreateKey(Alias="k")["KeyId"]
    out = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=32, IsHostedByKms=1, DataKeyName="p")
    kept = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="q")
    kms.ScheduleDataKeyDeletion(DataKeyId=out["DataKeyId"], PendingWindowInDays=7)
    kms.save_snapshot(tmp_path / "snap.json")
    kms.close()
    again = KMS(seed=5, path=path, root_key=root)
    meta = again.DescribeDataKey(DataKeyId=out["DataKeyId"])["DataKeyMetadata"]
    assert meta["KeyState"] == "PendingDelete" and meta["DataKeyName"] == "p"
    assert again.GetDataKeyPlaintext(DataKeyId=kept["DataKeyId"])["Plaintext"] == kept["Plaintext"]
    again.clock.advance(days=8)  # the deletion job came back with the data
    assert again.ListDataKeyDetail()["TotalCount"] == 1
    again.close()
    snap = KMS.load_snapshot(tmp_path / "snap.json", root_key=root, seed=5)
    assert snap.GetDataKeyPlaintext(DataKeyId=kept["DataKeyId"])["Plaintext"] == kept["Plaintext"]
    for file in tmp_path.iterdir():
        if file.is_file():
            content = file.read_bytes()
            assert base64.b64decode(kept["Plaintext"]) not in content
            assert kept["Plaintext"].encode() not in content


def test_name_index_follows_rename_delete_and_failed_calls(kms, hosted, fails):
    dk = hosted(DataKeyName="first")["DataKeyId"]
    fails(kms.UpdateDataKeyName, DataKeyId=dk, DataKeyName="bad name")
    assert kms.inspect.state()["names"]["data_key"][0][1] == "first"
    kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    assert hosted(DataKeyName="first")["DataKeyId"] != dk


# -- regions, wrapping at generation, limits, names as text ------------------------------------


@pytest.mark.parametrize("region", ["ap-guangzhou", "ap-hongkong"])
def test_round_trip_in_both_profiles(kms, region):
    face = kms.in_region(region)
    key_id = face.CreateKey(Alias="r")["KeyId"]
    out = face.GenerateDataKey(KeyId=key_id, KeySpec="AES_128", IsHostedByKms=1, DataKeyName="r")
    assert face.GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])["Plaintext"] == out["Plaintext"]
    meta = face.DescribeDataKey(DataKeyId=out["DataKeyId"])["DataKeyMetadata"]
    assert meta["NumberOfBytes"] == 16
    other = "ap-hongkong" if region == "ap-guangzhou" else "ap-guangzhou"
    with pytest.raises(KMSError) as info:
        kms.in_region(other).GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])
    assert info.value.code == "ResourceUnavailable.DataKeyNotFound"


def test_hosted_generation_with_an_encryption_public_key(kms, hosted):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    out = hosted(EncryptionPublicKey=pem, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    data_key = private.decrypt(base64.b64decode(out["Plaintext"]), OAEP256)
    stored = kms.GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])["Plaintext"]
    assert base64.b64decode(stored) == data_key


def test_researched_qps_limits_are_enforced():
    kms = KMS(seed=4, qps="documented")
    key_id = kms.CreateKey(Alias="q")["KeyId"]
    dk = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=16, IsHostedByKms=1, DataKeyName="q")[
        "DataKeyId"
    ]
    for _ in range(300):
        kms.GetDataKeyPlaintext(DataKeyId=dk)
    with pytest.raises(KMSError) as info:
        kms.GetDataKeyPlaintext(DataKeyId=dk)
    assert info.value.code == "RequestLimitExceeded"
    for i in range(20):
        kms.UpdateDataKeyName(DataKeyId=dk, DataKeyName=f"n{i}")
    with pytest.raises(KMSError) as info:
        kms.UpdateDataKeyName(DataKeyId=dk, DataKeyName="late")
    assert info.value.code == "RequestLimitExceeded"
    kms.clock.advance(seconds=1)
    assert kms.GetDataKeyPlaintext(DataKeyId=dk)["Plaintext"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.one_of(
        st.text(max_size=70),
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,3}", fullmatch=True),  # often taken
        st.sampled_from(["a" * 60, "a" * 61, "dup", "-x", "x y"]),
    )
)
def test_any_name_is_accepted_or_refused_with_its_code(kms, name):
    key_id = kms.inspect.alias_owner("names") or kms.CreateKey(Alias="names")["KeyId"]
    valid = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}", name) is not None
    taken = any(entry[1] == name for entry in kms.inspect.state()["names"]["data_key"])
    if not name:
        expected = "MissingParameter"
    elif not valid:
        expected = "InvalidParameterValue.InvalidDataKeyName"
    elif taken:
        expected = "InvalidParameterValue.DataKeyNameAlreadyExists"
    else:
        expected = None
    try:
        kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=8, IsHostedByKms=1, DataKeyName=name)
    except KMSError as exc:
        assert exc.code == expected, (name, exc.code)
    else:
        assert expected is None, name


@pytest.mark.parametrize("tamper", ["garbage", "other blob", "bad version"])
def test_an_altered_stored_blob_is_refused_not_a_crash(tmp_path, tamper):
    import json
    import sqlite3

    path, root = tmp_path / "kms.sqlite", bytes(range(32))
    kms = KMS(seed=6, path=path, root_key=root)
    key_id = kms.CreateKey(Alias="k")["KeyId"]
    dk = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=32, IsHostedByKms=1, DataKeyName="t")
    other = kms.Encrypt(KeyId=key_id, Plaintext=b64(b"something else"))["CiphertextBlob"]
    kms.close()
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT record FROM data_keys").fetchone()
        rec = json.loads(text)
        if tamper == "garbage":
            rec["blob"] = "not-a-blob"
        elif tamper == "other blob":
            head, _, _ = other.split("-k-")
            _, nonce, sealed = rec["blob"].split("-k-")
            rec["blob"] = "-k-".join([head, nonce, sealed[:-4] + "AAAA"])
        else:
            raw = bytearray(base64.b64decode(rec["blob"].split("-k-")[0]))
            raw[-1] = 9  # a key version the CMK does not have
            rec["blob"] = "-k-".join([b64(bytes(raw)), *rec["blob"].split("-k-")[1:]])
        db.execute("UPDATE data_keys SET record = ?", (json.dumps(rec),))
    again = KMS(seed=6, path=path, root_key=root)
    with pytest.raises(KMSError) as info:
        again.GetDataKeyPlaintext(DataKeyId=dk["DataKeyId"])
    assert info.value.code == "ResourceUnavailable.CmkStateNotSupport"
    again.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(0, 1),  # which CMK
            st.sampled_from([16, 32]),  # length
            st.sampled_from(["Enabled", "Disabled", "PendingDelete"]),
            st.booleans(),  # imported plaintext (EXTERNAL)
        ),
        max_size=14,
    ),
    state=st.integers(0, 3),
    origin=st.sampled_from(["", "ALL", "TENCENT_KMS", "EXTERNAL"]),
    which=st.sampled_from([None, 0, 1]),
    length=st.sampled_from([0, 16, 32]),
    order=st.integers(0, 1),
    offset=st.integers(0, 15),
    limit=st.integers(0, 6),
)
def test_list_pages_equal_a_brute_force_filter(
    plan, state, origin, which, length, order, offset, limit
):
    kms = KMS(seed=8)
    cmks = [kms.CreateKey(Alias=f"c{i}")["KeyId"] for i in range(2)]
    made = []
    for i, (c, size, key_state, external) in enumerate(plan):
        if external:
            out = kms.ImportDataKey(
                DataKeyName=f"d{i}", ImportType=2, KeyId=cmks[c], ImportKeyMaterial=b64(b"x" * size)
            )
        else:
            out = kms.GenerateDataKey(
                KeyId=cmks[c], NumberOfBytes=size, IsHostedByKms=1, DataKeyName=f"d{i}"
            )
        dk = out["DataKeyId"]
        if key_state == "Disabled":
            kms.DisableDataKey(DataKeyId=dk)
        elif key_state == "PendingDelete":
            kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
        made.append((dk, cmks[c], size, key_state, "EXTERNAL" if external else "TENCENT_KMS"))
        kms.clock.advance(seconds=i % 2)  # some keys share a creation second
    params = {"KeyState": state, "Origin": origin, "DataKeyLen": length, "OrderType": order}
    if which is not None:
        params["KeyId"] = cmks[which]
    wanted_state = {0: None, 1: "Enabled", 2: "Disabled", 3: "PendingDelete"}[state]
    expected = [
        dk
        for dk, cmk, size, key_state, key_origin in made
        if (wanted_state is None or key_state == wanted_state)
        and (origin in ("", "ALL") or key_origin == origin)
        and (which is None or cmk == cmks[which])
        and (not length or size == length)
    ]
    if order == 0:
        expected.reverse()
    out = kms.ListDataKeyDetail(Offset=offset, Limit=limit, **params)
    assert out["TotalCount"] == len(expected)
    assert [m["DataKeyId"] for m in out["DataKeyMetadatas"]] == expected[offset : offset + limit]
    listed = kms.ListDataKeys(Offset=offset, Limit=limit)
    not_pending = [m[0] for m in made if m[3] != "PendingDelete"]
    assert listed["TotalCount"] == len(not_pending)
    assert [d["DataKeyId"] for d in listed["DataKeys"]] == not_pending[::-1][
        offset : offset + limit
    ]
