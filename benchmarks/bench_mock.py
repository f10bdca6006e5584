"""``KmsClient.Encrypt`` through ``mock_kms`` against the same client over the loopback
endpoint, measured in one run. Target: the mock is at least 3x faster.

Run: ``python benchmarks/bench_mock.py [seconds]``. One official ``KmsClient``
(TC3-HMAC-SHA256, keep-alive), one 32-byte plaintext, calls in a loop for ``seconds``
each. The endpoint is measured twice: in a thread of this process (as the
``kms_endpoint`` fixture runs it) and in a process of its own (as ``kmslab serve`` in
CI runs it). Both use a real-clock service; the mock uses another, built the same way.
"""

from __future__ import annotations

import base64
import multiprocessing as mp
import sys
import time


def _client(endpoint: str | None, secret_id: str, secret_key: str):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.kms.v20190118.kms_client import KmsClient

    if endpoint is None:
        return KmsClient(credential.Credential(secret_id, secret_key), "ap-guangzhou")
    http = HttpProfile(protocol="http", endpoint=endpoint, keepAlive=True)
    profile = ClientProfile(httpProfile=http)
    return KmsClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile)


def _rate(client, key_id: str, seconds: float) -> float:
    from tencentcloud.kms.v20190118 import models

    req = models.EncryptRequest()
    req.KeyId = key_id
    req.Plaintext = base64.b64encode(b"x" * 32).decode()
    for _ in range(20):  # warm up (connection, caches)
        client.Encrypt(req)
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        client.Encrypt(req)
        n += 1
    return n / (time.perf_counter() - start)


def _serve(conn) -> None:
    import kmslab

    kms = kmslab.KMS()
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    handle = kms.serve()
    key = kms.api_keys()[0]
    conn.send((handle.endpoint, key.secret_id, key.secret_key, key_id))
    conn.recv()
    handle.stop()


def main(seconds: float = 3.0) -> dict[str, float]:
    """Calls per second of each way, and the mock's ratio to each endpoint."""
    import kmslab

    with kmslab.mock_kms() as mock:
        key_id = mock.kms.CreateKey(Alias="bench")["KeyId"]
        mocked = _rate(_client(None, mock.secret_id, mock.secret_key), key_id, seconds)

    kms = kmslab.KMS()
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    key = kms.api_keys()[0]
    with kms.serve() as handle:
        threaded = _rate(_client(handle.endpoint, key.secret_id, key.secret_key), key_id, seconds)

    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=_serve, args=(child,))
    proc.start()
    endpoint, sid, skey, key_id = parent.recv()
    separate = _rate(_client(endpoint, sid, skey), key_id, seconds)
    parent.send("stop")
    proc.join(10)

    out = {
        "mock_per_s": mocked,
        "endpoint_thread_per_s": threaded,
        "endpoint_process_per_s": separate,
        "ratio_vs_thread": mocked / threaded,
        "ratio_vs_process": mocked / separate,
    }
    print(f"KmsClient.Encrypt through mock_kms:           {mocked:8.0f} calls/s")
    print(f"KmsClient.Encrypt, endpoint in this process:  {threaded:8.0f} calls/s")
    print(f"KmsClient.Encrypt, endpoint in its process:   {separate:8.0f} calls/s")
    for name in ("thread", "process"):
        ratio = out[f"ratio_vs_{name}"]
        verdict = "meets" if ratio >= 3 else "MISSES"
        print(f"mock / endpoint ({name}): {ratio:.1f}x ({verdict} the 3x target)")
    return out


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
