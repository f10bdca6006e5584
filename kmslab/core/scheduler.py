"""Jobs that fall due on the service clock: rotation, deletion, expiry.

The queue is derived state. After every committed change the service asks each job kind
when it next falls due for the changed resource (``JobKind.due``) and sets or clears
that one entry, so a resource has at most one pending entry per job kind: 50,000
ScheduleKeyDeletion and CancelKeyDeletion pairs leave nothing behind. Superseded heap
entries are skipped when they surface, and the heap is rebuilt when they pile up.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

JobRef = tuple[str, tuple]
"""(job kind, the resource it acts on: (kind name, uin, region, id))."""


@dataclass(frozen=True, order=True)
class Job:
    """One scheduled job: at ``due``, run ``kind`` on the resource named by ``ref``."""

    due: float
    seq: int
    kind: str
    ref: tuple


@dataclass(frozen=True)
class Event:
    """Something that happened on the clock, for the clock widget and the timelines."""

    time: int
    kind: str
    key_id: str
    detail: str = ""


class Scheduler:
    """One entry per (job kind, resource), ordered by a min-heap; the next due time is
    O(1) to peek at on every call."""

    def __init__(self) -> None:
        self._heap: list[Job] = []
        self._due: dict[JobRef, float] = {}
        self._seq = itertools.count()

    def set(self, kind: str, ref: tuple, due: float) -> None:
        """Make ``due`` the one pending instant of ``kind`` for ``ref`` (0: none)."""
        entry = (kind, ref)
        if not due:
            self._due.pop(entry, None)
            return
        due = float(due)
        if self._due.get(entry) == due:
            return
        self._due[entry] = due
        heapq.heappush(self._heap, Job(due, next(self._seq), kind, ref))
        if len(self._heap) > 2 * len(self._due) + 64:
            self._compact()

    def discard(self, kind: str, ref: tuple) -> None:
        """Forget the pending job of ``kind`` for ``ref``, if any."""
        self._due.pop((kind, ref), None)

    def _compact(self) -> None:
        self._heap = [
            Job(due, next(self._seq), kind, ref) for (kind, ref), due in self._due.items()
        ]
        heapq.heapify(self._heap)

    def _drop_superseded(self) -> None:
        heap = self._heap
        while heap and self._due.get((heap[0].kind, heap[0].ref)) != heap[0].due:
            heapq.heappop(heap)

    @property
    def next_due(self) -> float:
        if not self._heap:  # the common case on every call: nothing is scheduled
            return float("inf")
        self._drop_superseded()
        return self._heap[0].due if self._heap else float("inf")

    def pop_due(self, until: float) -> Job | None:
        """The earliest job due at or before ``until``, removed from the queue."""
        self._drop_superseded()
        if self._heap and self._heap[0].due <= until:
            job = heapq.heappop(self._heap)
            del self._due[(job.kind, job.ref)]
            return job
        return None

    def pending(self) -> dict[JobRef, float]:
        """Every pending entry (for inspection and tests)."""
        return dict(self._due)

    def __len__(self) -> int:
        """How many entries the heap holds, superseded ones included."""
        return len(self._heap)

    def clear(self) -> None:
        self._heap.clear()
        self._due.clear()
