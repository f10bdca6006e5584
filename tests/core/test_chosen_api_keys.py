"""``KMS.add_api_key``: a key pair the caller chose (CI credentials) signs like any other,
is stored wrapped, survives a reopen, and unusable or taken SecretIds are refused."""

from __future__ import annotations

import pytest

import kmslab

SID = "AKIDchosen0123456789abcdefghijklmn"


def test_a_chosen_pair_is_the_accounts_and_survives_a_reopen(tmp_path):
    path = tmp_path / "k.db"
    kms = kmslab.KMS(path=path)
    key = kms.add_api_key(SID, "chosen-secret")
    assert key.uin == kms.default_uin
    assert kms.lookup_secret_id(SID).secret_key == "chosen-secret"
    assert "chosen-secret" not in repr(key)
    kms.close()
    assert b"chosen-secret" not in path.read_bytes()
    again = kmslab.KMS(path=path)
    assert again.lookup_secret_id(SID).secret_key == "chosen-secret"
    again.close()


@pytest.mark.parametrize(
    ("sid", "skey", "message"),
    [
        ("", "k", "SecretId must be 1 to 128"),
        ("AKID with space", "k", "SecretId must be 1 to 128"),
        ("A" * 129, "k", "SecretId must be 1 to 128"),
        ("AKIDé", "k", "SecretId must be 1 to 128"),
        (SID, "", "SecretKey must be 1 to 128"),
        (SID, "tab\tkey", "SecretKey must be 1 to 128"),
        (SID, None, "SecretKey must be 1 to 128"),
    ],
)
def test_unusable_pairs_are_refused(sid, skey, message):
    kms = kmslab.KMS()
    with pytest.raises(ValueError, match=message):
        kms.add_api_key(sid, skey)
    assert len(kms.api_keys()) == 1


def test_a_taken_secret_id_is_refused_and_nothing_changes():
    kms = kmslab.KMS()
    own = kms.api_keys()[0]
    with pytest.raises(ValueError, match="already in use"):
        kms.add_api_key(own.secret_id, "other")
    assert kms.lookup_secret_id(own.secret_id).secret_key == own.secret_key
    kms.add_api_key(SID, "a")
    with pytest.raises(ValueError, match="already in use"):
        kms.add_api_key(SID, "b")
    assert kms.lookup_secret_id(SID).secret_key == "a"
