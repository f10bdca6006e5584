"""Shared by the two state-table tests: moving a key into a given state."""

from __future__ import annotations

from kmslab import KMS


def drive_to_state(kms: KMS, key_id: str, state: str) -> None:
    """Move an Enabled key into ``state`` through the public actions (state-table tests)."""
    if state in ("Disabled", "PendingDelete"):
        kms.DisableKey(KeyId=key_id)
    if state == "PendingDelete":
        kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    if state == "Archived":
        kms.ArchiveKey(KeyId=key_id)
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == state
