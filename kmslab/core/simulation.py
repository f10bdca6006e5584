"""The simulation of the service's limits and the record of every call (DESIGN.md section 7).

QPS limits are counted per account and action in one-second windows of the service
clock. Records are tuples in a bounded deque: cheap enough to keep on the hot path.
"""

from __future__ import annotations

import math
from collections import deque
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


_new_record = tuple.__new__

NAME_LIMIT = 128
"""Characters of an action, region or key id a call record keeps."""


def _clip(name):
    return name[:NAME_LIMIT] if isinstance(name, str) else name


class CallLog:
    """The bounded buffer of call records that the pandas views read."""

    def __init__(self, maxlen: int = 100_000) -> None:
        self.records: deque[CallRecord] = deque(maxlen=maxlen)
        self._seq = 0

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
        # CallRecord(...) without the Python-level __new__ a NamedTuple has: on every call.
        self.records.append(
            _new_record(
                CallRecord, (self._seq, action, uin, region, key_id, time, wall, latency, error)
            )
        )

    def clear(self) -> None:
        self.records.clear()
