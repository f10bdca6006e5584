"""Snapshots: ``save_snapshot`` / ``KMS.load_snapshot`` reproduce a service's whole state,
need the root key kept apart, and are written atomically (a failed save leaves the
previous snapshot whole)."""

from __future__ import annotations

import base64
import json
import os

import pytest

from kmslab.core.service import KMS
from kmslab.store import snapshot as snapshot_module
from kmslab.store.base import WrongRootKey

SM, FIPS = "ap-guangzhou", "ap-hongkong"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def world(kms: KMS) -> dict:
    other = kms.create_account("b")
    out = {"other": other, "blobs": {}}
    for region in (SM, FIPS):
        view = kms.in_region(region)
        kid = view.CreateKey(Alias="main", Tags=[{"TagKey": "t", "TagValue": "v"}])["KeyId"]
        view.EnableKeyRotation(KeyId=kid, RotateDays=10)
        out["blobs"][(region, kid)] = view.Encrypt(KeyId=kid, Plaintext=b64(b"one"))
        view.RotateKey(KeyId=kid)
        gone = view.CreateKey(Alias="gone")["KeyId"]
        view.DisableKey(KeyId=gone)
        view.ScheduleKeyDeletion(KeyId=gone, PendingWindowInDays=7)
        view.BindCloudResource(KeyId=kid, ProductId="cbs", ResourceId="disk-1")
        out[region] = (kid, gone)
    kms.as_account(other.uin).CreateKey(Alias="b-key")
    return out


def state(kms: KMS) -> dict:
    """Everything observable about every account's keys, plus accounts and the clock."""
    seen = {"clock": kms.clock.now(), "accounts": {}}
    for uin in kms.accounts:
        seen["accounts"][uin] = kms.api_keys(uin)
        for region in (SM, FIPS):
            view = kms.as_account(uin, region)
            seen[(uin, region)] = view.ListKeyDetail(Limit=200, KeyUsage="ALL")["KeyMetadatas"]
    return seen


def test_save_and_load_reproduce_state(tmp_path):
    kms = KMS(clock="virtual")
    w = world(kms)
    kms.clock.advance(days=1)
    path = tmp_path / "snap.json"
    kms.save_snapshot(path)
    loaded = KMS.load_snapshot(path, root_key=kms.export_root_key(), clock="virtual")
    assert state(loaded) == state(kms)
    for (region, _), enc in w["blobs"].items():
        got = loaded.in_region(region).Decrypt(CiphertextBlob=enc["CiphertextBlob"])
        assert got["Plaintext"] == b64(b"one")
    # The loaded service carries on: its jobs fall due as the original's would.
    kid, gone = w[SM]
    events = loaded.clock.advance(days=10)
    assert {(e.kind, e.key_id) for e in events} >= {("deleted", gone), ("rotated", kid)}
    assert sorted((e.kind, e.key_id) for e in kms.clock.advance(days=10)) == sorted(
        (e.kind, e.key_id) for e in events
    )


def test_load_needs_the_same_root_key(tmp_path):
    kms = KMS()
    world(kms)
    kms.save_snapshot(tmp_path / "snap.json")
    with pytest.raises(WrongRootKey):
        KMS.load_snapshot(tmp_path / "snap.json", root_key=os.urandom(32))


def test_not_a_snapshot(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a kmslab snapshot"):
        KMS.load_snapshot(path, root_key=os.urandom(32))


@pytest.mark.parametrize("fail_in", ["dump", "fsync", "replace"])
def test_failed_save_leaves_old_snapshot_intact(tmp_path, monkeypatch, fail_in):
    kms = KMS()
    world(kms)
    path = tmp_path / "snap.json"
    kms.save_snapshot(path)
    old = path.read_bytes()
    kms.CreateKey(Alias="after-the-snapshot")

    def boom(*args, **kwargs):
        if fail_in == "dump":  # a partial write, then a failure
            args[1].write('{"format": "kmslab-snapshot/1", "keys": [')
        raise OSError("disk full")

    target = {"dump": (snapshot_module.json, "dump"), "fsync": (snapshot_module.os, "fsync")}
    module, name = target.get(fail_in, (snapshot_module.os, "replace"))
    monkeypatch.setattr(module, name, boom)
    with pytest.raises(OSError, match="disk full"):
        kms.save_snapshot(path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["snap.json"]  # no temporary file left behind
    loaded = KMS.load_snapshot(path, root_key=kms.export_root_key())
    aliases = {m["Alias"] for m in loaded.ListKeyDetail(Limit=200)["KeyMetadatas"]}
    assert "after-the-snapshot" not in aliases and "main" in aliases


def test_seeded_snapshot_loads_reproducibly_on_a_fresh_stream(tmp_path):
    kms = KMS(seed=5)
    kid = kms.CreateKey(Alias="k")["KeyId"]
    kms.save_snapshot(tmp_path / "snap.json")
    after_save = kms.Encrypt(KeyId=kid, Plaintext=b64(b"p"))["CiphertextBlob"]
    runs = []
    for _ in range(2):
        loaded = KMS.load_snapshot(tmp_path / "snap.json", root_key=kms.export_root_key(), seed=5)
        runs.append(loaded.Encrypt(KeyId=kid, Plaintext=b64(b"p"))["CiphertextBlob"])
    assert runs[0] == runs[1]  # reproducible
    assert runs[0] != after_save  # but not a replay of the saving service's stream
