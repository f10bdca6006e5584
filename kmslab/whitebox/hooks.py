"""Teaching hooks for the table networks: record table lookups, or corrupt one intermediate.

Both are off by default; the networks test ``trace is None`` / ``fault is None`` once per
stage, so an unhooked run does the same work as before the hooks existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Fault:
    """XOR ``xor`` into byte ``index`` of the encoded state entering round ``round``.

    AES-256: ``round`` 0-14 (the key injection of round key ``round``), ``index`` 0-15 in
    the order the key-injection tables read the state. SM4: ``round`` 0-31, ``index`` 0-15
    over the four encoded branch words ``X[i] .. X[i+3]`` (byte 0 is the low byte of
    ``X[i]``). Encoded bytes: the cipher's real intermediate changes in one byte, unknown
    to the caller, which is the fault model of differential fault analysis.
    """

    round: int
    index: int
    xor: int

    def __post_init__(self) -> None:
        if not (0 <= self.index < 16 and 0 < self.xor < 256 and self.round >= 0):
            raise ValueError("a fault needs round >= 0, index 0-15 and a non-zero byte xor")


@dataclass(frozen=True)
class TraceRecord:
    """One stage's table outputs for every block of the batch (a copy)."""

    round: int
    stage: str
    values: np.ndarray


@dataclass
class Trace:
    """The table lookups of one run, in order (pass one to record; default off)."""

    records: list[TraceRecord] = field(default_factory=list)

    def record(self, round_: int, stage: str, values: np.ndarray) -> None:
        """Append a copy of one stage's outputs."""
        self.records.append(TraceRecord(round_, stage, np.array(values, copy=True)))

    def stages(self) -> list[str]:
        """The distinct stage names, in first-seen order."""
        return list(dict.fromkeys(r.stage for r in self.records))
