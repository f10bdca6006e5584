"""Speed of hosted data keys: single thread, in process, through the Pythonic face.

Measures, each against a peer in the same run:

* GetDataKeyPlaintext (target 20,000/s) against Decrypt of the very blob it holds;
* a page of ListDataKeyDetail at 1,000 and at 50,000 hosted data keys (target: within
  2x), unfiltered and with state and CMK filters, and with a name search (which scans,
  so it is expected to grow);
* non-hosted GenerateDataKey, which left the read-only set for hosting, against the
  same call in a service where it is still marked read-only (the cost of the change).

Run::

    python benchmarks/bench_datakeys.py            # full run, about a minute
    python benchmarks/bench_datakeys.py --quick    # a smoke run

It is a plain script: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmslab.core import assembly, symmetric  # noqa: E402
from kmslab.core.service import KMS  # noqa: E402

Rates = tuple[float, ...]
"""(best, median[, per CPU-second]) calls per second: the best chunk is the least
disturbed by other processes; calls per CPU-second of this process the least sensitive
to the load of a shared machine."""


def interleaved(runs: dict[str, Callable[[int], None]], n: int, repeat: int) -> dict[str, Rates]:
    """(best, median) calls per second of each ``run(n)``, measured in alternating rounds
    so that a change in the machine's load falls on every contender alike."""
    for run in runs.values():
        run(min(n, 2000))  # warm caches (prepared cipher, parsed headers)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start, used = time.perf_counter(), time.process_time()
            run(n)
            rates[name].append(n / (time.perf_counter() - start))
            cpu[name].append(n / max(time.process_time() - used, 1e-9))
    return {
        name: (max(r), statistics.median(r), statistics.median(cpu[name]))
        for name, r in rates.items()
    }


def plaintext_rates(region: str, n: int, repeat: int) -> dict[str, Rates]:
    """GetDataKeyPlaintext and its peer, Decrypt of the same blob."""
    kms = KMS(region=region, record_limit=1000)
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    out = kms.GenerateDataKey(KeyId=key_id, KeySpec="AES_256", IsHostedByKms=1, DataKeyName="b")
    dk, blob = out["DataKeyId"], out["CiphertextBlob"]

    def get(count: int) -> None:
        for _ in range(count):
            kms.GetDataKeyPlaintext(DataKeyId=dk)

    def decrypt(count: int) -> None:
        for _ in range(count):
            kms.Decrypt(CiphertextBlob=blob)

    return interleaved({"GetDataKeyPlaintext": get, "Decrypt (peer)": decrypt}, n, repeat)


def generate_rates(n: int, repeat: int) -> dict[str, Rates]:
    """Non-hosted GenerateDataKey now, and in a service where it is still read-only."""
    old_symmetric = dataclasses.replace(
        symmetric.GROUP, read_only=symmetric.GROUP.read_only | {"GenerateDataKey"}
    )
    old_groups = tuple(
        old_symmetric if g is symmetric.GROUP else g for g in assembly.SERVICE_GROUPS
    )
    runs = {}
    for name, groups in (
        ("GenerateDataKey", None),
        ("GenerateDataKey, read-only (peer)", old_groups),
    ):
        kms = KMS(region="ap-hongkong", groups=groups, record_limit=1000)
        key_id = kms.CreateKey(Alias="bench")["KeyId"]

        def gen(count: int, kms=kms, key_id=key_id) -> None:
            for _ in range(count):
                kms.GenerateDataKey(KeyId=key_id, KeySpec="AES_256")

        runs[name] = gen
    return interleaved(runs, n, repeat)


def grow(kms: KMS, keys: list[str], target: int) -> None:
    """Host data keys until the account has ``target`` of them (every tenth Disabled)."""
    have = kms.GetServiceStatus()["DataKeyUsedCount"]
    for i in range(have, target):
        out = kms.GenerateDataKey(
            KeyId=keys[i % len(keys)], NumberOfBytes=32, IsHostedByKms=1, DataKeyName=f"dk{i}"
        )
        if i % 10 == 0:
            kms.DisableDataKey(DataKeyId=out["DataKeyId"])


LIST_CASES = {
    "page of 10, no filter": {},
    "page of 200, no filter": {"Limit": 200},
    "page of 10, Enabled, oldest first": {"KeyState": 1, "OrderType": 1},
    "page of 10, one CMK, 32 bytes": {"KeyId": None, "DataKeyLen": 32},
    "page of 10, deep offset": {"Offset": 500},
    "name search (scans)": {"SearchKeyAlias": "dk99"},
}


def list_rates(sizes: tuple[int, ...], n: int, repeat: int) -> dict[str, dict[int, Rates]]:
    """ListDataKeyDetail calls/s for each case, in one service per number of hosted data
    keys; the services are measured in alternating rounds, so that a change in the
    machine's load falls on both alike."""
    services = {}
    for size in sizes:
        kms = KMS(region="ap-hongkong", record_limit=1000)
        keys = [kms.CreateKey(Alias=f"root{i}")["KeyId"] for i in range(5)]
        start = time.perf_counter()
        grow(kms, keys, size)
        print(f"  {size:,} data keys hosted ({time.perf_counter() - start:.1f} s)", flush=True)
        services[size] = (kms, keys)
    out: dict[str, dict[int, Rates]] = {}
    for case, template in LIST_CASES.items():
        calls = max(5, n // 50) if "scans" in case else n
        rounds: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(repeat):
            for size, (kms, keys) in services.items():
                params = {k: (keys[0] if v is None else v) for k, v in template.items()}
                start = time.perf_counter()
                for _ in range(calls):
                    kms.ListDataKeyDetail(**params)
                rounds[size].append(calls / (time.perf_counter() - start))
        out[case] = {size: (max(r), statistics.median(r)) for size, r in rounds.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    args = parser.parse_args()
    n, repeat = (2000, 3) if args.quick else (10_000, 7)
    small, large = (1000, 5000) if args.quick else (1000, 50_000)
    print(f"load average {os.getloadavg()[0]:.1f}; best / median calls per second\n")

    print("| action | where | best/s | median/s | per CPU-s | target | met (best) |")
    print("|---|---|---:|---:|---:|---:|---|")
    rows = [
        (r, *item)
        for r in ("ap-hongkong", "ap-guangzhou")
        for item in plaintext_rates(r, n, repeat).items()
    ]
    rows += [("ap-hongkong", *item) for item in generate_rates(n, repeat).items()]
    for region, name, (best, median, per_cpu) in rows:
        target = 20_000 if name == "GetDataKeyPlaintext" else None
        met = "" if target is None else ("yes" if best >= target else "no")
        print(
            f"| {name} | {region} | {best:,.0f} | {median:,.0f} | {per_cpu:,.0f} "
            f"| {target or ''} | {met} |"
        )

    print(f"\nListDataKeyDetail at {small:,} and {large:,} hosted data keys (calls/s, best)\n")
    print(f"| case | {small:,} | {large:,} | ratio (best) | ratio (median) | within 2x |")
    print("|---|---:|---:|---:|---:|---|")
    for case, by_size in list_rates((small, large), n // 5, repeat).items():
        a, b = by_size[small][0], by_size[large][0]
        ratio = a / b
        median_ratio = by_size[small][1] / by_size[large][1]
        verdict = "(scan: not a target)" if "scans" in case else ("yes" if ratio <= 2 else "no")
        print(f"| {case} | {a:,.0f} | {b:,.0f} | {ratio:.2f} | {median_ratio:.2f} | {verdict} |")


if __name__ == "__main__":
    main()
