"""Run the wire endpoint in a background thread, and hand out clients pointed at it.

A notebook must be able to start the endpoint, use it and stop it without blocking its
kernel, so uvicorn (httptools parser, uvloop loop when installed) runs on its own event
loop in a daemon thread, on a socket we bind first (the port is known before it
starts, port 0 picks a free one). The handle knows how to build an official
``KmsClient`` and a ``tccli`` environment that trust its certificate.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from kmslab.server import auth, tls
from kmslab.server.app import API_VERSION, WireApp

__all__ = ["ServerHandle", "sdk_client", "start"]

_RUNNING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_TCCLI_HOOK = '''"""kmslab: make tccli (which pins certifi's bundle) trust the local kmslab CA."""
import os

_bundle = os.environ.get("KMSLAB_CA_BUNDLE")
if _bundle:
    try:
        import certifi

        certifi.where = lambda: _bundle
    except ImportError:
        pass
'''


class ServerHandle:
    """A running endpoint: ``url``, ``host``, ``port``, ``cert_path`` (the CA certificate
    clients must trust, HTTPS only) and ``stop()``. Also a context manager."""

    def __init__(self, kms, server, thread, host, port, https, state_dir, own_dir) -> None:
        self.kms = kms
        self.host = host
        self.port = port
        self.https = https
        self.scheme = "https" if https else "http"
        self.cert_path: str | None = str(Path(state_dir) / "kmslab-ca.pem") if https else None
        self.state_dir = str(state_dir)
        self._server = server
        self._thread = thread
        self._own_dir = own_dir

    @property
    def endpoint(self) -> str:
        """``host:port`` as the SDKs take it (no scheme)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL, for example ``https://127.0.0.1:8443/``."""
        return f"{self.scheme}://{self.endpoint}/"

    @property
    def legacy_url(self) -> str:
        """The legacy API 2.0 URL, for example ``https://127.0.0.1:8443/v2/index.php``."""
        return f"{self.scheme}://{self.endpoint}/v2/index.php"

    @property
    def running(self) -> bool:
        """Whether the server thread is still serving."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(timeout)
        if _RUNNING.get(self.kms) is self:
            del _RUNNING[self.kms]
        if self._own_dir and not self._thread.is_alive():
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        cert = f", cert {self.cert_path}" if self.cert_path else ""
        return f"<kmslab endpoint {self.url} ({state}){cert}>"

    # -- clients --------------------------------------------------------------------

    def sdk_client(
        self,
        region: str | None = None,
        *,
        uin: int | None = None,
        api_key=None,
        sign_method: str = "TC3-HMAC-SHA256",
        method: str = "POST",
        language: str = "en-US",
        timeout: int = 60,
    ):
        """An official ``tencentcloud`` ``KmsClient`` pointed at this endpoint.

        Credentials are ``api_key`` (an :class:`~kmslab.ApiKey`, e.g. a temporary one) or
        the first API key of account ``uin`` (default account).
        """
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.kms.v20190118.kms_client import KmsClient

        key = api_key or self.kms.api_keys(uin)[0]
        http = HttpProfile(
            protocol=self.scheme,
            endpoint=self.endpoint,
            reqMethod=method,
            reqTimeout=timeout,
            keepAlive=True,
            certification=self.cert_path if self.https else None,
        )
        profile = ClientProfile(signMethod=sign_method, httpProfile=http, language=language)
        cred = credential.Credential(key.secret_id, key.secret_key, key.token or None)
        return KmsClient(cred, region or self.kms.default_region, profile)

    def tccli_environment(self, region: str | None = None, *, uin: int | None = None) -> dict:
        """Environment variables (to add to ``os.environ``) under which ``tccli kms ...``
        reaches this HTTPS endpoint with valid credentials.

        ``tccli`` always speaks HTTPS and verifies against certifi's bundle, ignoring
        ``REQUESTS_CA_BUNDLE``; so this writes a ``sitecustomize`` hook (in the endpoint's
        state folder, put first on ``PYTHONPATH``) that points certifi at certifi's roots
        plus the kmslab CA (``KMSLAB_CA_BUNDLE``). The credentials go in
        ``TENCENTCLOUD_SECRET_ID``/``_KEY`` and the region in ``TENCENTCLOUD_REGION``.
        It writes no tccli profile: the endpoint comes from :meth:`write_tccli_profile`
        (under a scratch ``HOME``) or from ``tccli ... --endpoint``.
        """
        if not self.https:
            raise ValueError("tccli only speaks HTTPS: start the endpoint with https=True")
        key = self.kms.api_keys(uin)[0]
        hook = Path(self.state_dir) / "tccli-hook"
        hook.mkdir(exist_ok=True)
        (hook / "sitecustomize.py").write_text(_TCCLI_HOOK)
        assert self.cert_path is not None  # an HTTPS endpoint has its certificate
        bundle = tls.trust_bundle(self.cert_path, self.state_dir)
        env = {
            "KMSLAB_CA_BUNDLE": str(bundle),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p
            ),
            "TENCENTCLOUD_SECRET_ID": key.secret_id,
            "TENCENTCLOUD_SECRET_KEY": key.secret_key,
            "TENCENTCLOUD_REGION": region or self.kms.default_region,
        }
        return env

    def write_tccli_profile(self, home: str | os.PathLike, region: str | None = None) -> str:
        """Write a tccli ``default`` profile under ``home/.tccli`` pointing ``kms`` at this
        endpoint (tccli needs a profile for its endpoint and region); returns its path."""
        folder = Path(home) / ".tccli"
        folder.mkdir(parents=True, exist_ok=True)
        conf = {
            "_sys_param": {"region": region or self.kms.default_region, "output": "json"},
            "kms": {"endpoint": self.endpoint, "version": API_VERSION},
        }
        path = folder / "default.configure"
        path.write_text(json.dumps(conf, indent=2))
        return str(path)


def _protocol() -> type:
    """httptools when installed (fast), else h11; both answering parse errors with 200."""
    from kmslab.server import protocol

    if importlib.util.find_spec("httptools"):
        return protocol.WireHttpToolsProtocol
    return protocol.WireH11Protocol


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio sets
    # TCP_NODELAY only on sockets whose proto says TCP: without it, Nagle stalls replies
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def start(
    kms,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    https: bool = False,
    state_dir: str | os.PathLike | None = None,
    wall_clock: bool | None = None,
    log_level: str = "error",
    legacy_regions: dict[str, str] | None = None,
    health: bool = False,
) -> ServerHandle:
    """Serve ``kms`` on ``host:port`` (0: a free port) in a background thread.

    ``https`` generates a CA and a server certificate in ``state_dir`` (a temporary
    folder, removed on ``stop()``, if not given). ``wall_clock`` says which clock
    request timestamps are checked against: ``None`` (default) the wall clock when the
    service clock is virtual (a deterministic service starts at 2026-01-01 while SDKs
    sign with now) and the service clock otherwise; ``True`` always the wall clock;
    ``False`` always the service clock (advancing a virtual clock then expires requests,
    as a skewed client clock would). ``health`` also answers ``GET /healthz`` without
    credentials (:mod:`kmslab.server.health`; ``kmslab serve`` turns it on).

    The legacy API 2.0 is served at ``/v2/index.php`` on the same port.
    ``legacy_regions`` maps its regions (named by the Host, ``kms-gz.api.qcloud.com``) to
    this service's: by default ``gz``, ``sh`` and ``bj`` are ``ap-guangzhou``,
    ``ap-shanghai`` and ``ap-beijing``; a Host naming no legacy region (loopback) is the
    service's default region (``docs/legacy-api.md``).
    """
    import uvicorn

    if wall_clock is None:
        now = None  # WireApp's default: the wall clock exactly when the service's is virtual
    else:
        now = auth.wall_clock if wall_clock else kms.clock.now
    app: Any = WireApp(kms, now=now, legacy=legacy_regions)  # a bad mapping fails first
    own_dir = state_dir is None
    folder = Path(tempfile.mkdtemp(prefix="kmslab-endpoint-") if state_dir is None else state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    ssl_args: dict[str, Any] = {}
    if https:
        files = tls.make_certificate(folder)
        ssl_args = {"ssl_certfile": str(files.cert), "ssl_keyfile": str(files.key)}
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    if health:
        from kmslab.server.health import HealthApp

        app = HealthApp(app, kms)
    config = uvicorn.Config(
        app,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http=_protocol(),
        ws="none",  # the API is plain HTTP: an Upgrade request is answered as any other
        proxy_headers=False,
        lifespan="off",
        log_level=log_level,
        access_log=False,
        server_header=False,
        date_header=False,
        timeout_keep_alive=60,
        timeout_graceful_shutdown=2,
        **ssl_args,
    )
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(), never swallowed silently
            failure.append(exc)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name=f"kmslab-endpoint-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    if not server.started:
        server.should_exit = True
        thread.join(2)
        raise RuntimeError(f"the kmslab endpoint did not start: {failure or 'timeout'}")
    handle = ServerHandle(kms, server, thread, host, bound_port, https, folder, own_dir)
    _RUNNING[kms] = handle
    return handle


def running(kms) -> ServerHandle | None:
    """The endpoint most recently started over ``kms`` that is still running, if any."""
    handle = _RUNNING.get(kms)
    return handle if handle is not None and handle.running else None


def sdk_client(kms, region: str | None = None, **kwargs):
    """An official ``KmsClient`` for ``kms``: on its running endpoint, or a new HTTP one."""
    handle = running(kms) or start(kms)
    return handle.sdk_client(region, **kwargs)
