"""All-or-nothing data-key calls and purges, for both stores: an exception injected after
every mutation step (each attribute set on a data key or a CMK, each resource marked
changed, added or removed) leaves the whole state exactly as before."""

from __future__ import annotations

import base64

import pytest

from kmslab import KMS, KMSError
from kmslab.core.datakey import DataKey
from kmslab.core.model import Key
from kmslab.core.unit_of_work import UnitOfWork


class Injected(Exception):
    """The simulated failure."""


class Injector:
    """Counts mutation steps and raises ``Injected`` after step ``at``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
        self.at = at
        self.steps = 0
        for cls in (Key, DataKey):
            original_setattr = cls.__setattr__

            def setattr_hook(obj, name, value, _original=original_setattr):
                _original(obj, name, value)
                self.step()

            monkeypatch.setattr(cls, "__setattr__", setattr_hook)
        for method in ("touch", "add", "remove"):
            original = getattr(UnitOfWork, method)

            def wrapped(uow, *args, _original=original, **kwargs):
                _original(uow, *args, **kwargs)
                self.step()

            monkeypatch.setattr(UnitOfWork, method, wrapped)

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.at:
            raise Injected(f"after mutation step {self.at}")


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
    before = kms.inspect.state()
    failures = 0
    for at in range(1, 400):
        with monkeypatch.context() as patch:
            Injector(patch, at)
            try:
                SCENARIOS[name](kms, ids)
            except (KMSError, Injected) as exc:
                assert isinstance(exc, Injected) or exc.code == "InternalError", exc
                failures += 1
            else:
                break  # the call finished before step ``at``: every step has been tried
        assert kms.inspect.state() == before, f"step {at} left a change behind"
    assert failures >= 2, "the scenario must have mutation steps to inject into"
    after = kms.inspect.state()
    assert after != before  # the last run, with no injection hit, applied
    if store == "sqlite":
        kms.close()
        reopened = make(store, tmp_path)
        assert reopened.inspect.state()["resources"] == after["resources"]
        reopened.close()


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
