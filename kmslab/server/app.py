"""The HTTP side of the wire endpoint over one ``KMS``: read, route, call, answer.

:class:`WireApp` is a framework-free ASGI application. Its :meth:`WireApp.handle`
turns one raw HTTP request into the bytes of its answer and never raises, so that every
answer is HTTP 200 with ``Content-Type: application/json`` exactly (the official Python
SDK sees ``Response.Error`` only then). The request's path picks a dialect
(:mod:`kmslab.server.dialect`; API 2.0 at ``/v2/index.php``, else 3.0), which decodes,
authenticates and encodes; all service work goes through ``kms.call``, the same path as
the Pythonic face.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from kmslab.actions.errors import KMSError
from kmslab.server import auth
from kmslab.server.api2 import PATH as API2_PATH
from kmslab.server.api2 import Api2Dialect, legacy_regions
from kmslab.server.api3 import (
    API_VERSION,
    COMMON_PARAMS,
    GET_LIMIT,
    POST_LIMIT_HMAC,
    POST_LIMIT_TC3,
    Api3Dialect,
)
from kmslab.server.dialect import Dialect, WireRequest

__all__ = [
    "API_VERSION",
    "BODY_LIMIT",
    "COMMON_PARAMS",
    "GET_LIMIT",
    "POST_LIMIT_HMAC",
    "POST_LIMIT_TC3",
    "WireApp",
    "asgi_headers",
    "nonce_cache",
]

BODY_LIMIT = POST_LIMIT_TC3
"""The most body bytes the endpoint ever holds for one request: beyond it the rest is
read and dropped, and the request is refused with ``RequestSizeLimitExceeded``."""
KEY_CACHE_SECONDS = 10.0
_CONTENT_TYPE = (b"content-type", b"application/json")
_NAMES = {
    name.encode(): name
    for name in (
        "host",
        "user-agent",
        "accept-encoding",
        "accept",
        "connection",
        "content-type",
        "content-length",
        "authorization",
        "x-tc-action",
        "x-tc-region",
        "x-tc-timestamp",
        "x-tc-version",
        "x-tc-language",
        "x-tc-requestclient",
        "x-tc-token",
        "x-tc-content-sha256",
    )
}
"""Header names the SDKs send, decoded once: a fixed table that requests never grow."""


def asgi_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers of an ASGI scope as text; ASGI servers send the names lower-cased
    (uvicorn does), and the names every SDK sends come from :data:`_NAMES`."""
    names = _NAMES
    return {names.get(k) or k.decode("latin-1"): v.decode("latin-1") for k, v in raw}


_NONCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def nonce_cache(kms) -> auth.NonceCache:
    """The replay cache of one service, shared by all its endpoints (HTTP and HTTPS)."""
    cache = _NONCES.get(kms)
    if cache is None:
        cache = _NONCES[kms] = auth.NonceCache()
    return cache


