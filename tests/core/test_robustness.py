"""Robustness of the service around its edges: a store write that fails mid-call, two
services on one SQLite file, the durability setting, cached secrets of a key that is gone,
and EncryptionContext numbers that JSON does not have (NaN, Infinity)."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import given
from hypothesis import strategies as st

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.core import asymmetric as core_asym
from kmslab.core import byok
from kmslab.core.symmetric import canonical_context
from kmslab.store.base import StoreLocked
from kmslab.store.sqlite import SQLiteStore

PLAIN = base64.b64encode(b"robust").decode()
ROOT = bytes(range(32))


def durable(path: Path) -> KMS:
    return KMS(seed=5, path=path, root_key=ROOT)


def fail_writes(monkeypatch, kms: KMS) -> None:
    """Make every transaction of the service's SQLite store fail as a full disk would."""

    def broken(statements):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kms.store, "_transaction", broken)


def snapshot(kms: KMS) -> dict:
    """Every key of the default account and region as its record, and the alias index."""
    keys = kms.inspect.keys()
    aliases = {k.alias: kms.inspect.alias_owner(k.alias) for k in keys}
    return {"keys": {k.key_id: k.to_record() for k in keys}, "aliases": aliases}


# -- 1. a failed write rolls the call back ------------------------------------------------

MUTATIONS = {
    "UpdateAlias": lambda kms, key_id: kms.UpdateAlias(KeyId=key_id, Alias="renamed"),
    "UpdateKeyDescription": lambda kms, key_id: kms.UpdateKeyDescription(
        KeyId=key_id, Description="changed"
    ),
    "DisableKey": lambda kms, key_id: kms.DisableKey(KeyId=key_id),
    "RotateKey": lambda kms, key_id: kms.RotateKey(KeyId=key_id),
    "EnableKeyRotation": lambda kms, key_id: kms.EnableKeyRotation(KeyId=key_id),
    "BindCloudResource": lambda kms, key_id: kms.BindCloudResource(
        KeyId=key_id, ProductId="ssm", ResourceId="s1"
    ),
    "CreateKey": lambda kms, key_id: kms.CreateKey(Alias="fresh"),
    "CreateAsymmetricKey": lambda kms, key_id: kms.CreateKey(
        Alias="fresh", KeyUsage="ASYMMETRIC_SIGN_VERIFY_ECC"
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_failed_write_rolls_back_and_service_keeps_working(tmp_path, monkeypatch, name):
    kms = durable(tmp_path / "kms.db")
    key_id = kms.CreateKey(Alias="subject")["KeyId"]
    if name == "RotateKey":
        kms.EnableKeyRotation(KeyId=key_id)
    blob = kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)["CiphertextBlob"]
    before = snapshot(kms)
    with monkeypatch.context() as patch:
        fail_writes(patch, kms)
        with pytest.raises(KMSError) as info:
            MUTATIONS[name](kms, key_id)
        assert info.value.code == "InternalError"
        assert "OperationalError" in str(info.value)
        assert snapshot(kms) == before  # memory matches the last commit; new keys vanished
        assert kms.inspect.alias_owner("fresh") is None
    # the store works again: the service answers, and the change can be made for real
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == PLAIN
    MUTATIONS[name](kms, key_id)
    assert snapshot(kms) != before
    state = snapshot(kms)
    kms.close()
    reopened = durable(tmp_path / "kms.db")
    assert snapshot(reopened) == state
    if name != "DisableKey":
        assert reopened.Decrypt(CiphertextBlob=blob)["Plaintext"] == PLAIN
    reopened.close()


def test_failed_rotation_forgets_the_abandoned_version(tmp_path, monkeypatch):
    kms = durable(tmp_path / "kms.db")
    key_id = kms.CreateKey(Alias="subject")["KeyId"]
    kms.EnableKeyRotation(KeyId=key_id)
    with monkeypatch.context() as patch:
        fail_writes(patch, kms)
        with pytest.raises(KMSError):
            kms.RotateKey(KeyId=key_id)
    assert [s for s in kms.inspect.cached_secrets(key_id) if s != 1] == []
    kms.RotateKey(KeyId=key_id)
    blob = kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)["CiphertextBlob"]
    kms.close()
    assert durable(tmp_path / "kms.db").Decrypt(CiphertextBlob=blob)["Plaintext"] == PLAIN


