"""``kmslab serve``: run the wire endpoint in the foreground until interrupted.

It prints where to connect and the SecretId, a readiness line, and answers
``GET /healthz``. Credentials are the caller's (``--secret-id``/``--secret-key`` or
``KMSLAB_SECRET_ID``/``KMSLAB_SECRET_KEY``), or a generated pair written to a private file
(mode 0600) instead of printed, so the secret does not land in terminal scroll-back or logs.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kmslab.cli import DEFAULT_PORT, legacy_regions

__all__ = ["DEFAULT_PORT", "READY", "ServeOptions", "qps_mode", "serve_forever", "service_seed"]

_INTEGER = re.compile(r"-?[0-9]+")

READY = "kmslab ready:"
"""The start of the line ``kmslab serve`` prints once it accepts requests."""


def service_seed(text: str | None) -> int | str | None:
    """The ``--seed`` text as ``KMS(seed=...)`` takes it: ``--seed 1`` is ``seed=1``, the
    integer (a seeded service differs for ``1`` and ``"1"``); other text stays text."""
    if text is not None and _INTEGER.fullmatch(text):
        return int(text)
    return text


def qps_mode(text: str) -> str | float:
    """The ``--qps`` text as ``KMS(qps=...)`` takes it; ValueError for anything else."""
    if text in ("off", "documented"):
        return text
    try:
        factor = float(text)
    except ValueError:
        factor = 0.0
    if not factor > 0 or factor == float("inf"):
        raise ValueError(f"--qps is off, documented or a positive factor, not {text!r}")
    return factor


@dataclass(frozen=True)
class ServeOptions:
    """What ``kmslab serve`` was asked for, checked before anything starts."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    https: bool = False
    seed: str | None = None
    path: str | None = None
    secret_id: str | None = None
    secret_key: str | None = None
    region: str | None = None
    qps: str | float = "off"
    legacy_regions: dict[str, str] | None = None

    @classmethod
    def from_args(cls, args: Any, environ: dict[str, str] | None = None) -> ServeOptions:
        """Options from parsed arguments, the credentials falling back to the environment."""
        env = os.environ if environ is None else environ
        secret_id = args.secret_id if args.secret_id is not None else env.get("KMSLAB_SECRET_ID")
        secret_key = args.secret_key
        if secret_key is None:
            secret_key = env.get("KMSLAB_SECRET_KEY")
        if (secret_id is None) != (secret_key is None):
            raise ValueError(
                "give both --secret-id and --secret-key (or KMSLAB_SECRET_ID and "
                "KMSLAB_SECRET_KEY), or neither"
            )
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port must be 0 to 65535, not {args.port}")
        from kmslab.core.regions import DEFAULT_REGIONS

        if args.region is not None and args.region not in DEFAULT_REGIONS:
            raise ValueError(
                f"unknown --region {args.region!r}: one of {', '.join(sorted(DEFAULT_REGIONS))}"
            )
        return cls(
            host=args.host,
            port=args.port,
            https=args.https,
            seed=args.seed,
            path=args.path,
            secret_id=secret_id,
            secret_key=secret_key,
            region=args.region,
            qps=qps_mode(args.qps),
            legacy_regions=legacy_regions(getattr(args, "legacy_region", []) or []) or None,
        )


def _credentials(kms: Any, options: ServeOptions, state_dir: str) -> str:
    """The SecretId clients use, and where its pair is (a chosen pair is never written)."""
    if options.secret_id is not None and options.secret_key is not None:
        known = kms.lookup_secret_id(options.secret_id)
        if known is None:
            kms.add_api_key(options.secret_id, options.secret_key)
        elif known.secret_key != options.secret_key:
            raise ValueError(
                f"SecretId {options.secret_id!r} is stored in {options.path} with another key"
            )
        return f"SecretId: {options.secret_id}  (chosen by the caller)"
    key = kms.api_keys()[0]
    cred_file = Path(state_dir) / "credentials.json"
    fd = os.open(cred_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"SecretId": key.secret_id, "SecretKey": key.secret_key, "Uin": key.uin}, f)
    return f"SecretId: {key.secret_id}  (key pair in {cred_file})"


def serve_forever(options: ServeOptions) -> int:
    """Serve a new (or persisted, with ``path``) service until SIGINT/SIGTERM.

    A seeded service runs on a virtual clock; the endpoint then checks request
    timestamps against the wall clock (its default), so SDKs signing with now work.
    """
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # first: a stop may come after any line
        signal.signal(sig, lambda *_: done.set())
    import kmslab

    kms = kmslab.KMS(
        seed=service_seed(options.seed),
        path=options.path,
        region=options.region,
        qps=options.qps,
    )
    state = Path(options.path).parent if options.path else None
    try:
        handle = kms.serve(
            host=options.host,
            port=options.port,
            https=options.https,
            state_dir=(state / "kmslab-endpoint") if state else None,
            health=True,
            legacy_regions=options.legacy_regions,
        )
    except ValueError as exc:  # a legacy region mapped to no region of the service
        kms.close()
        print(f"kmslab serve: {exc}", file=sys.stderr, flush=True)
        return 2
    except (OSError, RuntimeError) as exc:
        kms.close()
        print(f"kmslab serve: cannot listen on {options.host}:{options.port}: {exc}", flush=True)
        return 1
    try:
        who = _credentials(kms, options, handle.state_dir)
    except ValueError as exc:
        handle.stop()
        kms.close()
        print(f"kmslab serve: {exc}", flush=True)
        return 2
    print(f"kmslab endpoint: {handle.url}  (SDK endpoint {handle.endpoint!r})", flush=True)
    print(who, flush=True)
    if handle.cert_path:
        print(f"CA certificate: {handle.cert_path}", flush=True)
    print(f"Region: {kms.default_region}; QPS limits: {options.qps}; Ctrl-C to stop", flush=True)
    print(f"Legacy API 2.0: {handle.legacy_url}", flush=True)
    print(f"{READY} {handle.url} (health: {handle.url}healthz)", flush=True)
    while not done.wait(0.5) and handle.running:
        pass
    handle.stop()
    kms.close()
    return 0
