"""The unit of work: every call and every clock job is all-or-nothing, for every store.

A handler of a changing action never touches a live resource. It gets copies, changes
them, and marks them (``touch``, ``add``, ``remove``). When the handler returns, the
changes are written to the store in one transaction and only then swapped into the
repositories, the clock-job queue and the secret cache. If anything raises before
that, the copies are dropped: memory and disk are exactly as they were. Read-only
actions read live objects and pay nothing for this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kmslab.core.resources import Repository, ResourceKind, Scope

if TYPE_CHECKING:
    from kmslab.core.groups import JobKind
    from kmslab.core.scheduler import Scheduler
    from kmslab.core.secret_cache import SecretCache
    from kmslab.store.base import Brief, Store


class ReadOnlyCall(RuntimeError):
    """A read-only action tried to change a resource: a bug in that action's group."""


@dataclass
class ServiceState:
    """Everything a committed unit of work changes, together."""

    repos: dict[str, Repository]
    store: Store
    scheduler: Scheduler
    secrets: SecretCache
    jobs_by_resource: dict[str, tuple[JobKind, ...]]
    stamps: dict[str, str] = field(default_factory=dict)
    """The brief stamp of each resource kind (:func:`brief_stamp`), made on first use."""
    reader: UnitOfWork = field(init=False)
    """The one read-only unit every read-only call shares: it holds nothing of its own."""

    def __post_init__(self) -> None:
        self.reader = UnitOfWork(self, writable=False)

    def stamp(self, kind: ResourceKind) -> str:
        stamp = self.stamps.get(kind.name)
        if stamp is None:
            stamp = self.stamps[kind.name] = brief_stamp(
                kind, self.jobs_by_resource.get(kind.name, ())
            )
        return stamp


BRIEF_FORMAT = 1
"""Bump it whenever a kind's facets or a job kind's ``due`` change meaning: the briefs
that stores wrote before are then ignored (and rewritten) on the next reopen."""


def brief_stamp(kind: ResourceKind, jobs: Sequence[JobKind]) -> str:
    """A short tag of what a brief was derived with (the format, the kind and its job
    kinds): a brief carrying another stamp is stale, so its record is parsed instead."""
    text = f"{BRIEF_FORMAT}|{kind.name}|{','.join(sorted(job.name for job in jobs))}"
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def brief_of(
    kind: ResourceKind, stamp: str, obj: Any, jobs: Sequence[JobKind]
) -> tuple[Brief, list[float]]:
    """The brief a durable store keeps beside ``obj``'s record, and each job's due time.

    The brief's due is the earliest of them: a reopened resource with any job pending is
    parsed at once (the queue needs it), one with none waits until something reads it."""
    dues = [job.due(obj) for job in jobs]
    soonest = min((d for d in dues if d), default=0)
    key = None if kind.facet_key is None else f"{stamp}#{kind.facet_key(obj)}"
    return (key, soonest), dues


def job_ref(kind: ResourceKind, obj: Any) -> tuple:
    """How the job queue names a resource: (kind, uin, region, id)."""
    uin, region = kind.scope_of(obj)
    return (kind.name, uin, region, kind.id_of(obj))


_NOTHING: dict = {}
"""The (never written) tables of every read-only unit."""


