"""Jobs that fall due on the service clock: rotation, deletion, expiry.

The queue is derived state: it is rebuilt from the keys when a store is opened, and an
entry that no longer matches its key (rotation turned off, deletion cancelled) is
simply skipped when it comes up.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Job:
    """One scheduled job: at ``due``, run ``kind`` on the object named by ``ref``."""

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
    """A min-heap of jobs; peeking at the next due time is O(1) on every call."""

    def __init__(self) -> None:
        self._heap: list[Job] = []
        self._seq = itertools.count()

    def add(self, due: float, kind: str, ref: tuple) -> None:
        heapq.heappush(self._heap, Job(float(due), next(self._seq), kind, ref))

    @property
    def next_due(self) -> float:
        return self._heap[0].due if self._heap else float("inf")

    def pop_due(self, until: float) -> Job | None:
        """The earliest job due at or before ``until``, removed from the queue."""
        if self._heap and self._heap[0].due <= until:
            return heapq.heappop(self._heap)
        return None

    def clear(self) -> None:
        self._heap.clear()
