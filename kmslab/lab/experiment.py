"""QPS experiments: N calls of chosen actions under a chosen limit mode.

On a virtual clock an experiment can offer a fixed load (``rate`` calls per service
second per action) by stepping the clock between rounds, so what is throttled is exactly
reproducible; real latencies are measured all the same and vary from run to run.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from kmslab.actions.errors import KMSError
from kmslab.core.assembly import built_actions
from kmslab.lab.views import call_records, qps_latency, scope

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

_SAMPLE = base64.b64encode(b"kmslab QPS experiment payload").decode()
EXPERIMENT_ALIAS = "qps-experiment"


def _workloads(key_id: str, blob: str) -> dict[str, dict]:
    """Valid parameters for each action an experiment can run, on the experiment key."""
    return {
        "Encrypt": {"KeyId": key_id, "Plaintext": _SAMPLE},
        "Decrypt": {"CiphertextBlob": blob},
        "ReEncrypt": {"CiphertextBlob": blob},
        "GenerateDataKey": {"KeyId": key_id, "KeySpec": "AES_256"},
        "GenerateRandom": {"NumberOfBytes": 32},
        "DescribeKey": {"KeyId": key_id},
        "GetKeyRotationStatus": {"KeyId": key_id},
        "ListKeys": {},
        "ListKeyDetail": {},
        "GetServiceStatus": {},
        "GetRegions": {},
        "ListAlgorithms": {},
    }


EXPERIMENT_ACTIONS: tuple[str, ...] = tuple(a for a in _workloads("", "") if a in built_actions())
"""The actions an experiment can run (those kmslab builds, with a ready workload)."""


@dataclass
class Experiment:
    """What an experiment did: its records, the per-action view, and its settings."""

    actions: tuple[str, ...]
    n: int
    mode: str | float
    rate: float | None
    records: pd.DataFrame
    summary: pd.DataFrame


def _experiment_key(kms: KMS | AccountView) -> str:
    found = kms.call("ListKeyDetail", {"SearchKeyAlias": EXPERIMENT_ALIAS, "KeyState": 1})
    for meta in found.get("KeyMetadatas") or []:
        if meta["Alias"] == EXPERIMENT_ALIAS:
            return meta["KeyId"]
    return kms.call("CreateKey", {"Alias": EXPERIMENT_ALIAS})["KeyId"]


def run_qps_experiment(
    kms: KMS | AccountView,
    actions: Iterable[str] = ("Encrypt",),
    n: int = 100,
    mode: str | float = "documented",
    rate: float | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Experiment:
    """Make ``n`` calls of each of ``actions``, interleaved, under limit ``mode``.

    ``rate``: on a virtual clock, the offered load in calls per service second per
    action (the clock steps ``1/rate`` seconds after each round); ``None`` issues every
    call at once, in the same service second. The limiter's previous mode is restored
    afterwards. Throttled and refused calls are recorded, not raised.
    """
    service, _, _ = scope(kms)
    actions = tuple(actions)
    unknown = [a for a in actions if a not in EXPERIMENT_ACTIONS]
    if unknown or not actions:
        raise ValueError(f"choose actions from {', '.join(EXPERIMENT_ACTIONS)}; not {unknown}")
    if n < 1:
        raise ValueError("n is at least 1")
    if rate is not None and not service.clock.virtual:
        raise ValueError("an offered rate needs a virtual clock (KMS(seed=...) has one)")
    previous = service.limiter.mode
    # Set up with the limiter off, so the preparation is never throttled itself.
    service.limiter.set_mode("off")
    key_id = _experiment_key(kms)
    blob = kms.call("Encrypt", {"KeyId": key_id, "Plaintext": _SAMPLE})["CiphertextBlob"]
    work = _workloads(key_id, blob)
    start_seq = service.inspect.last_record_seq()
    start = service.clock.now()
    try:
        service.limiter.set_mode(mode)
        for i in range(n):
            for action in actions:
                try:
                    kms.call(action, dict(work[action]))
                except KMSError:
                    pass  # recorded by the service, outcome shown in the views
            if rate is not None:
                service.clock.set(start + (i + 1) / rate)  # type: ignore[attr-defined]
            if on_progress is not None:
                on_progress(i + 1)
        records = call_records(kms, since=start_seq)
        summary = qps_latency(kms, since=start_seq)
    finally:
        service.limiter.set_mode(previous)
    return Experiment(actions, n, mode, rate, records, summary)
