"""The call log: records read as CallRecord, found by sequence number after the buffer
wraps, and kept in a form the garbage collector stops tracking (a buffer of 100,000
tracked records made every full collection, and so every call, slower)."""

from __future__ import annotations

import gc

import pytest

from kmslab.core.simulation import CallLog, CallRecord


def _log(maxlen: int, calls: int) -> CallLog:
    log = CallLog(maxlen=maxlen)
    for i in range(calls):
        log.add("Encrypt", 1, "ap-guangzhou", f"key-{i}", float(i), 0.0, 0.001, "")
    return log


@pytest.mark.parametrize("since", [-5, 0, 1, 6, 7, 9, 10, 11, 50])
def test_since_after_the_buffer_wrapped(since):
    log = _log(maxlen=4, calls=10)  # rows 7..10 are kept
    expected = [r for r in log.records if r.seq > since]
    assert log.since(since) == expected
    assert [r.seq for r in log.since(since)] == [s for s in (7, 8, 9, 10) if s > since]


def test_records_read_as_call_records():
    log = _log(maxlen=10, calls=3)
    last = log.records[-1]
    assert isinstance(last, CallRecord) and (last.seq, last.key_id) == (3, "key-2")
    assert [r.seq for r in log.records] == [1, 2, 3] and len(log.records) == 3
    assert [r.seq for r in log.records[1:]] == [2, 3]
    assert log.last_seq == 3
    log.clear()
    assert log.last_seq == 0 and log.since(0) == [] and list(log.records) == []


def test_rows_are_not_tracked_by_the_garbage_collector():
    log = _log(maxlen=100, calls=50)
    gc.collect()
    assert not any(gc.is_tracked(row) for row in log._rows)
