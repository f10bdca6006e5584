"""Wire-endpoint throughput with the official Python SDK: Encrypt requests per second.

Run: ``python benchmarks/bench_server.py [seconds]``. The server runs in its own process
(as it would beside a notebook kernel), clients are separate processes, each an official
``KmsClient`` on a keep-alive connection. A null endpoint on the same stack (uvicorn,
httptools, uvloop, a fixed Encrypt-shaped answer) gives the client's own ceiling.
Targets: 8 clients >= 1,500 req/s; 1 client >= 80% of its null-endpoint rate.
"""

from __future__ import annotations

import base64
import multiprocessing as mp
import sys
import time

NULL_BODY = b'{"Response":{"CiphertextBlob":"AAAA-k-BBBB-k-CCCC","KeyId":"k","RequestId":"r"}}'


async def _null_app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": NULL_BODY})


def _server(kind: str, conn) -> None:
    import kmslab
    from kmslab.server import runner

    kms = kmslab.KMS()
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    if kind == "null":
        import uvicorn

        sock = runner._bind("127.0.0.1", 0)
        config = uvicorn.Config(
            _null_app,
            loop="uvloop",
            http=runner._protocol(),
            lifespan="off",
            log_level="error",
            access_log=False,
            server_header=False,
            date_header=False,
        )
        server = uvicorn.Server(config)
        conn.send((sock.getsockname()[1], kms.api_keys()[0], key_id))
        server.run(sockets=[sock])
    else:
        handle = kms.serve()
        conn.send((handle.port, kms.api_keys()[0], key_id))
        conn.recv()  # until told to stop
        handle.stop()


def _client(port, api_key, key_id, seconds, start_at, out) -> None:
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.kms.v20190118 import models
    from tencentcloud.kms.v20190118.kms_client import KmsClient

    http = HttpProfile(protocol="http", endpoint=f"127.0.0.1:{port}", keepAlive=True)
    client = KmsClient(
        credential.Credential(api_key.secret_id, api_key.secret_key),
        "ap-guangzhou",
        ClientProfile(httpProfile=http),
    )
    req = models.EncryptRequest()
    req.KeyId = key_id
    req.Plaintext = base64.b64encode(b"x" * 32).decode()
    client.Encrypt(req)  # connect and warm up
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    end = start_at + seconds
    while time.time() < end:
        client.Encrypt(req)
        n += 1
    out.put(n)


def measure(kind: str, clients: int, seconds: float) -> float:
    """Encrypt requests per second of ``clients`` SDK processes against ``kind``."""
    parent, child = mp.Pipe()
    server = mp.Process(target=_server, args=(kind, child), daemon=True)
    server.start()
    port, api_key, key_id = parent.recv()
    out: mp.Queue = mp.Queue()
    start_at = time.time() + 1.5
    procs = [
        mp.Process(target=_client, args=(port, api_key, key_id, seconds, start_at, out))
        for _ in range(clients)
    ]
    for p in procs:
        p.start()
    total = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    if kind == "null":
        server.terminate()
    else:
        parent.send("stop")
    server.join(5)
    return total / seconds


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    null1 = measure("null", 1, seconds)
    kms1 = measure("kmslab", 1, seconds)
    null8 = measure("null", 8, seconds)
    kms8 = measure("kmslab", 8, seconds)
    print(f"1 client,  null endpoint : {null1:8.0f} req/s")
    print(f"1 client,  kmslab Encrypt: {kms1:8.0f} req/s  ({kms1 / null1:.0%} of null; target 80%)")
    print(f"8 clients, null endpoint : {null8:8.0f} req/s")
    print(f"8 clients, kmslab Encrypt: {kms8:8.0f} req/s  (target 1,500)")


if __name__ == "__main__":
    main()
