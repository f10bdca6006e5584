"""Tenancy: another account, or the same account in another region, can neither list,
describe, change, use nor decrypt a key or blob it does not own, and gets exactly the
answer it would get for a key that does not exist (DESIGN.md section 2)."""

from __future__ import annotations

import pytest

from kmslab.actions.errors import KMSError
from kmslab.crypto import blob as blobs

MISSING = "0badf00d-0000-1000-8000-000000000000"

KEY_ACTIONS = [
    ("DescribeKey", {}),
    ("DescribeKeys", None),
    ("EnableKeys", None),
    ("DisableKeys", None),
    ("EnableKey", {}),
    ("DisableKey", {}),
    ("UpdateAlias", {"Alias": "stolen"}),
    ("UpdateKeyDescription", {"Description": "stolen"}),
    ("ScheduleKeyDeletion", {"PendingWindowInDays": 7}),
    ("CancelKeyDeletion", {}),
    ("ArchiveKey", {}),
    ("CancelKeyArchive", {}),
    ("BindCloudResource", {"ProductId": "ssm", "ResourceId": "r"}),
    ("UnbindCloudResource", {"ProductId": "ssm", "ResourceId": "r"}),
    ("EnableKeyRotation", {}),
    ("DisableKeyRotation", {}),
    ("GetKeyRotationStatus", {}),
    ("RotateKey", {}),
    ("Encrypt", {"Plaintext": "eA=="}),
    ("GenerateDataKey", {"KeySpec": "AES_256"}),
]


@pytest.fixture(params=["other-account", "other-region"])
def stranger(request, kms):
    """Who looks at the default account's keys in ap-guangzhou."""
    if request.param == "other-account":
        return kms.as_account(kms.create_account("mallory").uin)
    return kms.in_region("ap-shanghai")  # also SM, so only the scope differs


@pytest.fixture
def owned(kms):
    """A key of the default account with rotation on, and a blob under it."""
    key_id = kms.CreateKey(Alias="mine", Description="owner's")["KeyId"]
    kms.EnableKeyRotation(KeyId=key_id)
    text = kms.Encrypt(KeyId=key_id, Plaintext="c2VjcmV0", EncryptionContext='{"a":"b"}')
    return key_id, text["CiphertextBlob"]


def outcome(face, action: str, key_id: str, extra: dict | None) -> tuple:
    params = {"KeyIds": [key_id]} if extra is None else {"KeyId": key_id, **extra}
    with pytest.raises(KMSError) as info:
        face.call(action, params)
    # the message names the key asked for; apart from that it must be identical
    return info.value.code, info.value.message.replace(key_id, "<id>")


@pytest.mark.parametrize(("action", "extra"), KEY_ACTIONS, ids=[a for a, _ in KEY_ACTIONS])
def test_foreign_key_is_a_missing_key(kms, stranger, owned, action, extra):
    key_id, _ = owned
    before = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
    foreign = outcome(stranger, action, key_id, extra)
    assert foreign == outcome(stranger, action, MISSING, extra)
    assert foreign[0] == "ResourceUnavailable.CmkNotFound"
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"] == before


def test_foreign_keys_are_not_listed(kms, stranger, owned):
    assert stranger.ListKeys()["TotalCount"] == 0
    r = stranger.ListKeyDetail(KeyUsage="ALL", KeyState=0)
    assert r["TotalCount"] == 0 and r.get("KeyMetadatas", []) == []
    assert stranger.ListKeyDetail(SearchKeyAlias="mine")["TotalCount"] == 0
    assert stranger.GetServiceStatus()["CmkUserCount"] == 0
    assert kms.ListKeys()["TotalCount"] == 1


def forged_missing_blob(text: str) -> str:
    """The same blob naming a key that exists nowhere."""
    parsed = blobs.decode(text)
    header = blobs.make_header(parsed.suite_id, MISSING, parsed.version)
    return blobs.encode(header, parsed.nonce, parsed.sealed)


@pytest.mark.parametrize("context", ['{"a":"b"}', None, '{"x":"y"}'])
def test_foreign_blob_is_a_missing_key(stranger, owned, context):
    _, text = owned
    missing = forged_missing_blob(text)
    answers = []
    for blob_text in (text, missing):
        with pytest.raises(KMSError) as info:
            stranger.Decrypt(CiphertextBlob=blob_text, EncryptionContext=context)
        answers.append(info.value.code)
    assert answers == ["ResourceUnavailable.CmkNotFound"] * 2


def test_foreign_blob_cannot_be_reencrypted_to_own_key(stranger, owned):
    _, text = owned
    own = stranger.CreateKey(Alias="mine")["KeyId"]  # same alias: another namespace
    for blob_text in (text, forged_missing_blob(text)):
        with pytest.raises(KMSError) as info:
            stranger.ReEncrypt(
                CiphertextBlob=blob_text,
                DestinationKeyId=own,
                SourceEncryptionContext='{"a":"b"}',
            )
        assert info.value.code == "ResourceUnavailable.CmkNotFound"


def test_own_blob_cannot_be_reencrypted_to_foreign_key(kms, stranger, owned):
    key_id, _ = owned
    own = stranger.CreateKey(Alias="x")["KeyId"]
    text = stranger.Encrypt(KeyId=own, Plaintext="eA==")["CiphertextBlob"]
    answers = []
    for dest in (key_id, MISSING):
        with pytest.raises(KMSError) as info:
            stranger.ReEncrypt(CiphertextBlob=text, DestinationKeyId=dest)
        answers.append(info.value.code)
    assert answers == ["ResourceUnavailable.CmkNotFound"] * 2


def test_owner_still_decrypts(kms, owned):
    _, text = owned
    r = kms.Decrypt(CiphertextBlob=text, EncryptionContext='{"a":"b"}')
    assert r["Plaintext"] == "c2VjcmV0"


def test_unknown_account_and_region(kms, fails):
    with pytest.raises(ValueError):
        kms.as_account(1)
    with pytest.raises(ValueError):
        kms.as_account(kms.default_uin, "mars-north-1")
    assert fails(kms.call, action="GetRegions", region="mars-north-1").code == "UnsupportedRegion"
