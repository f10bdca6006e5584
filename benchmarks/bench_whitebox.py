"""Speed and size of the white-box library (issue 11), against ``cryptography`` as the peer.

Measures library generation (uncached), library size, white-box key encoding
(CreateWhiteBoxKey's cost), offline CBC decryption of 4 KB (batched through numpy),
offline CBC encryption of 4 KB (sequential), the service-side CBC encryption of
EncryptByWhiteBox, and the cost of the tracing hook, for AES-256 and SM4. The peer is
``cryptography``'s raw AES / SM4: key setup plus one block for encoding, CBC over 4 KB for
the offline calls. Then the service itself, in process through the Pythonic face:
CreateWhiteBoxKey and EncryptByWhiteBox per second, with CreateKey and Encrypt on the same
service as their peers (the 50-key quota is lifted for the measurement). Run::

    python benchmarks/bench_whitebox.py            # about half a minute
    python benchmarks/bench_whitebox.py --quick    # a smoke run

It is a plain script (speed is measured here, never asserted in tests).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import padding  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

from kmslab import KMS  # noqa: E402
from kmslab.whitebox import (  # noqa: E402
    Library,
    Trace,
    WhiteBoxCipher,
    build_library,
    decrypt,
    encrypt,
    encrypt_cbc,
)
from kmslab.whitebox.library import _build  # noqa: E402

CIPHERS = {"AES_256": (algorithms.AES, 32), "SM4": (algorithms.SM4, 16)}


def timed(run: Callable[[], object], n: int, repeat: int) -> tuple[float, float]:
    """(best, median) seconds per call over ``repeat`` chunks of ``n`` calls (wall clock)."""
    per_call = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(n):
            run()
        per_call.append((time.perf_counter() - start) / n)
    return min(per_call), statistics.median(per_call)


def cpu_timed(run: Callable[[], object], n: int, repeat: int) -> float:
    """Best CPU seconds per call of this process: the least sensitive to other load."""
    per_call = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(n):
            run()
        per_call.append((time.process_time() - start) / n)
    return min(per_call)


def row(what: str, best: float, median: float, unit: str, target: str, ok: bool, peer: str) -> None:
    """Print one result line."""
    mark = "ok" if ok else "MISS"
    print(f"{what:<34} {best:>10.4g} {median:>10.4g} {unit:<6} {target:<11} {mark:<4} {peer}")


def bench_algorithm(lib: Library, alg: str, repeat: int, quick: bool) -> None:
    """Key encoding, offline decrypt and encrypt of 4 KB, and the hook cost for ``alg``."""
    ctor, klen = CIPHERS[alg]
    key, kid, iv = os.urandom(klen), str(uuid.uuid4()), os.urandom(16)
    n_enc = 200 if quick else 1000
    best, med = timed(lambda: lib.encode_key(alg, key, kid), n_enc, repeat)
    peer, _ = timed(
        lambda: Cipher(ctor(key), modes.ECB()).encryptor().update(bytes(16)), n_enc, repeat
    )
    row(
        f"{alg} encode key",
        1 / best,
        1 / med,
        "/s",
        ">= 1,000/s",
        1 / best >= 1000,
        f"cryptography key setup + 1 block: {1 / peer:,.0f}/s",
    )

    plain = os.urandom(4096)
    best, med = timed(lambda: encrypt_cbc(alg, key, iv, plain), n_enc, repeat)
    row(
        f"{alg} service CBC encrypt 4 KB",
        1 / best,
        1 / med,
        "/s",
        ">= 5,000/s",
        1 / best >= 5000,
        "EncryptByWhiteBox's cipher work (cryptography)",
    )
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    ct = Cipher(ctor(key), modes.CBC(iv)).encryptor().update(padded)
    keys = lib.encode_key(alg, key, kid)
    iv_b, ct_b = base64.b64encode(iv).decode(), base64.b64encode(ct).decode()
    assert decrypt(lib.sdk, keys.decrypt_key, iv_b, ct_b) == plain
    best, med = timed(lambda: decrypt(lib.sdk, keys.decrypt_key, iv_b, ct_b), 5, repeat)
    peer, _ = timed(lambda: Cipher(ctor(key), modes.CBC(iv)).decryptor().update(ct), 200, repeat)
    cpu = cpu_timed(lambda: decrypt(lib.sdk, keys.decrypt_key, iv_b, ct_b), 5, repeat)
    row(
        f"{alg} offline decrypt 4 KB",
        best * 1e3,
        med * 1e3,
        "ms",
        "<= 20 ms",
        best <= 0.020,
        f"CPU {cpu * 1e3:.1f} ms; cryptography CBC: {peer * 1e6:.1f} us ({best / peer:,.0f}x)",
    )
    best, med = timed(lambda: encrypt(lib.sdk, keys.encrypt_key, iv_b, plain), 1, 2 if quick else 3)
    row(
        f"{alg} offline encrypt 4 KB",
        best * 1e3,
        med * 1e3,
        "ms",
        "(none)",
        True,
        "sequential CBC: one table pass per block",
    )

    cipher = WhiteBoxCipher(lib.sdk, keys.decrypt_key)
    off, _ = timed(lambda: cipher.run_blocks(ct), 5, repeat)
    on, _ = timed(lambda: cipher.run_blocks(ct, trace=Trace()), 5, repeat)
    row(
        f"{alg} 256 blocks, hooks off / on",
        off * 1e3,
        on * 1e3,
        "ms",
        "(none)",
        True,
        "columns: best without hooks, best with a trace",
    )


def bench_service(repeat: int, quick: bool) -> None:
    """CreateWhiteBoxKey and EncryptByWhiteBox through ``KMS``, against CreateKey and
    Encrypt of the same service (32-byte plaintexts, and 4 KB for EncryptByWhiteBox)."""
    n = 200 if quick else 1000
    kms = KMS(whitebox_key_limit=10**9, cmk_limit=10**9)
    kms.whitebox_sdk()  # the library is built once per service, before any measurement
    counter = iter(range(10**9))
    small = base64.b64encode(os.urandom(32)).decode()
    large = base64.b64encode(os.urandom(4096)).decode()
    cmk = kms.CreateKey(Alias="peer")["KeyId"]
    best, _ = timed(lambda: kms.CreateKey(Alias=f"c{next(counter)}"), n, repeat)
    create_peer = 1 / best
    best, _ = timed(lambda: kms.Encrypt(KeyId=cmk, Plaintext=small), n, repeat)
    encrypt_peer = 1 / best
    for alg in CIPHERS:
        best, med = timed(
            lambda a=alg: kms.CreateWhiteBoxKey(Alias=f"w{next(counter)}", Algorithm=a), n, repeat
        )
        row(
            f"CreateWhiteBoxKey {alg}",
            1 / best,
            1 / med,
            "/s",
            ">= 1,000/s",
            1 / best >= 1000,
            f"CreateKey on the same service: {create_peer:,.0f}/s",
        )
        key_id = kms.CreateWhiteBoxKey(Alias=f"e{next(counter)}", Algorithm=alg)["KeyId"]
        for label, text in (("32 B", small), ("4 KB", large)):
            best, med = timed(
                lambda k=key_id, t=text: kms.EncryptByWhiteBox(KeyId=k, PlainText=t), n, repeat
            )
            row(
                f"EncryptByWhiteBox {alg} {label}",
                1 / best,
                1 / med,
                "/s",
                ">= 5,000/s",
                1 / best >= 5000,
                f"Encrypt (CMK, 32 B) on the same service: {encrypt_peer:,.0f}/s",
            )
    kms.close()


def main(argv: list[str] | None = None) -> None:
    """Run the measurements and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7
    load = "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"kmslab white-box benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{load}; best and median over {repeat} chunks")
    print(f"{'what':<34} {'best':>10} {'median':>10} {'unit':<6} {'target':<11} ok   peer")
    seed = os.urandom(32)
    best, med = timed(lambda: _build.__wrapped__(seed), 1, 2 if args.quick else 3)
    row("library generation (uncached)", best, med, "s", "<= 3 s", best <= 3, "")
    lib = build_library(seed)
    size = lib.sdk.nbytes / 2**20
    row("library size", size, size, "MiB", "<= 32 MB", lib.sdk.nbytes <= 32 * 10**6, "")
    for alg in CIPHERS:
        bench_algorithm(lib, alg, repeat, args.quick)
    bench_service(repeat, args.quick)


if __name__ == "__main__":
    main()