def test_failed_write_of_a_due_deletion_keeps_the_key(tmp_path, monkeypatch):
    kms = durable(tmp_path / "kms.db")
    key_id = kms.CreateKey(Alias="subject")["KeyId"]
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    before = snapshot(kms)
    with monkeypatch.context() as patch:
        fail_writes(patch, kms)
        with pytest.raises(KMSError) as info:
            kms.clock.advance(days=8)
        assert info.value.code == "InternalError"
        assert snapshot(kms) == before
    kms.clock.advance(seconds=1)  # the deletion, still due, now commits
    assert key_id not in [k.key_id for k in kms.inspect.keys()]
    kms.close()
    assert key_id not in snapshot(durable(tmp_path / "kms.db"))["keys"]


# -- 2. one service per SQLite file -------------------------------------------------------


def test_second_service_on_the_same_file_is_refused(tmp_path):
    db = tmp_path / "kms.db"
    first = durable(db)
    with pytest.raises(StoreLocked, match=str(db)):
        durable(db)
    with pytest.raises(ValueError, match="already open"):
        SQLiteStore(db)
    first.CreateKey(Alias="still-works")
    first.close()
    second = durable(db)  # released on close
    assert "still-works" in snapshot(second)["aliases"]
    second.close()


def test_lock_is_released_when_opening_fails(tmp_path):
    db = tmp_path / "kms.db"
    durable(db).close()
    with pytest.raises(ValueError, match="another root key"):
        KMS(path=db, root_key=bytes(32))
    durable(db).close()


def test_another_process_holding_the_file_is_refused(tmp_path):
    db = tmp_path / "kms.db"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from kmslab.store.sqlite import SQLiteStore
                store = SQLiteStore({str(db)!r})
                print("open", flush=True)
                sys.stdin.read()
                store.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(StoreLocked):
            SQLiteStore(db)
    finally:
        child.kill()
        child.wait()
    SQLiteStore(db).close()  # a dead process holds no lock


# -- 3. durability ------------------------------------------------------------------------


@pytest.mark.parametrize(("durability", "pragma"), [(None, 2), ("FULL", 2), ("NORMAL", 1)])
def test_durability_sets_sqlite_synchronous(tmp_path, durability, pragma):
    extra = {} if durability is None else {"durability": durability}
    kms = KMS(seed=1, path=tmp_path / "kms.db", root_key=ROOT, **extra)
    assert kms.store.synchronous == (durability or "FULL")
    assert kms.store._db.execute("PRAGMA synchronous").fetchone()[0] == pragma
    kms.close()


@pytest.mark.parametrize("bad", ["OFF", "full", ""])
def test_durability_refuses_other_values(tmp_path, bad):
    with pytest.raises(ValueError, match="durability"):
        KMS(seed=1, path=tmp_path / "kms.db", durability=bad)
    durable(tmp_path / "kms.db").close()  # nothing was left locked


# -- 4. no cached secret outlives its key -------------------------------------------------


def cached(kms: KMS, key_id: str) -> list:
    """Every in-memory unwrapped object that belongs to ``key_id``."""
    return kms.inspect.cached_secrets(key_id)


def use(kms: KMS, usage: str, key_id: str) -> None:
    if usage == "ENCRYPT_DECRYPT":
        kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)
    elif usage == "ASYMMETRIC_SIGN_VERIFY_SM2":
        kms.SignByAsymmetricKey(KeyId=key_id, Algorithm="SM2DSA", Message=PLAIN)
    elif usage == "ASYMMETRIC_SIGN_VERIFY_ECC":
        kms.SignByAsymmetricKey(KeyId=key_id, Algorithm="ECC_P256_R1", Message=PLAIN)
    elif usage == "ASYMMETRIC_SIGN_VERIFY_DILITHIUM":
        kms.PostQuantumCryptoSign(KeyId=key_id, Message=PLAIN)
    else:
        kms.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=PLAIN)


