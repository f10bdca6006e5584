"""Running the clock jobs that fall due: each job is its own unit of work.

A virtual clock that moves runs every job due on the way, in due order, each at its
own instant; a real clock's due jobs run at the start of the next call. A job that
raises changes nothing, goes back on the queue, and stops the run with InternalError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kmslab.actions.errors import KMSError
from kmslab.core.accounts import store_failed
from kmslab.core.context import CallContext
from kmslab.core.scheduler import Event
from kmslab.core.unit_of_work import UnitOfWork, job_ref

if TYPE_CHECKING:
    from kmslab.core.service import KMS


def run_due(kms: KMS, until: float) -> list[Event]:
    """Run every job due at or before ``until`` (the caller holds the service lock)."""
    events: list[Event] = []
    state = kms.state
    clock = kms.clock
    while (job := state.scheduler.pop_due(until)) is not None:
        if clock.virtual:
            clock._jump(max(clock.now(), job.due))  # type: ignore[attr-defined]
        kind_name, uin, region, obj_id = job.ref
        kind = kms.dispatch.resources[kind_name]
        runner = kms.dispatch.jobs[job.kind]
        uow = UnitOfWork(state, writable=True)
        ctx = CallContext(
            uin=uin,
            region=region,
            now=job.due,
            request_id="",
            random=kms.random,
            root=kms.root_key,
            uow=uow,
            secrets=state.secrets,
            settings=kms.settings,
        )
        try:
            obj = uow.get(kind, (uin, region), obj_id)
            if obj is None:
                continue
            event = runner.run(ctx, obj, job.due)
            uow.commit(kms.dispatch.resources, job.due)
        except Exception as exc:
            state.scheduler.set(job.kind, job.ref, job.due)  # not lost: it is still due
            if isinstance(exc, KMSError):
                raise
            raise (
                store_failed(exc)
                if _from_store(exc)
                else KMSError("InternalError", f"{type(exc).__name__} in clock job {job.kind}")
            ) from exc
        live = state.repos[kind_name].get((uin, region), obj_id)
        if live is not None:
            due = runner.due(live)
            # Only ever forward: a job still due at its own instant would run forever.
            state.scheduler.set(job.kind, job_ref(kind, live), due if due > job.due else 0)
        if event is not None:
            kms.events_append(event)
            events.append(event)
    return events


def _from_store(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("sqlite3", "kmslab.store"))
