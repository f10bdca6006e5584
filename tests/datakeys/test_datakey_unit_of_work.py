"""All-or-nothing data-key calls and purges, for both stores: an exception injected after
every mutation step (each attribute set on a data key or a CMK, each resource marked
changed, added or removed) leaves the whole state exactly as before."""

from __future__ import annotations

import base64

import pytest
from mutation_injection import check_all_or_nothing

from kmslab import KMS
from kmslab.core.datakey import DataKey
from kmslab.core.model import Key


def _setup(kms: KMS) -> dict:
    cmk = kms.CreateKey(Alias="root")["KeyId"]

    def host(name: str) -> str:
        out = kms.GenerateDataKey(KeyId=cmk, NumberOfBytes=32, IsHostedByKms=1, DataKeyName=name)
        return out["DataKeyId"]

    ids = {"cmk": cmk, "a": host("a"), "b": host("b"), "off": host("off"), "gone": host("gone")}
    kms.DisableDataKey(DataKeyId=ids["off"])
    kms.ScheduleDataKeyDeletion(DataKeyId=ids["gone"], PendingWindowInDays=7)
    ids["blob"] = kms.GenerateDataKey(KeyId=cmk, NumberOfBytes=16)["CiphertextBlob"]
    return ids


SCENARIOS = {
    "GenerateDataKey hosted": lambda kms, ids: kms.GenerateDataKey(
        KeyId=ids["cmk"],
        NumberOfBytes=32,
        IsHostedByKms=1,
        DataKeyName="fresh",
        Tags=[{"TagKey": "t", "TagValue": "v"}],
    ),
    "ImportDataKey blob": lambda kms, ids: kms.ImportDataKey(
        DataKeyName="imp", ImportType=1, ImportKeyMaterial=ids["blob"]
    ),
    "ImportDataKey plaintext": lambda kms, ids: kms.ImportDataKey(
        DataKeyName="imp",
        ImportType=2,
        KeyId=ids["cmk"],
        ImportKeyMaterial=base64.b64encode(b"p" * 20).decode(),
    ),
    "DisableDataKeys": lambda kms, ids: kms.DisableDataKeys(DataKeyIds=[ids["a"], ids["b"]]),
    "EnableDataKeys": lambda kms, ids: kms.EnableDataKeys(DataKeyIds=[ids["off"], ids["a"]]),
    "ScheduleDataKeyDeletion": lambda kms, ids: kms.ScheduleDataKeyDeletion(
        DataKeyId=ids["a"], PendingWindowInDays=9
    ),
    "CancelDataKeyDeletion": lambda kms, ids: kms.CancelDataKeyDeletion(DataKeyId=ids["gone"]),
    "UpdateDataKeyName": lambda kms, ids: kms.UpdateDataKeyName(
        DataKeyId=ids["a"], DataKeyName="renamed"
    ),
    "UpdateDataKeyDescription": lambda kms, ids: kms.UpdateDataKeyDescription(
        DataKeyId=ids["b"], Description="new"
    ),
    "clock: purge": lambda kms, ids: kms.clock.advance(days=2),
}
PREPARE = {"clock: purge": lambda kms: kms.clock.advance(days=6)}


def make(kind: str, tmp_path) -> KMS:
    if kind == "memory":
        return KMS(seed=22)
    return KMS(seed=22, path=tmp_path / "kms.db", root_key=b"r" * 32, durability="NORMAL")


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_an_exception_after_any_mutation_step_changes_nothing(tmp_path, monkeypatch, store, name):
    kms = make(store, tmp_path)
    ids = _setup(kms)
    if name in PREPARE:
        PREPARE[name](kms)
    reopen = (lambda: make(store, tmp_path)) if store == "sqlite" else None
    scenario = lambda: SCENARIOS[name](kms, ids)  # noqa: E731
    check_all_or_nothing(monkeypatch, kms, scenario, (Key, DataKey), reopen)


def test_read_only_data_key_actions_cannot_change_state(kms, hosted):
    from kmslab.core.data_keys import GROUP

    out = hosted()
    before = kms.inspect.state()
    for action in sorted(GROUP.read_only):
        params = (
            {"DataKeyIds": [out["DataKeyId"]]}
            if action == "DescribeDataKeys"
            else {}
            if action.startswith("List")
            else {"DataKeyId": out["DataKeyId"]}
        )
        kms.call(action, params)
    assert kms.inspect.state() == before