USAGES = [
    "ENCRYPT_DECRYPT",
    "ASYMMETRIC_SIGN_VERIFY_SM2",
    "ASYMMETRIC_SIGN_VERIFY_ECC",
    "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
]


@pytest.mark.parametrize("usage", USAGES)
def test_deleted_key_leaves_nothing_cached(usage):
    kms = KMS(seed=3)
    key_id = kms.CreateKey(Alias="gone", KeyUsage=usage)["KeyId"]
    use(kms, usage, key_id)
    assert cached(kms, key_id)  # the cache is in use: the assertion below means something
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    assert key_id not in [k.key_id for k in kms.inspect.keys()]
    assert cached(kms, key_id) == []


def import_material(kms: KMS, key_id: str, material: bytes, **extra) -> None:
    params = kms.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(params["PublicKey"]))
    oaep = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
    kms.ImportKeyMaterial(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=base64.b64encode(public.encrypt(material, oaep)).decode(),
        **extra,
    )


def test_expired_imported_material_leaves_nothing_cached():
    kms = KMS(seed=4)
    key_id = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
    import_material(kms, key_id, b"m" * 16, ValidTo=int(kms.clock.now()) + 3600)
    kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)
    assert 1 in cached(kms, key_id)  # the imported material's cipher
    kms.clock.advance(hours=2)
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    # Only the import wrapping key (valid for re-imports for 48 hours) may stay.
    assert [s for s in cached(kms, key_id) if s[0:1] != ("import-wrapping-key",)] == []


def test_deleted_external_key_drops_its_wrapping_keys():
    kms = KMS(seed=6)
    key_id = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
    import_material(kms, key_id, b"w" * 16)
    ids = [e["id"] for e in kms.inspect.key(key_id).extra["wrapping_keys"]]
    assert all(("import-wrapping-key", i) in cached(kms, key_id) for i in ids)
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    assert cached(kms, key_id) == []


def test_only_the_secret_cache_holds_secrets_and_close_forgets_them():
    for module in (byok, core_asym):
        source = Path(module.__file__).read_text()
        assert "_prepared" not in source and "_CACHE" not in source and "_LOADED" not in source
    kms = KMS(seed=8)
    key_id = kms.CreateKey(Alias="k")["KeyId"]
    kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)
    assert cached(kms, key_id) == [1]
    kms.close()
    assert cached(kms, key_id) == []
    assert len(kms.state.secrets) == 0


# -- 5. EncryptionContext is standard JSON ------------------------------------------------

BAD_CONTEXTS = [
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":-Infinity}',
    '{"a":[1,NaN]}',
    '{"a":{"b":Infinity}}',
    '{"a":1e999}',
    '{"a":-1e400}',
]


@pytest.mark.parametrize("context", BAD_CONTEXTS)
@pytest.mark.parametrize("action", ["Encrypt", "GenerateDataKey", "Decrypt"])
def test_non_json_numbers_in_context_are_refused(kms, action, context):
    key_id = kms.CreateKey(Alias="ctx")["KeyId"]
    blob = kms.Encrypt(KeyId=key_id, Plaintext=PLAIN)["CiphertextBlob"]
    params = {
        "Encrypt": {"KeyId": key_id, "Plaintext": PLAIN},
        "GenerateDataKey": {"KeyId": key_id, "KeySpec": "AES_128"},
        "Decrypt": {"CiphertextBlob": blob},
    }[action]
    with pytest.raises(KMSError) as info:
        kms.call(action, {**params, "EncryptionContext": context})
    assert info.value.code == "InvalidParameter"
    assert "NaN" in info.value.detail or "JSON" in info.value.detail


def strict_loads(data: bytes):
    def refuse(name):
        raise ValueError(name)

    return json.loads(data, parse_constant=refuse)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4))
def test_canonical_context_is_always_strict_json(obj):
    canonical = canonical_context(json.dumps(obj))
    if obj:
        assert strict_loads(canonical) == strict_loads(json.dumps(obj).encode())
    # canonical form is a fixed point
    assert canonical_context(canonical.decode() or "") == canonical
