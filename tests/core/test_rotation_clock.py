"""The virtual clock runs automatic rotations and scheduled deletions exactly when they
fall due (one second before: not yet; at the instant: done), in order, and returns the
events; KeyMetadata's rotation fields stay true throughout."""

from __future__ import annotations

import base64

import pytest

from kmslab.crypto import blob as blobs

DAY = 86400


def meta(kms, key_id: str) -> dict:
    return kms.DescribeKey(KeyId=key_id)["KeyMetadata"]


def newest_version(kms, key_id: str) -> int:
    return blobs.decode(kms.Encrypt(KeyId=key_id, Plaintext="eA==")["CiphertextBlob"]).version


def test_rotation_happens_exactly_when_due(kms, new_key):
    key_id = new_key()
    t0 = int(kms.clock.now())
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    due = t0 + 7 * DAY
    assert kms.clock.advance(seconds=7 * DAY - 1) == []
    assert newest_version(kms, key_id) == 1
    assert meta(kms, key_id)["LastRotateTime"] == 0
    events = kms.clock.advance(seconds=1)
    assert [(e.time, e.kind, e.key_id) for e in events] == [(due, "rotated", key_id)]
    assert newest_version(kms, key_id) == 2
    m = meta(kms, key_id)
    assert (m["LastRotateTime"], m["NextRotateTime"], m["RotateDays"]) == (
        due,
        due + 7 * DAY,
        7,
    )
    assert m["KeyRotationEnabled"] is True
    assert list(kms.events)[-1] == events[-1]


def test_several_periods_in_one_advance(kms, new_key):
    key_id = new_key()
    t0 = int(kms.clock.now())
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    texts = [kms.Encrypt(KeyId=key_id, Plaintext="djE=")["CiphertextBlob"]]
    events = kms.clock.advance(days=30)
    assert [e.time for e in events] == [t0 + n * 7 * DAY for n in (1, 2, 3, 4)]
    assert {e.kind for e in events} == {"rotated"}
    assert newest_version(kms, key_id) == 5
    m = meta(kms, key_id)
    assert (m["LastRotateTime"], m["NextRotateTime"]) == (t0 + 28 * DAY, t0 + 35 * DAY)
    texts.append(kms.Encrypt(KeyId=key_id, Plaintext="djU=")["CiphertextBlob"])
    assert [kms.Decrypt(CiphertextBlob=t)["Plaintext"] for t in texts] == ["djE=", "djU="]


def test_disabled_key_rotation_is_skipped_but_rescheduled(kms, new_key):
    key_id = new_key()
    t0 = int(kms.clock.now())
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=10)
    kms.DisableKey(KeyId=key_id)
    events = kms.clock.advance(days=10)
    assert [(e.time, e.kind) for e in events] == [(t0 + 10 * DAY, "rotation skipped")]
    m = meta(kms, key_id)
    assert (m["LastRotateTime"], m["NextRotateTime"]) == (0, t0 + 20 * DAY)
    kms.EnableKey(KeyId=key_id)
    assert newest_version(kms, key_id) == 1
    events = kms.clock.advance(days=10)
    assert [(e.time, e.kind) for e in events] == [(t0 + 20 * DAY, "rotated")]
    assert newest_version(kms, key_id) == 2
    assert meta(kms, key_id)["LastRotateTime"] == t0 + 20 * DAY


def test_disable_rotation_cancels_the_schedule(kms, new_key):
    key_id = new_key()
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    kms.DisableKeyRotation(KeyId=key_id)
    assert kms.clock.advance(days=60) == []
    assert newest_version(kms, key_id) == 1


def test_changing_the_period_leaves_no_stale_rotation(kms, new_key):
    key_id = new_key()
    t0 = int(kms.clock.now())
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=30)
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    events = kms.clock.advance(days=31)
    assert [e.time for e in events] == [t0 + n * 7 * DAY for n in (1, 2, 3, 4)]


def test_deletion_happens_exactly_when_due(kms, new_key, fails):
    key_id = new_key(Alias="doomed")
    text = kms.Encrypt(KeyId=key_id, Plaintext="eA==")["CiphertextBlob"]
    kms.DisableKey(KeyId=key_id)
    when = kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)["DeletionDate"]
    assert kms.clock.set(when - 1) == []
    assert meta(kms, key_id)["KeyState"] == "PendingDelete"
    events = kms.clock.advance(seconds=1)
    assert [(e.time, e.kind, e.key_id) for e in events] == [(when, "deleted", key_id)]
    gone = "ResourceUnavailable.CmkNotFound"
    assert fails(kms.DescribeKey, KeyId=key_id).code == gone
    assert fails(kms.CancelKeyDeletion, KeyId=key_id).code == gone
    assert fails(kms.Decrypt, CiphertextBlob=text).code == gone
    assert kms.ListKeyDetail(KeyUsage="ALL")["TotalCount"] == 0
    assert new_key(Alias="doomed")  # the alias is free again


def test_jobs_run_in_due_order(kms, new_key):
    t0 = int(kms.clock.now())
    slow, fast, doomed = new_key(), new_key(), new_key()
    kms.EnableKeyRotation(KeyId=slow, RotateDays=10)
    kms.EnableKeyRotation(KeyId=fast, RotateDays=7)
    kms.DisableKey(KeyId=doomed)
    when = kms.ScheduleKeyDeletion(KeyId=doomed, PendingWindowInDays=8)["DeletionDate"]
    events = kms.clock.advance(days=15)
    expected = sorted(
        [
            (t0 + 7 * DAY, "rotated", fast),
            (t0 + 14 * DAY, "rotated", fast),
            (t0 + 10 * DAY, "rotated", slow),
            (when, "deleted", doomed),
        ]
    )
    assert [(e.time, e.kind, e.key_id) for e in events] == expected
    assert kms.clock.now() == t0 + 15 * DAY


@pytest.mark.parametrize("step_hours", [1, 25, 24 * 7])
def test_result_does_not_depend_on_step_size(new_key, step_hours):
    """Advancing in small steps or one jump gives the same keys and the same events."""
    from kmslab import KMS

    results = []
    for steps in ("small", "jump"):
        kms = KMS(seed=5)
        key_id = kms.CreateKey(Alias="k")["KeyId"]
        kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
        events = []
        if steps == "small":
            for _ in range(0, 60 * 24, step_hours):
                events += kms.clock.advance(hours=step_hours)
        else:
            events = kms.clock.advance(hours=len(range(0, 60 * 24, step_hours)) * step_hours)
        results.append(([(e.time, e.kind) for e in events], meta(kms, key_id)))
    assert results[0][0] == results[1][0]
    assert results[0][1] == results[1][1]


def test_rotated_versions_keep_decrypting_across_the_clock(kms, new_key):
    key_id = new_key()
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    texts = []
    for n in range(6):
        plaintext = base64.b64encode(b"week %d" % n).decode()
        texts.append((plaintext, kms.Encrypt(KeyId=key_id, Plaintext=plaintext)["CiphertextBlob"]))
        kms.clock.advance(days=7)
    assert [blobs.decode(t).version for _, t in texts] == [1, 2, 3, 4, 5, 6]
    for plaintext, text in texts:
        assert kms.Decrypt(CiphertextBlob=text)["Plaintext"] == plaintext


def test_clock_never_goes_backwards(kms):
    with pytest.raises(ValueError):
        kms.clock.advance(days=-1)
    with pytest.raises(ValueError):
        kms.clock.set(kms.clock.now() - 1)