class WireApp:
    """The ASGI application of the wire endpoint over ``kms``.

    ``now`` is the clock signature windows are checked against. By default it is the
    service clock when that is real time, and the wall clock when the service clock is
    virtual (a seeded service starts at 2026-01-01, while every SDK signs with real time).
    Temporary credentials always expire in service time. ``legacy`` maps legacy API 2.0
    regions (``gz``...) to kmslab regions (:func:`kmslab.server.api2.legacy_regions`).
    """

    def __init__(
        self,
        kms,
        now: Callable[[], float] | None = None,
        legacy: dict[str, str] | None = None,
    ) -> None:
        self.kms = kms
        if now is None:
            now = auth.wall_clock if getattr(kms.clock, "virtual", False) else kms.clock.now
        self.now = now
        self.service_now = kms.clock.now
        self.nonces = nonce_cache(kms)
        self._keys: dict[str, tuple[float, Any]] = {}
        self._api3 = Api3Dialect()
        self.dialects: dict[str, Dialect] = {
            API2_PATH: Api2Dialect(legacy_regions(kms, legacy), kms.default_region)
        }
        """Dialects by exact request path (API 2.0 at ``/v2/index.php``); any other path is
        API 3.0 (an endpoint may carry a path, which API 3.0 signatures tolerate)."""

    def dialect(self, path: str) -> Dialect:
        """The dialect serving ``path``."""
        return self.dialects.get(path, self._api3)

    def lookup(self, secret_id: str):
        """``kms.lookup_secret_id`` cached for a few seconds: unwrapping the SecretKey on
        every request would cost more than verifying the signature."""
        now = time.monotonic()
        hit = self._keys.get(secret_id)
        if hit is not None and now - hit[0] < KEY_CACHE_SECONDS:
            return hit[1]
        with self.kms.lock:
            key = self.kms.lookup_secret_id(secret_id)
        if key is not None:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[secret_id] = (now, key)
        return key

    # -- ASGI -----------------------------------------------------------------------

    async def __call__(self, scope, receive, send) -> None:
        """ASGI entry: read the body (at most :data:`BODY_LIMIT` bytes held), answer in
        one body message. Only HTTP is served (the server runs with WebSockets off)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        message = await receive()
        if message["type"] != "http.request":
            return  # the client went away
        body = message.get("body", b"")
        too_big = len(body) > BODY_LIMIT
        if message.get("more_body", False):
            rest = await self._rest(receive, body, too_big)
            if rest is None:
                return
            body, too_big = rest
        elif too_big:
            body = b""
        payload = self._handle(
            scope["method"],
            scope.get("path", "/"),
            scope.get("query_string", b""),
            asgi_headers(scope["headers"]),
            body,
            too_big,
        )
        del body
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [_CONTENT_TYPE, (b"content-length", b"%d" % len(payload))],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    @staticmethod
    async def _rest(receive, first: bytes, too_big: bool) -> tuple[bytes, bool] | None:
        """The whole body of a request sent in several messages after ``first``, or
        ``b""`` once it exceeds :data:`BODY_LIMIT` (the rest is read and dropped); None
        if the client went away."""
        chunks: list[bytes] = [] if too_big else [first]
        size = len(first)
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            if not too_big:
                size += len(chunk)
                too_big = size > BODY_LIMIT
                if too_big:
                    chunks.clear()
                else:
                    chunks.append(chunk)
            more = message.get("more_body", False)
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        chunks.clear()
        return body, too_big

    # -- the protocol ---------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        *,
        too_big: bool = False,
    ) -> bytes:
        """The answer (bytes) to one raw request, in its dialect. Never raises."""
        hdrs = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
        return self._handle(method, path, query, hdrs, body, too_big)

    def _handle(self, method, path, query, hdrs: dict[str, str], body, too_big) -> bytes:
        wall = time.perf_counter()
        req = WireRequest(method, path, query, hdrs, body, too_big)
        dialect = self.dialect(path)
        try:
            dialect.decode(req)
            dialect.authenticate(req, self)
            params = dialect.params(req)
            result = self.kms.call(
                req.action, params, uin=req.uin, region=req.region, language=req.language
            )
            return dialect.encode(req, result)
        except KMSError as exc:
            error = exc
        except Exception as exc:  # a kmslab bug: still answer as the service would
            error = KMSError(
                "InternalError",
                f"{type(exc).__name__} in the wire endpoint",
                detail_zh=f"接入层发生 {type(exc).__name__}",
            )
        return self._error_body(dialect, req, error, wall)

    def error_envelope(self, error: KMSError, path: str = "/") -> bytes:
        """The envelope of an error found below the application (by the HTTP parser), in
        the dialect of ``path`` when the parser got that far."""
        req = WireRequest("", path, b"", {}, b"")
        return self._error_body(self.dialect(path), req, error, time.perf_counter())

    def _error_body(self, dialect: Dialect, req: WireRequest, error: KMSError, wall) -> bytes:
        if not error.request_id:  # refused before reaching kms.call: record it too
            with self.kms.lock:
                error.request_id = self.kms.random.uuid4()
                self.kms.log.add(
                    req.action or "?",
                    req.uin,
                    req.region,
                    "",
                    self.kms.clock.now(),
                    wall,
                    time.perf_counter() - wall,
                    error.code,
                )
        req.body = b""  # drop the reference early: a refused body can be 10 MB
        return dialect.encode_error(req, error)
