"""All-or-nothing calls and clock jobs, for both stores.

An exception is injected after every mutation step a handler takes (each attribute it
sets on a key, each resource it marks changed, added or removed), one step further
each run, until the call completes without reaching the injection point. Every failed
run must leave the whole state (records, names, the job queue) exactly as before, in
memory and, for SQLite, on disk.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from mutation_injection import check_all_or_nothing

from kmslab import KMS, KMSError
from kmslab.core.model import Key

PLAIN = base64.b64encode(b"unit of work").decode()


def import_parameters(kms: KMS, key_id: str) -> dict:
    """What ImportKeyMaterial needs (fetched in the set-up: a scenario is one call)."""
    params = kms.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(params["PublicKey"]))
    oaep = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
    size = 16 if kms.regions[kms.default_region] == "SM" else 32
    material = base64.b64encode(public.encrypt(b"k" * size, oaep)).decode()
    return {"KeyId": key_id, "ImportToken": params["ImportToken"], "EncryptedKeyMaterial": material}


def _setup(kms: KMS) -> dict:
    ids = {name: kms.CreateKey(Alias=name)["KeyId"] for name in ("a", "b", "c")}
    kms.EnableKeyRotation(KeyId=ids["a"])
    kms.DisableKey(KeyId=ids["c"])
    ids["ext"] = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
    ids["pending"] = kms.CreateKey(Alias="pending")["KeyId"]
    kms.DisableKey(KeyId=ids["pending"])
    kms.ScheduleKeyDeletion(KeyId=ids["pending"], PendingWindowInDays=7)
    ids["import"] = import_parameters(kms, ids["ext"])
    return ids


SCENARIOS = {
    "CreateKey": lambda kms, ids: kms.CreateKey(
        Alias="fresh", Tags=[{"TagKey": "t", "TagValue": "v"}]
    ),
    "CreateKey-ECC": lambda kms, ids: kms.CreateKey(
        Alias="fresh", KeyUsage="ASYMMETRIC_SIGN_VERIFY_ECC"
    ),
    "UpdateAlias": lambda kms, ids: kms.UpdateAlias(KeyId=ids["a"], Alias="renamed"),
    "DisableKeys": lambda kms, ids: kms.DisableKeys(KeyIds=[ids["a"], ids["b"]]),
    "EnableKeys": lambda kms, ids: kms.EnableKeys(KeyIds=[ids["c"], ids["b"]]),
    "ScheduleKeyDeletion": lambda kms, ids: kms.ScheduleKeyDeletion(
        KeyId=ids["c"], PendingWindowInDays=9
    ),
    "CancelKeyDeletion": lambda kms, ids: kms.CancelKeyDeletion(KeyId=ids["pending"]),
    "RotateKey": lambda kms, ids: kms.RotateKey(KeyId=ids["a"]),
    "EnableKeyRotation": lambda kms, ids: kms.EnableKeyRotation(KeyId=ids["b"], RotateDays=30),
    "BindCloudResource": lambda kms, ids: kms.BindCloudResource(
        KeyId=ids["b"], ProductId="cos", ResourceId="bucket"
    ),
    "ArchiveKey": lambda kms, ids: kms.ArchiveKey(KeyId=ids["b"]),
    "ImportKeyMaterial": lambda kms, ids: kms.ImportKeyMaterial(**ids["import"], ValidTo=0),
    "clock: deletion": lambda kms, ids: kms.clock.advance(days=2),
    "clock: rotation": lambda kms, ids: kms.clock.advance(days=2),
}
# Each job is its own unit of work: bring the clock to just before the one job under test.
PREPARE = {
    "clock: deletion": lambda kms: kms.clock.advance(days=6),
    "clock: rotation": lambda kms: kms.clock.advance(days=364),
}


def make(kind: str, tmp_path) -> KMS:
    if kind == "memory":
        return KMS(seed=21)
    return KMS(seed=21, path=tmp_path / "kms.db", root_key=b"r" * 32, durability="NORMAL")


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_an_exception_after_any_mutation_step_changes_nothing(tmp_path, monkeypatch, store, name):
    kms = make(store, tmp_path)
    ids = _setup(kms)
    if name in PREPARE:
        PREPARE[name](kms)
    reopen = (lambda: make(store, tmp_path)) if store == "sqlite" else None
    check_all_or_nothing(monkeypatch, kms, lambda: SCENARIOS[name](kms, ids), (Key,), reopen)


def test_handlers_never_change_live_keys():
    """A read of a changing action is a copy: changing it outside ``touch`` does nothing."""
    kms = KMS(seed=22)
    key_id = kms.CreateKey(Alias="live")["KeyId"]
    live = kms.state.repos["cmk"].get((kms.default_uin, kms.default_region), key_id)
    kms.DisableKey(KeyId=key_id)
    now_live = kms.state.repos["cmk"].get((kms.default_uin, kms.default_region), key_id)
    assert live.state == "Enabled"  # the old object was replaced, never edited
    assert now_live is not live and now_live.state == "Disabled"


def test_read_only_actions_cannot_change_state():
    from kmslab.core.unit_of_work import ReadOnlyCall

    kms = KMS(seed=23)
    key_id = kms.CreateKey(Alias="ro")["KeyId"]

    def sneaky(ctx, params):
        key = ctx.key(params["KeyId"])
        ctx.touch(key)
        return {}

    kms.dispatch.handlers["DescribeKey"] = sneaky
    with pytest.raises(KMSError) as info:
        kms.DescribeKey(KeyId=key_id)
    assert info.value.code == "InternalError"
    assert isinstance(info.value.__cause__, ReadOnlyCall)
