"""The key lifecycle actions of issue 2: scheduled deletion and its cancellation,
archiving, cloud-resource bindings (a bound key cannot be disabled, archived or deleted),
rotation settings and on-demand rotation with its 24-hour rate limit."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from internals import put_key

from kmslab.crypto import blob as blobs

UTC8 = timezone(timedelta(hours=8))
DAY = 86400


def meta(kms, key_id: str) -> dict:
    return kms.DescribeKey(KeyId=key_id)["KeyMetadata"]


def disabled_key(kms, new_key) -> str:
    key_id = new_key()
    kms.DisableKey(KeyId=key_id)
    return key_id


def version_of_new_blob(kms, key_id: str) -> int:
    text = kms.Encrypt(KeyId=key_id, Plaintext="eA==")["CiphertextBlob"]
    return blobs.decode(text).version


# ----------------------------------------------------------------- ScheduleKeyDeletion


def end_of_day_utc8(when: float) -> int:
    day = datetime.fromtimestamp(when, UTC8).date()
    return int(datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC8).timestamp())


@pytest.mark.parametrize("days", [7, 8, 19, 30])
@pytest.mark.parametrize(
    "start",
    [
        "2026-01-01T00:00:00+00:00",
        "2026-03-05T15:59:59+00:00",  # 23:59:59 in UTC+8
        "2026-03-05T16:00:00+00:00",  # 00:00:00 the next day in UTC+8
        "2026-06-30T23:30:00+00:00",
    ],
)
def test_deletion_date_is_end_of_day_utc8(new_key, days, start):
    from kmslab import KMS

    kms = KMS(seed=3, start=datetime.fromisoformat(start).timestamp())
    key_id = kms.CreateKey(Alias="d")["KeyId"]
    kms.DisableKey(KeyId=key_id)
    r = kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=days)
    expected = end_of_day_utc8(kms.clock.now() + days * DAY)
    assert r == {"DeletionDate": expected, "KeyId": key_id, "RequestId": r["RequestId"]}
    assert datetime.fromtimestamp(expected, UTC8).strftime("%H:%M:%S") == "23:59:59"
    m = meta(kms, key_id)
    assert (m["KeyState"], m["DeletionDate"]) == ("PendingDelete", expected)


def test_schedule_key_deletion_needs_a_disabled_key(kms, new_key, fails):
    key_id = new_key()
    err = fails(kms.ScheduleKeyDeletion, KeyId=key_id, PendingWindowInDays=7)
    assert err.code == "ResourceUnavailable.CmkShouldBeDisabled"
    assert meta(kms, key_id)["KeyState"] == "Enabled"


@pytest.mark.parametrize(
    ("days", "code"),
    [
        (0, "InvalidParameter.InvalidPendingWindowInDays"),
        (6, "InvalidParameter.InvalidPendingWindowInDays"),
        (31, "InvalidParameter.InvalidPendingWindowInDays"),
        (365, "InvalidParameter.InvalidPendingWindowInDays"),
        ("7", "InvalidParameter"),
        (7.0, "InvalidParameter"),
        (None, "MissingParameter"),
    ],
)
def test_pending_window_range(kms, new_key, fails, days, code):
    key_id = disabled_key(kms, new_key)
    assert fails(kms.ScheduleKeyDeletion, KeyId=key_id, PendingWindowInDays=days).code == code
    assert meta(kms, key_id)["KeyState"] == "Disabled"


def test_cancel_key_deletion_restores_the_state(kms, new_key, fails):
    key_id = disabled_key(kms, new_key)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=10)
    r = kms.CancelKeyDeletion(KeyId=key_id)
    assert r["KeyId"] == key_id
    m = meta(kms, key_id)
    assert (m["KeyState"], m["DeletionDate"]) == ("Disabled", 0)
    err = fails(kms.CancelKeyDeletion, KeyId=key_id)
    assert err.code == "ResourceUnavailable.CmkNotPendingDelete"
    # a key waiting for import material goes back to waiting
    ext = new_key(Type=2)
    kms.ScheduleKeyDeletion(KeyId=ext, PendingWindowInDays=7)
    kms.CancelKeyDeletion(KeyId=ext)
    assert meta(kms, ext)["KeyState"] == "PendingImport"


def test_cancelled_deletion_does_not_happen(kms, new_key):
    key_id = disabled_key(kms, new_key)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.CancelKeyDeletion(KeyId=key_id)
    assert kms.clock.advance(days=40) == []
    assert meta(kms, key_id)["KeyState"] == "Disabled"


# ----------------------------------------------------------------- Archive


def test_archive_and_cancel(kms, new_key, fails):
    key_id = new_key()
    blob = kms.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    kms.ArchiveKey(KeyId=key_id)
    assert meta(kms, key_id)["KeyState"] == "Archived"
    assert fails(kms.Encrypt, KeyId=key_id, Plaintext="aGk=").code == (
        "ResourceUnavailable.CmkArchived"
    )
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == "aGk="
    kms.ArchiveKey(KeyId=key_id)  # already archived: fine
    kms.CancelKeyArchive(KeyId=key_id)
    assert meta(kms, key_id)["KeyState"] == "Enabled"
    assert kms.Encrypt(KeyId=key_id, Plaintext="aGk=")["KeyId"] == key_id
    err = fails(kms.CancelKeyArchive, KeyId=key_id)
    assert err.code == "ResourceUnavailable.CmkStateNotSupport"


# ----------------------------------------------------------------- bindings


@pytest.mark.parametrize(
    ("action", "params", "start"),
    [
        ("DisableKey", {}, "Enabled"),
        ("DisableKeys", None, "Enabled"),
        ("ArchiveKey", {}, "Enabled"),
        ("ScheduleKeyDeletion", {"PendingWindowInDays": 7}, "Disabled"),
    ],
)
def test_bound_key_refuses(kms, new_key, fails, action, params, start):
    key_id = new_key()
    if start == "Disabled":
        kms.DisableKey(KeyId=key_id)
    kms.BindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="secret-1")
    kms.BindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="secret-1")  # idempotent
    kms.BindCloudResource(KeyId=key_id, ProductId="cbs", ResourceId="disk-1")
    call = getattr(kms, action)
    kwargs = {"KeyIds": [key_id]} if params is None else {"KeyId": key_id, **params}
    before = meta(kms, key_id)
    assert fails(call, **kwargs).code == "FailedOperation.CmkUsedByCloudProduct"
    assert meta(kms, key_id) == before
    kms.UnbindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="secret-1")
    assert fails(call, **kwargs).code == "FailedOperation.CmkUsedByCloudProduct"
    kms.UnbindCloudResource(KeyId=key_id, ProductId="cbs", ResourceId="disk-1")
    call(**kwargs)
    assert meta(kms, key_id)["KeyState"] != before["KeyState"]


@pytest.mark.parametrize(
    ("product", "resource"), [("ssm", "other"), ("cos", "secret-1"), ("ssm", "SECRET-1")]
)
def test_unbind_unknown_binding(kms, new_key, fails, product, resource):
    key_id = new_key()
    kms.BindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="secret-1")
    err = fails(kms.UnbindCloudResource, KeyId=key_id, ProductId=product, ResourceId=resource)
    assert err.code == "ResourceUnavailable.CloudResourceBindingNotFound"
    # the real binding is still there
    assert fails(kms.DisableKey, KeyId=key_id).code == "FailedOperation.CmkUsedByCloudProduct"


def test_unbind_twice(kms, new_key, fails):
    key_id = new_key()
    kms.BindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="s")
    kms.UnbindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="s")
    err = fails(kms.UnbindCloudResource, KeyId=key_id, ProductId="ssm", ResourceId="s")
    assert err.code == "ResourceUnavailable.CloudResourceBindingNotFound"


# ----------------------------------------------------------------- rotation settings


@pytest.mark.parametrize("days", [None, 7, 90, 365])
def test_enable_key_rotation(kms, new_key, days):
    key_id = new_key()
    assert kms.GetKeyRotationStatus(KeyId=key_id)["KeyRotationEnabled"] is False
    now = int(kms.clock.now())
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=days)
    assert kms.GetKeyRotationStatus(KeyId=key_id)["KeyRotationEnabled"] is True
    m = meta(kms, key_id)
    period = 365 if days is None else days
    assert m["KeyRotationEnabled"] is True
    assert m["RotateDays"] == period
    assert m["NextRotateTime"] == now + period * DAY
    kms.DisableKeyRotation(KeyId=key_id)
    assert kms.GetKeyRotationStatus(KeyId=key_id)["KeyRotationEnabled"] is False
    assert meta(kms, key_id)["KeyRotationEnabled"] is False


@pytest.mark.parametrize(
    ("days", "code"),
    [(6, "InvalidParameterValue"), (366, "InvalidParameterValue"), (0, "InvalidParameterValue"),
     (True, "InvalidParameter"), ("30", "InvalidParameter")],
)  # fmt: skip
def test_rotate_days_range(kms, new_key, fails, days, code):
    key_id = new_key()
    assert fails(kms.EnableKeyRotation, KeyId=key_id, RotateDays=days).code == code
    assert meta(kms, key_id)["KeyRotationEnabled"] is False


def test_external_key_cannot_rotate(kms, new_key, fails):
    key_id = new_key(Type=2)
    # Import is another issue: give the EXTERNAL key the Enabled state it would have after
    # ImportKeyMaterial, so that only its origin can refuse the rotation.
    key = kms.inspect.key(key_id)
    key.state = "Enabled"
    put_key(kms, key)
    err = fails(kms.EnableKeyRotation, KeyId=key_id)
    assert err.code == "UnsupportedOperation.ExternalCmkCanNotRotate"
    assert fails(kms.RotateKey, KeyId=key_id).code == "UnsupportedOperation.RotateNotSupported"


# ----------------------------------------------------------------- RotateKey


def test_rotate_key_needs_rotation_enabled(kms, new_key, fails):
    key_id = new_key()
    assert fails(kms.RotateKey, KeyId=key_id).code == "UnsupportedOperation.RotateNotSupported"
    assert version_of_new_blob(kms, key_id) == 1


def test_rotate_key_once_per_24_hours(kms, new_key, fails):
    key_id = new_key()
    kms.EnableKeyRotation(KeyId=key_id)
    next_auto = meta(kms, key_id)["NextRotateTime"]
    r = kms.RotateKey(KeyId=key_id)
    assert uuid.UUID(r["TaskId"])
    assert version_of_new_blob(kms, key_id) == 2
    m = meta(kms, key_id)
    assert m["LastRotateTime"] == int(kms.clock.now())
    assert m["NextRotateTime"] == next_auto  # on-demand rotation keeps the schedule
    kms.clock.advance(hours=23, minutes=59, seconds=59)
    assert fails(kms.RotateKey, KeyId=key_id).code == "RequestLimitExceeded.RotateRateLimited"
    assert version_of_new_blob(kms, key_id) == 2
    kms.clock.advance(seconds=1)
    kms.RotateKey(KeyId=key_id)
    assert version_of_new_blob(kms, key_id) == 3
    assert meta(kms, key_id)["LastRotateTime"] == int(kms.clock.now())


def test_rotate_key_is_per_key(kms, new_key):
    a, b = new_key(), new_key()
    for k in (a, b):
        kms.EnableKeyRotation(KeyId=k)
    kms.RotateKey(KeyId=a)
    kms.RotateKey(KeyId=b)
    assert version_of_new_blob(kms, a) == version_of_new_blob(kms, b) == 2
