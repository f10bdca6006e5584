"""``kmslab serve``: run the wire endpoint in the foreground until interrupted.

It prints where to connect and the SecretId, and writes the key pair to a private file
(mode 0600) instead of printing the SecretKey, so the secret does not land in terminal
scroll-back or logs.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from pathlib import Path

_INTEGER = re.compile(r"-?[0-9]+")


def service_seed(text: str | None) -> int | str | None:
    """The ``--seed`` text as ``KMS(seed=...)`` takes it: ``--seed 1`` is ``seed=1``, the
    integer (a seeded service differs for ``1`` and ``"1"``); other text stays text."""
    if text is not None and _INTEGER.fullmatch(text):
        return int(text)
    return text


def serve_forever(
    host: str,
    port: int,
    https: bool,
    seed: str | None,
    path: str | None,
    legacy_regions: dict[str, str] | None = None,
) -> int:
    """Serve a new (or persisted, with ``path``) service until SIGINT/SIGTERM; the legacy
    API 2.0 is at ``/v2/index.php``, its regions mapped by ``legacy_regions``.

    A seeded service runs on a virtual clock; the endpoint then checks request
    timestamps against the wall clock (its default), so SDKs signing with now work.
    """
    import kmslab

    done = threading.Event()  # set by SIGINT/SIGTERM, from the first printed line on
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    kms = kmslab.KMS(seed=service_seed(seed), path=path)
    state = Path(path).parent if path else None
    try:
        handle = kms.serve(
            host=host,
            port=port,
            https=https,
            state_dir=(state / "kmslab-endpoint") if state else None,
            legacy_regions=legacy_regions,
        )
    except ValueError as exc:  # a legacy region mapped to no region of the service
        print(f"kmslab serve: {exc}", file=sys.stderr, flush=True)
        kms.close()
        return 2
    key = kms.api_keys()[0]
    cred_file = Path(handle.state_dir) / "credentials.json"
    fd = os.open(cred_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"SecretId": key.secret_id, "SecretKey": key.secret_key, "Uin": key.uin}, f)
    print(f"kmslab endpoint: {handle.url}  (SDK endpoint {handle.endpoint!r})", flush=True)
    if handle.cert_path:
        print(f"CA certificate: {handle.cert_path}", flush=True)
    print(f"SecretId: {key.secret_id}  (key pair in {cred_file})", flush=True)
    print(f"Region: {kms.default_region}; Ctrl-C to stop", flush=True)
    print(f"Legacy API 2.0: {handle.legacy_url}", flush=True)
    while not done.wait(0.5) and handle.running:
        pass
    handle.stop()
    kms.close()
    return 0
