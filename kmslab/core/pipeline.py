"""The single path every call takes: due jobs, checks, throttling, validation, the
handler inside its unit of work, the commit, the call record and the RequestId.

The Pythonic methods, the wire endpoint and the notebook face all arrive here (under
the service lock), so every call is validated, throttled, recorded and all-or-nothing
in exactly the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import TYPE_CHECKING, Any

from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.actions.validate import validate
from kmslab.core.accounts import store_failed
from kmslab.core.context import CallContext
from kmslab.core.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from kmslab.core.service import KMS


def _caller(kms: KMS, uin: Any, region: Any) -> tuple[int, str]:
    """The calling account and region, refused with documented codes (a Python caller
    can pass anything here, such as a list, that a dictionary cannot look up)."""
    if uin is None:
        uin = kms.default_uin
    if region is None:
        region = kms.default_region
    if type(uin) is int and type(region) is str and region in kms.regions:
        if uin in kms.book.accounts:
            return uin, region
    if not isinstance(region, str) or region not in kms.regions:
        raise KMSError(
            "UnsupportedRegion",
            f"kmslab has no region {region!r}",
            detail_zh=f"kmslab 没有地域 {region!r}",
        )
    if isinstance(uin, bool) or not isinstance(uin, int) or uin not in kms.book.accounts:
        raise KMSError(
            "UnauthorizedOperation",
            f"there is no account {uin!r}",
            detail_zh=f"不存在账号 {uin!r}",
        )
    return uin, region


def run_call(
    kms: KMS,
    action: Any,
    params: Any,
    uin: Any,
    region: Any,
    language: str | None,
    variant: Callable[[CallContext, dict], dict] | None = None,
) -> dict:
    """Run one action (the caller holds the service lock); see ``KMS.call``.

    ``variant`` replaces the action's handler for a documented core path that is the
    same action with one thing fixed (``KMS.create_product_key``: CreateKey as a cloud
    product); the call is checked, throttled, validated and recorded as ``action``."""
    wall = perf_counter()
    request_id = kms.random.uuid4()
    now = kms.clock.now()
    key_id = ""
    error = ""
    answered = False  # set only once the call has committed and holds its answer
    record_uin, record_region = uin, region  # replaced by the checked caller below
    state = kms.state
    try:
        if now >= state.scheduler.next_due:
            kms.run_due_locked(now)
        if action.__class__ is not str or action not in ACTIONS:
            raise KMSError("InvalidAction", f"there is no action {action!r}")
        if uin is None:
            uin = kms.default_uin
        if region is None:
            region = kms.default_region
        if not (
            type(uin) is int
            and type(region) is str
            and region in kms.regions
            and uin in kms.book.accounts
        ):
            uin, region = _caller(kms, uin, region)  # refuses, with the documented codes
        record_uin, record_region = uin, region
        kms.limiter.admit(uin, action, now)
        params = validate(action, params if params is not None else {})
        key_id = params.get("KeyId") or params.get("DataKeyId", "")
        dispatch = kms.dispatch
        handler = dispatch.handlers.get(action)
        if handler is not None and variant is not None:
            handler = variant
        if handler is None:
            raise KMSError(
                "UnsupportedOperation",
                f"{action} is not built in this version of kmslab yet",
                detail_zh=f"kmslab 当前版本尚未实现 {action}",
            )
        if action in dispatch.read_only:
            uow = state.reader
        else:
            uow = UnitOfWork(state, True)
        ctx = CallContext(
            uin, region, now, request_id, kms.random, kms.root_key, uow, state.secrets, kms.settings
        )
        result = handler(ctx, params)
        if uow is not state.reader and uow.dirty:
            try:
                uow.commit(dispatch.resources, now)
            except Exception as exc:
                raise store_failed(exc) from exc
        key_id = result.get("KeyId", key_id)
        result["RequestId"] = request_id
        answered = True
        return result
    except KMSError as exc:
        error = exc.code
        exc.request_id = request_id
        exc.language = language or kms.language
        raise
    except Exception as exc:  # a kmslab bug anywhere on the path: nothing was committed
        error = "InternalError"
        raise KMSError(
            "InternalError",
            f"{type(exc).__name__} in {action}",
            request_id=request_id,
            language=language or kms.language,
        ) from exc
    finally:
        log = kms.log
        if answered:  # CallLog.add, inline: a successful call's names need no clipping
            log._seq += 1
            log._rows.append(
                (log._seq, action, uin, region, key_id, now, wall, perf_counter() - wall, "")
            )
        else:
            # A refused call may carry anything: record plain, bounded values.
            action = action if isinstance(action, str) else repr(action)
            key_id = key_id if isinstance(key_id, str) else ""
            if not isinstance(record_uin, int) or isinstance(record_uin, bool):
                record_uin = kms.default_uin
            if not isinstance(record_region, str):
                record_region = kms.default_region
            log.add(
                action,
                record_uin,
                record_region,
                key_id,
                now,
                wall,
                perf_counter() - wall,
                error,
            )
