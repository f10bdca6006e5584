"""kmslab against its closest peer, moto's in-process KMS through boto3, in one run.

Encrypt, Decrypt and GenerateDataKey (32 bytes / AES_256) on one thread, alternating
kmslab and moto chunk by chunk so that both see the same machine noise; prints the
best and median rates and kmslab's factor over moto (target: at least 80x). Also times
the unit of work's cost on the hot path: the same Encrypt through the pipeline with a
read-only unit and with a writable one. Run::

    python benchmarks/bench_vs_moto.py [--quick]
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmslab import KMS  # noqa: E402

PLAIN_BYTES = bytes(range(32))
PLAIN = base64.b64encode(PLAIN_BYTES).decode()


def moto_client():
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import boto3
    from moto import mock_aws

    mock = mock_aws()
    mock.start()
    client = boto3.client("kms", region_name="us-east-1")
    key = client.create_key()["KeyMetadata"]["KeyId"]
    blob = client.encrypt(KeyId=key, Plaintext=PLAIN_BYTES)["CiphertextBlob"]
    return mock, {
        "Encrypt": lambda: client.encrypt(KeyId=key, Plaintext=PLAIN_BYTES),
        "Decrypt": lambda: client.decrypt(CiphertextBlob=blob),
        "GenerateDataKey": lambda: client.generate_data_key(KeyId=key, KeySpec="AES_256"),
    }


def kmslab_calls():
    kms = KMS(region="ap-hongkong")  # FIPS profile, the secure random source
    key = kms.CreateKey(Alias="bench")["KeyId"]
    blob = kms.Encrypt(KeyId=key, Plaintext=PLAIN)["CiphertextBlob"]
    return (
        kms,
        key,
        {
            "Encrypt": lambda: kms.Encrypt(KeyId=key, Plaintext=PLAIN),
            "Decrypt": lambda: kms.Decrypt(CiphertextBlob=blob),
            "GenerateDataKey": lambda: kms.GenerateDataKey(KeyId=key, KeySpec="AES_256"),
        },
    )


def chunk_rate(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 9
    mock, moto = moto_client()
    kms, key, ours = kmslab_calls()
    print(
        f"{'action':<16} {'kmslab best':>12} {'median':>9} {'moto best':>10} {'median':>8}  factor"
    )
    for action in ours:
        k_rates, m_rates = [], []
        for _ in range(rounds):
            k_rates.append(chunk_rate(ours[action], 2000))
            m_rates.append(chunk_rate(moto[action], 100))
        kb, km = max(k_rates), statistics.median(k_rates)
        mb, mm = max(m_rates), statistics.median(m_rates)
        print(f"{action:<16} {kb:>12,.0f} {km:>9,.0f} {mb:>10,.0f} {mm:>8,.0f}  {km / mm:5.0f}x")
    mock.stop()

    # The unit of work on the hot path: Encrypt through a read-only unit (as dispatched)
    # against the same handler forced through a writable unit (which copies on read).
    read_only = kms.dispatch.read_only
    samples = {"read-only unit": [], "writable unit": []}
    for _ in range(rounds):
        for label in samples:
            if label == "writable unit":
                read_only.discard("Encrypt")
            samples[label].append(chunk_rate(ours["Encrypt"], 2000))
            read_only.add("Encrypt")
    ro, rw = (statistics.median(samples[k]) for k in samples)
    print(f"Encrypt, read-only unit {ro:,.0f}/s; writable unit {rw:,.0f}/s; ")
    print(f"  a unit that copies costs {1e6 / rw - 1e6 / ro:.2f} us per call more")


if __name__ == "__main__":
    main()
