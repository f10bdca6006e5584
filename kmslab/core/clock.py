"""The one injectable clock (DESIGN.md section 4).

Nothing in the service reads the system time: it asks its clock. The real clock is the
default; a virtual clock makes time travel possible, and advancing it runs every job
that falls due (rotations, deletions, expiries) in order, each at its own instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

# 2026-01-01T00:00:00Z: where a deterministic service's virtual clock starts by default.
DETERMINISTIC_EPOCH = 1767225600.0


class Clock:
    """Real time (``time.time``): the default clock."""

    virtual = False

    def now(self) -> float:
        """Unix seconds, as a float."""
        return time.time()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.isoformat()}>"

    def isoformat(self) -> str:
        """The current instant in ISO 8601, UTC."""
        return datetime.fromtimestamp(self.now(), timezone.utc).isoformat()


class VirtualClock(Clock):
    """Time that moves only when told to: ``advance(days=7)`` or ``set(unix_seconds)``.

    The owning service installs a runner that executes the jobs falling due while the
    clock moves, setting the clock to each job's own due time before running it.
    """

    virtual = True

    def __init__(self, start: float | datetime | None = None) -> None:
        if isinstance(start, datetime):
            start = start.timestamp()
        self._now = float(DETERMINISTIC_EPOCH if start is None else start)
        self._runner: Callable[[float], list] | None = None

    def now(self) -> float:
        return self._now

    def attach(self, runner: Callable[[float], list]) -> None:
        """Install the service's due-job runner (one service per clock)."""
        self._runner = runner

    def _jump(self, when: float) -> None:
        # Used by the runner to step to each job's due time.
        self._now = when

    def set(self, when: float | datetime) -> list:
        """Move to ``when`` (never backwards) and return the events of the jobs run."""
        if isinstance(when, datetime):
            when = when.timestamp()
        if when < self._now:
            raise ValueError("the virtual clock never goes backwards")
        events = self._runner(when) if self._runner else []
        self._now = float(when)
        return events

    def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> list:
        """Move forward by the given span; return the events (rotations, deletions, ...)
        that fell due, in the order they happened."""
        span = days * 86400 + hours * 3600 + minutes * 60 + seconds
        if span < 0:
            raise ValueError("the virtual clock never goes backwards")
        return self.set(self._now + span)
