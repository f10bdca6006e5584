"""Scale: list pages, the key table, reopening SQLite, and memory per key.

* a page of ListKeys / ListKeyDetail (Limit 10; first page and a page in the middle)
  at 1,000 and at 100,000 keys (target: within 2x);
* ``kmslab.lab.key_table`` over 50,000 keys (target: under 2 s);
* reopening an SQLite file of 100,000 keys (target: under 2 s);
* memory per symmetric key, measured with tracemalloc (target: under 2 KB).

Run ``python benchmarks/bench_scale.py [--quick]`` (the quick run uses a tenth of the
sizes).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmslab import KMS  # noqa: E402


def populate(kms: KMS, n: int) -> None:
    for i in range(n):
        kms.CreateKey(Alias=f"k{i}")


def page_cost(kms: KMS, action: str, offset: int, repeat: int = 300) -> float:
    """Median microseconds of one page of ``action`` at ``offset``."""
    params = {"Limit": 10, "Offset": offset}
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            kms.call(action, params)
        samples.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    small, large = 1000, 100_000 // scale

    services = {}
    for n in (small, large):
        kms = KMS(seed=1, cmk_limit=10**6)
        populate(kms, n)
        services[n] = kms
    print(f"{'page (Limit 10)':<28} {small:>10,} keys {large:>10,} keys   ratio")
    for action in ("ListKeys", "ListKeyDetail"):
        for where in ("first", "middle"):
            costs = [
                page_cost(services[n], action, 0 if where == "first" else n // 2) for n in services
            ]
            print(
                f"{action + ', ' + where + ' page':<28} {costs[0]:>11.1f} us {costs[1]:>11.1f} us"
                f"   {costs[1] / costs[0]:4.2f}x"
            )

    from kmslab.lab import key_table

    n = 50_000 // scale
    kms = KMS(seed=2, cmk_limit=10**6)
    populate(kms, n)
    start = time.perf_counter()
    frame = key_table(kms)
    print(f"key_table over {len(frame):,} keys: {time.perf_counter() - start:.2f} s (target < 2 s)")

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kms = KMS(seed=3, cmk_limit=10**6)
    n = 20_000 // scale
    populate(kms, n)
    kms.log.clear()
    gc.collect()
    per_key = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    print(f"memory per symmetric key: {per_key:,.0f} bytes (target < 2,048), records cleared")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kms.db"
        n = 100_000 // scale
        kms = KMS(path=path, root_key=b"s" * 32, durability="NORMAL", cmk_limit=10**6)
        populate(kms, n)
        kms.close()
        start = time.perf_counter()
        reopened = KMS(path=path, root_key=b"s" * 32, cmk_limit=10**6)
        elapsed = time.perf_counter() - start
        count = reopened.inspect.count()
        print(f"reopening SQLite with {count:,} keys: {elapsed:.2f} s (target < 2 s)")
        # Records stay unparsed until read: the first list call builds its index from
        # the briefs, and a full read (the key table) parses every record once.
        start = time.perf_counter()
        reopened.ListKeyDetail(Limit=10)
        first = time.perf_counter() - start
        start = time.perf_counter()
        reopened.DescribeKey(KeyId=reopened.ListKeys(Offset=n // 2, Limit=1)["Keys"][0]["KeyId"])
        one = time.perf_counter() - start
        start = time.perf_counter()
        key_table(reopened)
        table = time.perf_counter() - start
        reopened.close()
        print(
            f"  then: first ListKeyDetail page {first * 1e3:.0f} ms, a DescribeKey "
            f"{one * 1e3:.1f} ms, key_table over all (parses every record) {table:.2f} s"
        )


if __name__ == "__main__":
    main()
