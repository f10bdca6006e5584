"""SM2 operations per second on both backends in one run: Tongsuo (C) and the pure-Python
gmalg fallback used where Tongsuo has no wheel. Run: ``python benchmarks/bench_sm2_backends.py``.

Both draw their randomness from the same kmslab source, so the comparison is of the
implementations alone; the documented QPS of the SM2 actions (100-200/s) is the peer.
"""

from __future__ import annotations

import sys
import time

from kmslab.crypto import sm2_pure
from kmslab.crypto.randomness import RandomSource

try:
    from kmslab.crypto import sm2_tongsuo
except ImportError:  # pragma: no cover - platforms without a Tongsuo wheel
    sm2_tongsuo = None


def rate(fn, seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def measure(backend, seconds: float) -> dict[str, float]:
    """Rates of key loading, signing, verifying, encrypting and decrypting 32 bytes."""
    random = RandomSource()
    der = backend.private_der_of(1 + random.randbelow(2**255))
    key = backend.load_private(der)
    public = key.public_key()
    signature = backend.sign(key, b"m" * 32, random)
    ciphertext = backend.encrypt_der(public, b"p" * 32, random)
    return {
        "load key": rate(lambda: backend.load_private(der), seconds),
        "sign": rate(lambda: backend.sign(key, b"m" * 32, random), seconds),
        "verify": rate(lambda: backend.verify(public, signature, b"m" * 32), seconds),
        "encrypt": rate(lambda: backend.encrypt_der(public, b"p" * 32, random), seconds),
        "decrypt": rate(lambda: backend.decrypt_der(key, ciphertext), seconds),
    }


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    results = {"gmalg": measure(sm2_pure, seconds)}
    if sm2_tongsuo is not None:
        results["tongsuo"] = measure(sm2_tongsuo, seconds)
    names = list(results)
    print(f"{'operation':<10}" + "".join(f"{n:>12}" for n in names) + "   (operations/s)")
    for op in results["gmalg"]:
        print(f"{op:<10}" + "".join(f"{results[n][op]:>12,.0f}" for n in names))


if __name__ == "__main__":
    main()
