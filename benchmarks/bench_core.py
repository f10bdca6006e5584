"""Core speed of kmslab: single thread, in process, through the Pythonic face.

Measures Encrypt, Decrypt and GenerateDataKey (32-byte plaintext / AES_256 data key) in
the FIPS profile (``ap-hongkong``) and the SM profile (``ap-guangzhou``), and CreateKey
in memory and durable in SQLite (``synchronous`` FULL, the default, and NORMAL), and
prints calls per second against the targets of issue 2. Run::

    python benchmarks/bench_core.py            # full run, about half a minute
    python benchmarks/bench_core.py --quick    # a smoke run

It is a plain script (speed is measured here, never asserted in tests).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmslab.core.service import KMS  # noqa: E402
from kmslab.store.sqlite import SQLiteStore  # noqa: E402

FIPS_REGION, SM_REGION = "ap-hongkong", "ap-guangzhou"
PLAINTEXT = base64.b64encode(bytes(range(32))).decode()
MOTO = {"Encrypt": 1823, "CreateKey": 27}  # FACTS.md: moto in process through boto3


Rates = tuple[float, float, float]


def rate(run: Callable[[int], None], n: int, repeat: int) -> Rates:
    """(best, median, per CPU-second) calls per second over ``repeat`` chunks of ``run(n)``.

    The best chunk is the least disturbed by other processes (timeit's convention); the
    median shows how much a busy machine takes away; calls per CPU-second of this
    process is the least sensitive to other load (but leaves out time spent in fsync).
    """
    rates, cpu_rates = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run(n)
        rates.append(n / (time.perf_counter() - start))
        cpu_rates.append(n / max(time.process_time() - cpu, 1e-9))
    return max(rates), statistics.median(rates), statistics.median(cpu_rates)


def crypto_rates(region: str, n: int, repeat: int) -> dict[str, Rates]:
    """Encrypt, Decrypt and GenerateDataKey calls/s on one key of ``region``."""
    kms = KMS(region=region)
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    blob = kms.Encrypt(KeyId=key_id, Plaintext=PLAINTEXT)["CiphertextBlob"]

    def encrypt(count: int) -> None:
        for _ in range(count):
            kms.Encrypt(KeyId=key_id, Plaintext=PLAINTEXT)

    def decrypt(count: int) -> None:
        for _ in range(count):
            kms.Decrypt(CiphertextBlob=blob)

    def data_key(count: int) -> None:
        for _ in range(count):
            kms.GenerateDataKey(KeyId=key_id, KeySpec="AES_256")

    out = {}
    for name, fn in (("Encrypt", encrypt), ("Decrypt", decrypt), ("GenerateDataKey", data_key)):
        fn(min(n, 2000))  # warm caches (prepared cipher, headers)
        out[name] = rate(fn, n, repeat)
    kms.log.clear()
    return out


def create_rate(make: Callable[[], KMS], n: int, repeat: int) -> Rates:
    """(best, median, per CPU-second) CreateKey calls/s, in chunks of ``n`` on one service."""
    kms = make()
    chunks = iter(range(repeat))

    def create(count: int) -> None:
        r = next(chunks)
        for i in range(count):
            kms.CreateKey(Alias=f"k{r}-{i}")

    try:
        return rate(create, n, repeat)
    finally:
        kms.close()


def sqlite_maker(directory: str, synchronous: str) -> Callable[[], KMS]:
    counter = iter(range(1_000_000))

    def make() -> KMS:
        path = os.path.join(directory, f"bench-{synchronous}-{next(counter)}.db")
        return KMS(store=SQLiteStore(path, synchronous=synchronous))

    return make


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5_000, help="calls per crypto chunk")
    parser.add_argument("--create", type=int, default=2_000, help="CreateKeys per memory chunk")
    parser.add_argument(
        "--create-sqlite", type=int, default=200, help="CreateKeys per SQLite chunk"
    )
    parser.add_argument("--repeat", type=int, default=10, help="chunks per measurement")
    parser.add_argument("--dir", default=None, help="directory for the SQLite files")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small chunks, two each")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.create, args.create_sqlite, args.repeat = 2000, 500, 50, 2

    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str, Rates, int]] = []
    for profile, region, target in (("FIPS", FIPS_REGION, 30_000), ("SM", SM_REGION, 20_000)):
        for action, value in crypto_rates(region, args.n, args.repeat).items():
            rows.append((action, f"{profile} ({region})", value, target))
    rows.append(("CreateKey", "memory", create_rate(KMS, args.create, args.repeat), 5_000))
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for sync in ("FULL", "NORMAL"):
            make = sqlite_maker(tmp, sync)
            value = create_rate(make, args.create_sqlite, args.repeat)
            rows.append(("CreateKey", f"SQLite synchronous={sync}", value, 500))

    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"kmslab core benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {load}")
    print(f"{args.repeat} chunks each; the best chunk is compared with the target")
    head = f"{'action':<16} {'where':<27} {'best/s':>8} {'median/s':>9} {'per CPU-s':>9}"
    print(f"{head} {'target':>7}  ok   vs moto")
    for action, where, (best, median, cpu), target in rows:
        ok = "yes" if best >= target else "NO"
        moto = f"{best / MOTO[action]:5.0f}x" if action in MOTO else ""
        line = f"{action:<16} {where:<27} {best:>8,.0f} {median:>9,.0f} {cpu:>9,.0f}"
        print(f"{line} {target:>7,}  {ok:<4} {moto}")


if __name__ == "__main__":
    main()
