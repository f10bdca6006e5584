"""The defects a review of the first core found, each reproduced as it was reported."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kmslab import KMS, KMSError

PLAIN = base64.b64encode(b"findings").decode()


def import_material(kms: KMS, key_id: str, **extra) -> None:
    params = kms.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(params["PublicKey"]))
    oaep = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
    size = 16 if kms.regions[kms.default_region] == "SM" else 32
    kms.ImportKeyMaterial(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=base64.b64encode(public.encrypt(b"m" * size, oaep)).decode(),
        **extra,
    )


def state_of(kms: KMS, key_id: str) -> str:
    return kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"]


# -- 2. material that expires while the key is pending deletion --------------------------


def test_cancelled_deletion_after_material_expiry_returns_to_pending_import():
    kms = KMS(seed=31)
    key_id = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
    import_material(kms, key_id, ValidTo=int(kms.clock.now()) + 86400)
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=2)  # past ValidTo: the material is gone
    kms.CancelKeyDeletion(KeyId=key_id)
    assert state_of(kms, key_id) == "PendingImport"  # not Disabled: it has no material
    with pytest.raises(KMSError) as info:
        kms.EnableKey(KeyId=key_id)
    assert info.value.code == "ResourceUnavailable.CmkStateNotSupport"
    with pytest.raises(KMSError) as info:
        kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)
    assert info.value.code == "ResourceUnavailable.CmkDisabled"  # never InternalError
    import_material(kms, key_id)  # a re-import brings it back
    assert state_of(kms, key_id) == "Enabled"
    assert kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)["KeyId"] == key_id


# -- 4. the caller's account and region are checked, whatever their type ---------------


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ({"uin": []}, "UnauthorizedOperation"),
        ({"uin": {}}, "UnauthorizedOperation"),
        ({"uin": "1"}, "UnauthorizedOperation"),
        ({"uin": True}, "UnauthorizedOperation"),
        ({"uin": 1.5}, "UnauthorizedOperation"),
        ({"region": {}}, "UnsupportedRegion"),
        ({"region": []}, "UnsupportedRegion"),
        ({"region": 7}, "UnsupportedRegion"),
    ],
)
def test_unhashable_or_mistyped_callers_get_documented_codes(caller, code):
    kms = KMS(seed=32)
    with pytest.raises(KMSError) as info:
        kms.call("ListKeys", {}, **caller)
    assert info.value.code == code
    assert kms.log.records[-1].error == code


# -- 5. the clock-job queue stays as large as what is pending ------------------------------


def test_schedule_and_cancel_pairs_leave_no_queue_entries():
    kms = KMS(seed=33)
    key_id = kms.CreateKey(Alias="churn")["KeyId"]
    kms.DisableKey(KeyId=key_id)
    for _ in range(5000):
        kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
        kms.CancelKeyDeletion(KeyId=key_id)
    assert kms.inspect.pending_jobs() == {}
    assert len(kms.state.scheduler) <= 2 * 1 + 64  # superseded entries are compacted away
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    assert len(kms.inspect.pending_jobs()) == 1
    kms.clock.advance(days=8)
    assert key_id not in [k.key_id for k in kms.inspect.keys()]


def test_rotation_toggling_keeps_one_entry_per_key():
    kms = KMS(seed=34)
    key_id = kms.CreateKey(Alias="toggle")["KeyId"]
    for days in range(7, 107):
        kms.EnableKeyRotation(KeyId=key_id, RotateDays=days)
    assert list(kms.inspect.pending_jobs().values()) == [kms.clock.now() + 106 * 86400]
    kms.DisableKeyRotation(KeyId=key_id)
    assert kms.inspect.pending_jobs() == {}


# -- 6. the root-key file is created atomically ---------------------------------------------


def test_a_crash_while_creating_the_root_key_leaves_no_empty_file(tmp_path):
    path = tmp_path / "kms.db"
    crash = textwrap.dedent(
        f"""
        import os
        from kmslab import KMS
        def die(*args, **kwargs):
            os._exit(9)  # the process dies once the file exists, before a byte is written
        os.fdopen = die
        KMS(path={str(path)!r})
        """
    )
    result = subprocess.run([sys.executable, "-c", crash], capture_output=True, timeout=120)
    assert result.returncode == 9
    key_file = tmp_path / "kms.db.rootkey"
    assert not key_file.exists() or key_file.stat().st_size == 32
    kms = KMS(path=path)  # and the next open works
    key_id = kms.CreateKey(Alias="after-crash")["KeyId"]
    kms.close()
    reopened = KMS(path=path)
    assert reopened.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "after-crash"
    reopened.close()
    assert (tmp_path / "kms.db.rootkey").stat().st_size == 32


# -- 7. temporary-credential tokens are wrapped like SecretKeys ------------------------------


def test_tokens_are_never_stored_in_the_clear(tmp_path):
    kms = KMS(path=tmp_path / "kms.db")
    temporary = kms.create_temporary_credential(duration=3600)
    assert len(temporary.token) == 64
    snapshot = tmp_path / "snap.json"
    kms.save_snapshot(snapshot)
    kms.close()
    for blob in (
        (tmp_path / "kms.db").read_bytes() + (tmp_path / "kms.db-wal").read_bytes()
        if (tmp_path / "kms.db-wal").exists()
        else (tmp_path / "kms.db").read_bytes(),
        snapshot.read_bytes(),
    ):
        assert temporary.token.encode() not in blob
        assert temporary.secret_key.encode() not in blob
    with sqlite3.connect(tmp_path / "kms.db") as db:
        records = [json.loads(r) for (r,) in db.execute("SELECT record FROM accounts")]
    assert all("token" not in c for r in records for c in r["credentials"])
    reopened = KMS(path=tmp_path / "kms.db")
    assert reopened.lookup_secret_id(temporary.secret_id).token == temporary.token
    reopened.close()
