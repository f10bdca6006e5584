"""The simulation of the service's limits and the record of every call (DESIGN.md section 7).

QPS limits are counted per account and action in one-second windows of the service
clock. Records are tuples in a bounded deque: cheap enough to keep on the hot path.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS

THROTTLED = "RequestLimitExceeded"


class CallRecord(NamedTuple):
    """One call: what, who, on which key, when (service clock), how long, and how it ended.

    ``latency`` is real, measured seconds (the one thing a virtual clock does not govern);
    ``wall`` is the real ``perf_counter`` start, for achieved-QPS views. ``error`` is the
    error code, ``RequestLimitExceeded`` for a throttled call, or ``""`` on success.
    """

    seq: int
    action: str
    uin: int
    region: str
    key_id: str
    time: float
    wall: float
    latency: float
    error: str


class QpsLimiter:
    """Documented per-action QPS limits, switched off, as documented, or scaled.

    ``mode`` is ``"off"``, ``"documented"``, or a positive number that scales every
    documented limit (``0.1`` makes limits ten times stricter, for experiments).
    Actions without a documented limit are never throttled.
    """

    def __init__(self, mode: str | float = "off") -> None:
        self._windows: dict[tuple[int, str], list] = {}
        self.set_mode(mode)

    def set_mode(self, mode: str | float) -> None:
        if mode == "off":
            scale = 0.0
        elif mode == "documented":
            scale = 1.0
        elif isinstance(mode, (int, float)) and not isinstance(mode, bool) and mode > 0:
            scale = float(mode)
        else:
            raise ValueError("qps mode is 'off', 'documented' or a positive scale factor")
        self.mode = mode
        self.limits = {
            name: max(1, math.floor(spec.qps * scale))
            for name, spec in ACTIONS.items()
            if spec.qps and scale
        }
        self._windows.clear()

    def admit(self, uin: int, action: str, now: float) -> None:
        """Count the call, or raise ``RequestLimitExceeded`` if its window is full."""
        limit = self.limits.get(action)
        if limit is None:
            return
        second = int(now)
        window = self._windows.get((uin, action))
        if window is None or window[0] != second:
            self._windows[(uin, action)] = [second, 1]
            return
        if window[1] >= limit:
            raise KMSError(
                THROTTLED,
                f"{action} is limited to {limit} requests per second per account",
                detail_zh=f"{action} 每个账号每秒最多 {limit} 次请求",
            )
        window[1] += 1


NAME_LIMIT = 128
"""Characters of an action, region or key id a call record keeps."""


def _clip(name):
    return name[:NAME_LIMIT] if isinstance(name, str) else name


class CallLog:
    """The bounded buffer of call records that the pandas views read.

    Rows are kept as plain tuples and become :class:`CallRecord` only when read. The
    garbage collector stops tracking a plain tuple of strings and numbers after its first
    collection, but never a tuple subclass: a buffer of 100,000 ``CallRecord`` objects
    was traversed by every full collection, at a cost on every call.
    """

    def __init__(self, maxlen: int = 100_000) -> None:
        self._rows: deque[tuple] = deque(maxlen=maxlen)
        self._seq = 0

    @property
    def records(self) -> RecordView:
        """The records, oldest first, as a read-only sequence of :class:`CallRecord`."""
        return RecordView(self._rows)

    @property
    def last_seq(self) -> int:
        """The sequence number of the newest record (0 if there is none)."""
        return self._rows[-1][0] if self._rows else 0

    def since(self, seq: int) -> list[CallRecord]:
        """The records numbered above ``seq``, oldest first: found by arithmetic, since
        the numbers of the rows kept are consecutive."""
        rows = self._rows
        if not rows:
            return []
        newer = min(len(rows), max(0, rows[-1][0] - seq))
        make = CallRecord._make
        return [make(rows[i]) for i in range(len(rows) - newer, len(rows))]

    def add(
        self,
        action: str,
        uin: int,
        region: str,
        key_id: str,
        time: float,
        wall: float,
        latency: float,
        error: str,
    ) -> None:
        """Append a record. Caller-given names are clipped to :data:`NAME_LIMIT`
        characters (no real one is longer), so refused requests carrying megabytes in
        ``Action``, ``Region`` or ``KeyId`` cannot pin that memory in the buffer."""
        self._seq += 1
        if error:  # a successful call's names were validated (and a key id found)
            action, region, key_id = _clip(action), _clip(region), _clip(key_id)
        self._rows.append((self._seq, action, uin, region, key_id, time, wall, latency, error))

    def clear(self) -> None:
        self._rows.clear()


class RecordView(Sequence[CallRecord]):
    """A read-only window on the log's rows that hands each one out as a
    :class:`CallRecord` (indexing and iteration, as the deque of records allowed)."""

    __slots__ = ("_rows",)

    def __init__(self, rows: deque[tuple]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [CallRecord._make(row) for row in list(self._rows)[index]]
        return CallRecord._make(self._rows[index])

    def __iter__(self) -> Iterator[CallRecord]:
        return map(CallRecord._make, self._rows)
