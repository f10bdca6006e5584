"""The legacy API 2.0 dialect against its peer, API 3.0 with the same HmacSHA1 signature,
in one run: server time per request of ``Encrypt`` (32 bytes), in process.

Run: ``python benchmarks/bench_legacy.py [rounds]``. Both dialects get freshly signed
request bytes (a new nonce each, signed before timing) and run through
``WireApp.handle``, the whole server path but the socket. Rounds alternate the two, and
the median ratio is reported. Target: API 2.0 costs at most 1.15x API 3.0 HmacSHA1 (the
same HMAC, a few more string operations, one more translation of names).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import statistics
import sys
import time
from urllib.parse import urlencode

BATCH = 300
HOST = "127.0.0.1:8080"


def _sign(secret: str, text: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()
    ).decode()


def _requests(key, key_id: str, dialect: str, start: int) -> list[bytes]:
    out = []
    for i in range(BATCH):
        if dialect == "v2":
            p = {
                "Action": "Encrypt",
                "keyId": key_id,
                "plaintext": base64.b64encode(b"x" * 32).decode(),
            }
            path = "/v2/index.php"
        else:
            p = {
                "Action": "Encrypt",
                "KeyId": key_id,
                "Plaintext": base64.b64encode(b"x" * 32).decode(),
                "Version": "2019-01-18",
                "Region": "ap-guangzhou",
            }
            path = "/"
        p.update(
            Nonce=str(start + i),
            Timestamp=str(int(time.time())),
            SecretId=key.secret_id,
            SignatureMethod="HmacSHA1",
        )
        text = f"POST{HOST}{path}?" + "&".join(f"{k}={p[k]}" for k in sorted(p))
        p["Signature"] = _sign(key.secret_key, text)
        out.append(urlencode(p).encode())
    return out


def _time(app, bodies: list[bytes], dialect: str) -> float:
    path = "/v2/index.php" if dialect == "v2" else "/"
    headers = [(b"host", HOST.encode()), (b"content-type", b"application/x-www-form-urlencoded")]
    t0 = time.process_time()
    for body in bodies:
        out = app.handle("POST", path, b"", headers, body)
    elapsed = time.process_time() - t0
    assert b"ciphertextBlob" in out or b"CiphertextBlob" in out, out
    return elapsed / len(bodies)


def main(rounds: int = 7) -> None:
    import kmslab
    from kmslab.server.app import WireApp

    kms = kmslab.KMS()
    key = kms.api_keys()[0]
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    app = WireApp(kms)
    ratios, v2s, v3s = [], [], []
    nonce = 1
    for _ in range(rounds):
        per = {}
        for dialect in ("v3", "v2"):
            bodies = _requests(key, key_id, dialect, nonce)
            nonce += BATCH
            per[dialect] = _time(app, bodies, dialect)
        v2s.append(per["v2"])
        v3s.append(per["v3"])
        ratios.append(per["v2"] / per["v3"])
    v2, v3, ratio = statistics.median(v2s), statistics.median(v3s), statistics.median(ratios)
    print(f"API 3.0 HmacSHA1 Encrypt: {v3 * 1e6:7.1f} us/request ({1 / v3:,.0f}/CPU-s)")
    print(f"API 2.0 HmacSHA1 Encrypt: {v2 * 1e6:7.1f} us/request ({1 / v2:,.0f}/CPU-s)")
    verdict = "meets" if ratio <= 1.15 else "misses"
    print(f"median ratio API 2.0 / API 3.0: {ratio:.3f} ({verdict} the 1.15 target)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
