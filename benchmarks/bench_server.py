"""Wire-endpoint throughput with the official Python SDK, and where the server's time goes.

Run: ``python benchmarks/bench_server.py [seconds] [--rounds N] [--clients 1|8|1,8]
[--paired]``.

* Throughput: the server runs in its own process (as it would beside a notebook kernel),
  clients are separate processes, each an official ``KmsClient`` on a keep-alive
  connection doing ``Encrypt`` of 32 bytes (TC3, POST). A null endpoint on the same stack
  (uvicorn, httptools, uvloop, a fixed Encrypt-shaped answer) gives the client's own
  ceiling. Null and kmslab runs alternate, ``--rounds`` times, and the median ratio is
  reported, so a machine whose load changes during the run still compares like with like.
  Targets: 1 client >= 85% of its null-endpoint rate; 8 clients >= 1,500 req/s.
  ``--paired`` also runs both servers at once for ``seconds * rounds`` with one client
  process switching between them every 25 requests (ABBA), which shares out a load that
  changes within seconds (a shared machine's) far more evenly than whole rounds do.
* Server time per request, in-process, by step (CPU time of the serving thread, best
  batch of 200): the ASGI wrapper, header decoding, the dialect's decode, authenticate and
  params steps, ``kms.call`` and the encoding of the answer, for the same request bytes the
  SDK sends.
"""

from __future__ import annotations

import base64
import json
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


def _sdk_encrypt(port, api_key, key_id):
    """A keep-alive official-SDK client for a local endpoint, and the Encrypt request that
    every benchmark client sends (32 bytes under ``key_id``)."""
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
    return client, req


def _client(port, api_key, key_id, seconds, start_at, out) -> None:
    client, req = _sdk_encrypt(port, api_key, key_id)
    client.Encrypt(req)  # connect and warm up
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    end = start_at + seconds
    while time.time() < end:
        client.Encrypt(req)
        n += 1
    out.put(n)


def _paired_client(targets, seconds, slice_size, out) -> None:
    """One process, one keep-alive ``KmsClient`` per target (null, kmslab): slices of
    ``slice_size`` Encrypts alternate between them in ABBA order for ``seconds``."""
    calls = []
    for port, api_key, key_id in targets:
        client, req = _sdk_encrypt(port, api_key, key_id)
        for _ in range(20):  # connect and warm up
            client.Encrypt(req)
        calls.append((client.Encrypt, req))
    spent = [0.0, 0.0]
    pairs = []  # (null seconds, kmslab seconds) of neighbouring slices
    end = time.perf_counter() + seconds
    order = (0, 1, 1, 0)
    while time.perf_counter() < end:
        slice_time = [0.0, 0.0]
        for which in order:
            call, req = calls[which]
            t0 = time.perf_counter()
            for _ in range(slice_size):
                call(req)
            slice_time[which] += time.perf_counter() - t0
        spent[0] += slice_time[0]
        spent[1] += slice_time[1]
        pairs.append((slice_time[0], slice_time[1]))
    n = 2 * slice_size * len(pairs)
    out.put((n / spent[0], n / spent[1], [a / b for a, b in pairs]))


def measure_paired(seconds: float, slice_size: int = 25) -> tuple[float, float, list[float]]:
    """One SDK client against the null endpoint and kmslab, both serving at once, in
    alternating slices: (null req/s, kmslab req/s, kmslab/null of each ABBA group).
    Load that changes during the run falls on both within a fraction of a second."""
    servers, targets, pipes = [], [], []
    for kind in ("null", "kmslab"):
        parent, child = mp.Pipe()
        server = mp.Process(target=_server, args=(kind, child), daemon=True)
        server.start()
        targets.append(parent.recv())
        servers.append(server)
        pipes.append(parent)
    out: mp.Queue = mp.Queue()
    client = mp.Process(target=_paired_client, args=(targets, seconds, slice_size, out))
    client.start()
    result = out.get()
    client.join()
    servers[0].terminate()
    pipes[1].send("stop")
    for server in servers:
        server.join(5)
    return result


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


def _sdk_request(key, host: str, body: bytes) -> list[tuple[bytes, bytes]]:
    """The headers the official Python SDK sends for a TC3 POST of ``body`` (Encrypt)."""
    import hashlib
    import hmac
    from datetime import datetime, timezone

    ts = int(time.time())
    date = datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")
    canonical = (
        f"POST\n/\n\ncontent-type:application/json\nhost:{host}\n\ncontent-type;host\n"
        + hashlib.sha256(body).hexdigest()
    )
    sts = f"TC3-HMAC-SHA256\n{ts}\n{date}/kms/tc3_request\n" + (
        hashlib.sha256(canonical.encode()).hexdigest()
    )
    k = hmac.digest(("TC3" + key.secret_key).encode(), date.encode(), "sha256")
    k = hmac.digest(hmac.digest(k, b"kms", "sha256"), b"tc3_request", "sha256")
    sig = hmac.digest(k, sts.encode(), "sha256").hex()
    headers = {
        "host": host,
        "user-agent": "python-requests/2.32.3",
        "accept-encoding": "gzip, deflate",
        "accept": "*/*",
        "connection": "keep-alive",
        "x-tc-action": "Encrypt",
        "x-tc-region": "ap-guangzhou",
        "x-tc-timestamp": str(ts),
        "x-tc-version": "2019-01-18",
        "x-tc-requestclient": "SDK_PYTHON_3.1.195",
        "x-tc-language": "zh-CN",
        "authorization": f"TC3-HMAC-SHA256 Credential={key.secret_id}/{date}/kms/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={sig}",
        "content-type": "application/json",
        "content-length": str(len(body)),
    }
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def _drive(app, headers, body: bytes) -> None:
    """One ASGI request through ``app`` without an event loop (nothing in it suspends)."""
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": headers}
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    coro = app(scope, receive, send)
    try:
        coro.send(None)
    except StopIteration:
        pass
    assert b"Error" not in sent[-1]["body"]


