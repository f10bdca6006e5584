"""Crash safety: a writer process is SIGKILLed mid-stream; after reopening, every change
it was told had happened is there and every ciphertext it received decrypts.

The writer announces each call before making it, so the single call in flight at the
kill is known: its change may or may not have landed, and both are correct.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from kmslab.core.service import KMS

WRITER = Path(__file__).with_name("crash_writer.py")
REPO = Path(__file__).resolve().parents[2]


def run_writer(db: Path, tag: str, kill_after: int) -> tuple[list[dict], dict | None]:
    """Start a writer, SIGKILL it once it has acknowledged ``kill_after`` changes;
    return the acknowledged changes and the change in flight (if any)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), tag, str(kill_after)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    done: list[dict] = []
    in_flight = None
    try:
        for line in proc.stdout:
            msg = json.loads(line)
            if "intent" in msg:
                in_flight = msg["intent"]
                continue
            done.append(msg["done"])
            in_flight = None
            if len(done) > kill_after:  # the first line only says the writer is open
                proc.send_signal(signal.SIGKILL)
                break
        # Lines written before the kill are acknowledgements too.
        for line in proc.stdout:
            msg = json.loads(line)
            if "intent" in msg:
                in_flight = msg["intent"]
            else:
                done.append(msg["done"])
                in_flight = None
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "the writer ended by itself (it crashed?)"
    return done[1:], in_flight


def check_survivors(db: Path, done: list[dict], in_flights: list[dict]) -> None:
    """Every acknowledged change is in the file. Each run's single unacknowledged call
    (``in_flights``, one per run so far) may or may not have landed: both are allowed,
    and stay allowed in later checks, since later runs never touch earlier runs' keys."""
    expected: dict[str, dict] = {}
    blobs = []
    for change in done:
        if change["op"] == "blob":
            blobs.append(change)
        else:
            entry = expected.setdefault(change["key"], {})
            entry.update({k: change[k] for k in ("state", "alias") if k in change})
    kms = KMS(path=db)
    try:
        for key_id, want in expected.items():
            meta = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
            for field, wire in (("state", "KeyState"), ("alias", "Alias")):
                if field not in want:
                    continue
                allowed = {want[field]}
                for flight in in_flights:
                    if flight.get("key") == key_id and field in flight:
                        allowed.add(flight[field])
                assert meta[wire] in allowed, f"{key_id}: acknowledged {field} lost"
        # Decrypt refuses a Disabled key: check blobs in an in-memory copy, where
        # re-enabling keys leaves the file (and the next writer's history) untouched.
        kms.save_snapshot(db.with_suffix(".snap"))
        copy = KMS.load_snapshot(db.with_suffix(".snap"), root_key=kms.export_root_key())
    finally:
        kms.close()
    for b in blobs:
        if copy.DescribeKey(KeyId=b["key"])["KeyMetadata"]["KeyState"] != "Enabled":
            copy.EnableKey(KeyId=b["key"])
        assert copy.Decrypt(CiphertextBlob=b["blob"])["Plaintext"] == b["plain"]


def test_sigkill_mid_stream_loses_no_acknowledged_change(tmp_path):
    db = tmp_path / "kms.db"
    history: list[dict] = []
    in_flights: list[dict] = []
    # Successive writers crash on the same file at different moments; each reopens
    # what the previous one left behind (WAL recovery) and carries on.
    for run, kill_after in enumerate((3, 40, 150, 17)):
        done, in_flight = run_writer(db, f"r{run}", kill_after)
        assert len(done) >= kill_after
        history += done
        if in_flight:
            in_flights.append(in_flight)
        check_survivors(db, history, in_flights)
    assert sum(c["op"] == "blob" for c in history) > 10