class UnitOfWork:
    """The resources one call or job reads and changes, until it commits."""

    __slots__ = ("state", "writable", "_copies", "_changed", "_removed")

    def __init__(self, state: ServiceState, writable: bool) -> None:
        self.state = state
        self.writable = writable
        if writable:
            self._copies: dict[tuple[str, str], Any] = {}
            self._changed: dict[tuple[str, str], Any] = {}
            self._removed: dict[tuple[str, str], Any] = {}
        else:  # never written: a read-only unit allocates nothing (the hot path)
            self._copies = self._changed = self._removed = _NOTHING

    # -- reads ---------------------------------------------------------------------

    def get(self, kind: ResourceKind, scope: Scope, obj_id: str) -> Any | None:
        """The resource, as this unit of work sees it: live when read-only, else a copy
        that stays the same object for the rest of the call."""
        if not self.writable:
            return self.state.repos[kind.name].get(scope, obj_id)
        ref = (kind.name, obj_id)
        if ref in self._removed:
            return None
        obj = self._copies.get(ref)
        if obj is not None:
            return obj if kind.scope_of(obj) == scope else None
        live = self.state.repos[kind.name].get(scope, obj_id)
        if live is None:
            return None
        obj = self._copies[ref] = kind.copy(live)
        return obj

    def owner_of_name(self, kind: ResourceKind, scope: Scope, name: str) -> str | None:
        """The id holding ``name`` in ``scope``, counting this unit's own changes."""
        for (kind_name, obj_id), obj in self._changed.items():
            if kind_name == kind.name and kind.scope_of(obj) == scope and kind.name_of(obj) == name:
                return obj_id
        owner = self.state.repos[kind.name].owner_of_name(scope, name)
        if owner is None:
            return None
        ref = (kind.name, owner)
        if ref in self._removed or (
            ref in self._changed and kind.name_of(self._changed[ref]) != name
        ):
            return None
        return owner

    def count(self, kind: ResourceKind, scope: Scope) -> int:
        """How many resources ``scope`` holds, counting this unit's additions and removals."""
        repo = self.state.repos[kind.name]
        n = repo.count(scope)
        for (kind_name, obj_id), obj in self._changed.items():
            if kind_name == kind.name and kind.scope_of(obj) == scope:
                n += repo.get(scope, obj_id) is None
        for (kind_name, _), obj in self._removed.items():
            if kind_name == kind.name and kind.scope_of(obj) == scope:
                n -= 1
        return n

    # -- changes -------------------------------------------------------------------

    def _require_writable(self) -> None:
        if not self.writable:
            raise ReadOnlyCall("a read-only action tried to change a resource")

    def add(self, kind: ResourceKind, obj: Any) -> None:
        """Enter a new resource; it exists for everyone once the unit commits."""
        self._require_writable()
        ref = (kind.name, kind.id_of(obj))
        self._removed.pop(ref, None)
        self._copies[ref] = self._changed[ref] = obj

    def touch(self, kind: ResourceKind, obj: Any) -> None:
        """Mark a copy (from :meth:`get`) or a new resource as changed."""
        self._require_writable()
        ref = (kind.name, kind.id_of(obj))
        if self._copies.get(ref) is not obj:
            raise ReadOnlyCall(f"{ref[1]} is not a copy taken by this unit of work")
        self._changed[ref] = obj

    def remove(self, kind: ResourceKind, obj: Any) -> None:
        """Delete a resource for good once the unit commits."""
        self._require_writable()
        ref = (kind.name, kind.id_of(obj))
        self._changed.pop(ref, None)
        self._copies.pop(ref, None)
        if self.state.repos[kind.name].get(kind.scope_of(obj), ref[1]) is not None:
            self._removed[ref] = obj

    @property
    def dirty(self) -> bool:
        """Whether committing would change anything."""
        return bool(self._changed or self._removed)

    # -- commit ----------------------------------------------------------------------

    def commit(self, kinds: dict[str, ResourceKind], clock: float) -> None:
        """Persist every change in one store transaction, then swap it into memory.

        If the store raises, nothing in memory has changed and the exception propagates.
        The swap itself only updates dictionaries and lists, which cannot fail.
        """
        if not (self._changed or self._removed):
            return
        state = self.state
        changes: dict[str, tuple[list, list]] = {}
        for (kind_name, _), obj in self._changed.items():
            changes.setdefault(kind_name, ([], []))[0].append(obj)
        for (kind_name, _), obj in self._removed.items():
            changes.setdefault(kind_name, ([], []))[1].append(obj)
        briefs: dict[str, list[Brief]] = {}
        dues: dict[str, list[list[float]]] = {}
        for kind_name, (upserts, _) in changes.items():
            kind = kinds[kind_name]
            stamp, jobs = state.stamp(kind), state.jobs_by_resource.get(kind_name, ())
            pairs = [brief_of(kind, stamp, obj, jobs) for obj in upserts]
            briefs[kind_name] = [brief for brief, _ in pairs]
            dues[kind_name] = [due for _, due in pairs]
        state.store.commit(
            [
                (kinds[name], upserts, removed, briefs[name])
                for name, (upserts, removed) in changes.items()
            ],
            clock,
        )
        for kind_name, (upserts, removed) in changes.items():
            kind = kinds[kind_name]
            repo = state.repos[kind_name]
            jobs = state.jobs_by_resource.get(kind_name, ())
            for obj, obj_dues in zip(upserts, dues[kind_name], strict=True):
                obj_id = kind.id_of(obj)
                if state.secrets.holds(obj_id):
                    state.secrets.retain(obj_id, kind.material_marks(obj))
                repo.put(obj)
                ref = job_ref(kind, obj)
                for job, due in zip(jobs, obj_dues, strict=True):
                    state.scheduler.set(job.name, ref, due)
            for obj in removed:
                repo.delete(obj)
                state.secrets.forget(kind.id_of(obj))
                ref = job_ref(kind, obj)
                for job in jobs:
                    state.scheduler.discard(job.name, ref)
        self._changed = {}
        self._removed = {}
