"""Speed of the white-box attack lab (issue 12): DFA and DCA against their targets.

For each attack: wall-clock best and median over a few runs (each on a fresh random
key), the process's CPU time (the least sensitive to other engineers' load), and as the
peer in the same run the cost of the white-box work the attack cannot avoid: running
the same number of blocks through the tables without hooks (DFA: its faulted runs, one
call each; DCA: the traced blocks in one batch). The difference is the analysis. Run::

    python benchmarks/bench_whitebox_attacks.py            # about a minute
    python benchmarks/bench_whitebox_attacks.py --quick    # a smoke run

A plain script: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from kmslab.whitebox import Library, WhiteBoxCipher, build_library  # noqa: E402
from kmslab.whitebox.attacks import dca_details, dfa_details, key_absence_scan  # noqa: E402

KEY_LEN = {"AES_256": 32, "SM4": 16}


def measure(run: Callable[[bytes], object], alg: str, repeat: int) -> tuple[float, float, float]:
    """(best wall, median wall, best CPU) seconds of ``run(key)`` over fresh random keys."""
    walls, cpus = [], []
    for _ in range(repeat):
        key = os.urandom(KEY_LEN[alg])
        start, cpu = time.perf_counter(), time.process_time()
        run(key)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), statistics.median(walls), min(cpus)


def row(what: str, best: float, med: float, cpu: float, target: float, peer: str) -> None:
    """Print one result line (seconds)."""
    mark = "ok" if best <= target else "MISS"
    print(f"{what:<30} {best:>8.3f} {med:>8.3f} {cpu:>8.3f}  <= {target:>4.0f} s  {mark:<4} {peer}")


def bench(lib: Library, alg: str, repeat: int, dca_traces: tuple[int, ...]) -> None:
    """DFA, DCA and the key-absence scan of one algorithm."""
    kid = str(uuid.uuid4())
    runs = []

    def dfa_run(key: bytes) -> None:
        dk = lib.encode_key(alg, key, kid).decrypt_key
        result = dfa_details(lib.sdk, dk, alg, seed=int.from_bytes(key[:4], "big"))
        assert result.key == key
        runs.append(result.faulted_runs)

    best, med, cpu = measure(dfa_run, alg, repeat)
    cipher = WhiteBoxCipher(lib.sdk, lib.encode_key(alg, os.urandom(KEY_LEN[alg]), kid).decrypt_key)
    blocks = np.zeros((2, 16), dtype=np.uint8)
    n = max(runs) + 1
    start = time.perf_counter()
    for _ in range(n):
        cipher.run_blocks(blocks)
    peer = time.perf_counter() - start
    row(f"DFA {alg}", best, med, cpu, 1, f"{max(runs)} faulted runs; {n} plain runs: {peer:.3f} s")

    for traces in dca_traces:

        def dca_run(key: bytes, traces: int = traces) -> None:
            dk = lib.encode_key(alg, key, kid).decrypt_key
            seed = int.from_bytes(key[:4], "big")
            assert dca_details(lib.sdk, dk, alg, traces=traces, seed=seed).key == key

        best, med, cpu = measure(dca_run, alg, max(1, repeat // 2))
        blocks = np.zeros((traces, 16), dtype=np.uint8)
        start = time.perf_counter()
        cipher.run_blocks(blocks)
        peer = time.perf_counter() - start
        row(f"DCA {alg}, {traces} traces", best, med, cpu, 30, f"one plain batch: {peer:.3f} s")

    def scan_run(key: bytes) -> None:
        assert key_absence_scan(lib.sdk, lib.encode_key(alg, key, kid).decrypt_key, key).clean

    best, med, cpu = measure(scan_run, alg, max(1, repeat // 2))
    row(f"key-absence scan {alg}", best, med, cpu, 5, f"{lib.sdk.nbytes / 2**20:.1f} MiB of tables")


def main(argv: list[str] | None = None) -> None:
    """Run the measurements and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else 6
    load = "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(
        f"kmslab white-box attack benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"{load}; seconds: best and median wall clock, best CPU, over {repeat} random keys")
    print(f"{'what':<30} {'best':>8} {'median':>8} {'CPU':>8}  target     ok   peer")
    lib = build_library(os.urandom(32))
    bench(lib, "AES_256", repeat, (256,) if args.quick else (256, 512))
    bench(lib, "SM4", repeat, (256,))


if __name__ == "__main__":
    main()
