"""The key lifecycle: scheduled deletion, archiving, cloud-resource bindings and rotation,
with the clock jobs that carry out deletions and automatic rotations when they fall due.
"""

from __future__ import annotations

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.cmk import CMK
from kmslab.core.context import CallContext
from kmslab.core.groups import ActionGroup, JobKind
from kmslab.core.keys import refuse_if_bound, refuse_member_account
from kmslab.core.model import ENABLED, EXTERNAL, PENDING_DELETE, Key
from kmslab.core.scheduler import Event
from kmslab.core.symmetric import add_version, can_rotate

DAY = 86400
_UTC8 = 8 * 3600


def deletion_date(now: int, days: int) -> int:
    """The end (23:59:59 UTC+8) of the day ``days`` days from now, as the service reports."""
    local = now + days * DAY + _UTC8
    return local - local % DAY + DAY - 1 - _UTC8


def schedule_key_deletion(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    target = states.move("ScheduleKeyDeletion", key)
    refuse_if_bound(key, "ScheduleKeyDeletion")
    key.state_before_deletion = key.state
    key.state = target
    key.deletion_date = deletion_date(ctx.seconds, params["PendingWindowInDays"])
    ctx.touch(key)
    return {"DeletionDate": key.deletion_date, "KeyId": key.key_id}


def cancel_key_deletion(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    key.state = states.move("CancelKeyDeletion", key)
    key.deletion_date = 0
    key.state_before_deletion = ""
    ctx.touch(key)
    return {"KeyId": key.key_id}


def _deletion_due(key: Key) -> int:
    return key.deletion_date if key.state == PENDING_DELETE else 0


def run_deletion(ctx: CallContext, key: Key, due: float) -> Event | None:
    """A deletion that fell due removes the key and every version for good."""
    if _deletion_due(key) != due:
        return None
    ctx.remove(key)
    return Event(int(due), "deleted", key.key_id, f"alias {key.alias}")


def archive_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    target = states.check("ArchiveKey", key)
    if target is not None:
        refuse_if_bound(key, "ArchiveKey")
        key.state = target
        ctx.touch(key)
    return {}


def cancel_key_archive(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    key.state = states.move("CancelKeyArchive", key)
    ctx.touch(key)
    return {}


def bind_cloud_resource(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    states.check("BindCloudResource", key)
    pair = [params["ProductId"], params["ResourceId"]]
    if pair not in key.bindings:
        key.bindings.append(pair)
    # A product depends on the key now, so it must not silently expire.
    key.valid_to = 0
    ctx.touch(key)
    return {}


def unbind_cloud_resource(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    states.check("UnbindCloudResource", key)
    pair = [params["ProductId"], params["ResourceId"]]
    if pair not in key.bindings:
        raise KMSError(
            "ResourceUnavailable.CloudResourceBindingNotFound",
            f"key {key.key_id} is not bound to {pair[0]} resource {pair[1]}",
            detail_zh="未找到该密钥与云资源的绑定关系",
        )
    key.bindings.remove(pair)
    ctx.touch(key)
    return {}


def _require_rotatable(key: Key, code: str) -> None:
    if key.origin == EXTERNAL:
        raise KMSError(
            "UnsupportedOperation.ExternalCmkCanNotRotate"
            if code == "external"
            else "UnsupportedOperation.RotateNotSupported",
            f"key {key.key_id} holds imported material, which cannot be rotated",
            detail_zh="导入的外部密钥不支持轮换",
        )
    if not can_rotate(key):
        raise KMSError(
            "UnsupportedOperation"
            if code == "external"
            else "UnsupportedOperation.RotateNotSupported",
            f"key {key.key_id} is a {key.usage} key; only symmetric keys rotate",
            detail_zh="只有对称密钥支持轮换",
        )


def enable_key_rotation(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    # The state table speaks first (as for RotateKey): a PendingImport key is refused for
    # its state, like any key in that state, before its origin is considered.
    states.check("EnableKeyRotation", key)
    _require_rotatable(key, "external")
    key.rotation_enabled = True
    key.rotate_days = params.get("RotateDays", 365)
    key.next_rotate_time = ctx.seconds + key.rotate_days * DAY
    ctx.touch(key)
    return {}


def disable_key_rotation(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    states.check("DisableKeyRotation", key)
    key.rotation_enabled = False
    key.next_rotate_time = 0
    ctx.touch(key)
    return {}


def get_key_rotation_status(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    states.check("GetKeyRotationStatus", key)
    return {"KeyRotationEnabled": key.rotation_enabled}


def _rotation_due(key: Key) -> int:
    return key.next_rotate_time if key.rotation_enabled else 0


def run_rotation(ctx: CallContext, key: Key, due: float) -> Event | None:
    """An automatic rotation: a new version if the key is Enabled (a key that is not is
    skipped this period), then the next rotation is scheduled one period later."""
    if _rotation_due(key) != due:
        return None
    rotated = key.state == ENABLED
    if rotated:
        add_version(ctx, key)
        key.last_rotate_time = int(due)
    key.next_rotate_time = int(due) + key.rotate_days * DAY
    ctx.touch(key)
    if rotated:
        return Event(int(due), "rotated", key.key_id, f"version {len(key.versions)}")
    return Event(int(due), "rotation skipped", key.key_id, f"key is {key.state}")


def rotate_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    states.check("RotateKey", key)
    _require_rotatable(key, "manual")
    if not key.rotation_enabled:
        raise KMSError(
            "UnsupportedOperation.RotateNotSupported",
            f"key {key.key_id} does not have rotation enabled (EnableKeyRotation first)",
            detail_zh="密钥未开启轮换，请先调用 EnableKeyRotation",
        )
    last = key.last_manual_rotate_time
    if last and ctx.seconds - last < DAY:
        raise KMSError(
            "RequestLimitExceeded.RotateRateLimited",
            f"key {key.key_id} was rotated on demand less than 24 hours ago",
            detail_zh="24 小时内只能手动轮换一次",
        )
    add_version(ctx, key)
    key.last_rotate_time = key.last_manual_rotate_time = ctx.seconds
    ctx.touch(key)
    return {"TaskId": ctx.random.uuid4()}


GROUP = ActionGroup(
    name="lifecycle",
    actions={
        "ScheduleKeyDeletion": schedule_key_deletion,
        "CancelKeyDeletion": cancel_key_deletion,
        "ArchiveKey": archive_key,
        "CancelKeyArchive": cancel_key_archive,
        "BindCloudResource": bind_cloud_resource,
        "UnbindCloudResource": unbind_cloud_resource,
        "EnableKeyRotation": enable_key_rotation,
        "DisableKeyRotation": disable_key_rotation,
        "GetKeyRotationStatus": get_key_rotation_status,
        "RotateKey": rotate_key,
    },
    read_only=frozenset(["GetKeyRotationStatus"]),
    jobs=(
        JobKind("delete", CMK, _deletion_due, run_deletion),
        JobKind("rotate", CMK, _rotation_due, run_rotation),
    ),
)
"""Scheduled deletion, archiving, cloud-resource bindings and rotation, with their clock jobs."""