STEPS = ("asgi", "headers", "decode", "authenticate", "params", "kms.call", "encode")


def server_steps(batches: int = 60, size: int = 200) -> dict[str, float]:
    """Microseconds of serving-thread CPU time per SDK Encrypt request, by step (best
    batch); ``asgi`` is the ASGI wrapper around :meth:`WireApp.handle`."""
    import kmslab
    from kmslab.server.app import WireApp
    from kmslab.server.dialect import WireRequest

    try:  # the application's own header decoding (a checkout before it decodes inline)
        from kmslab.server.app import asgi_headers
    except ImportError:

        def asgi_headers(raw):
            return {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}

    kms = kmslab.KMS()
    app = WireApp(kms)
    dialect = app.dialect("/")
    key_id = kms.CreateKey(Alias="bench")["KeyId"]
    plaintext = base64.b64encode(b"x" * 32).decode()
    body = json.dumps({"KeyId": key_id, "Plaintext": plaintext}).encode()
    raw = _sdk_request(kms.api_keys()[0], "127.0.0.1:8080", body)
    clock = time.thread_time
    best = dict.fromkeys((*STEPS, "total"), float("inf"))
    for _ in range(batches):
        spent = dict.fromkeys(STEPS, 0.0)
        for _ in range(size):
            t0 = clock()
            hdrs = asgi_headers(raw)
            req = WireRequest("POST", "/", b"", hdrs, body)
            t1 = clock()
            dialect.decode(req)
            t2 = clock()
            dialect.authenticate(req, app)
            t3 = clock()
            params = dialect.params(req)
            t4 = clock()
            result = kms.call(
                req.action, params, uin=req.uin, region=req.region, language=req.language
            )
            t5 = clock()
            dialect.encode(req, result)
            t6 = clock()
            for step, (a, b) in zip(
                STEPS[1:],
                ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6)),
                strict=True,
            ):
                spent[step] += b - a
        t0 = clock()
        for _ in range(size):
            _drive(app, raw, body)
        whole = clock() - t0
        for step in STEPS[1:]:
            best[step] = min(best[step], spent[step] / size * 1e6)
        best["total"] = min(best["total"], whole / size * 1e6)
    best["asgi"] = max(0.0, best["total"] - sum(best[s] for s in STEPS[1:]))
    return best


def main() -> None:
    args = sys.argv[1:]
    rounds = 3
    clients = [1, 8]
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i : i + 2]
    if "--clients" in args:
        i = args.index("--clients")
        clients = [int(c) for c in args[i + 1].split(",")]
        del args[i : i + 2]
    paired = "--paired" in args
    if paired:
        args.remove("--paired")
    seconds = float(args[0]) if args else 5.0
    steps = server_steps()
    print("server CPU time per SDK Encrypt request (us, best batch of 200):")
    print("  " + "  ".join(f"{s} {steps[s]:.1f}" for s in (*STEPS, "total")))
    if 1 in clients:
        ratios = []
        for r in range(rounds):
            null1 = measure("null", 1, seconds)
            kms1 = measure("kmslab", 1, seconds)
            ratios.append(kms1 / null1)
            print(
                f"round {r + 1}: 1 client, null {null1:6.0f} req/s, kmslab Encrypt {kms1:6.0f}"
                f" req/s ({kms1 / null1:.0%} of null)",
                flush=True,
            )
        ratios.sort()
        median = ratios[len(ratios) // 2]
        print(
            f"1 client: median {median:.0%} of the null endpoint (target 85%),"
            f" rounds {ratios[0]:.0%}-{ratios[-1]:.0%}"
        )
        if paired:
            null1, kms1, groups = measure_paired(seconds * rounds)
            groups.sort()
            q = len(groups) // 4
            print(
                f"1 client, paired ({len(groups)} ABBA groups of 4 x 25 requests over"
                f" {seconds * rounds:.0f} s): null {null1:.0f} req/s, kmslab {kms1:.0f} req/s"
                f" ({kms1 / null1:.0%}); groups median {groups[len(groups) // 2]:.0%},"
                f" quartiles {groups[q]:.0%}-{groups[-1 - q]:.0%}"
            )
    if 8 in clients:
        null8 = measure("null", 8, seconds)
        kms8 = measure("kmslab", 8, seconds)
        print(f"8 clients, null endpoint : {null8:8.0f} req/s")
        print(f"8 clients, kmslab Encrypt: {kms8:8.0f} req/s  (target 1,500)")


if __name__ == "__main__":
    main()
