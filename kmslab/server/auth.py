"""Signature verification of API 3.0 requests: TC3-HMAC-SHA256, HmacSHA1 and HmacSHA256.

The wire endpoint must refuse exactly what Tencent Cloud refuses, with the documented
``AuthFailure.*`` codes, so code tested against kmslab behaves the same in production:
a 300-second window on the service clock, nonce replay protection for the HmacSHA*
methods, temporary credentials (token and expiry) and constant-time comparison.
The string-building functions are public so the documentation's worked examples can be
checked against them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, NamedTuple

from kmslab.actions.errors import KMSError

__all__ = [
    "HMAC_METHODS",
    "UNSIGNED_PAYLOAD",
    "WINDOW",
    "Identity",
    "NonceCache",
    "hmac_string_to_sign",
    "hmac_signature",
    "parse_authorization",
    "scope_services",
    "signature_failure",
    "tc3_canonical_request",
    "tc3_signature",
    "tc3_string_to_sign",
    "utc_date",
    "verify_hmac",
    "verify_tc3",
    "wall_clock",
]

WINDOW = 300
"""Seconds a request timestamp may differ from the service clock (documented: 5 minutes)."""

SERVICE = "kms"
TC3 = "TC3-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
"""``X-TC-Content-SHA256`` value saying the TC3 signature does not cover the body."""
HMAC_METHODS = {"HmacSHA1": hashlib.sha1, "HmacSHA256": hashlib.sha256}
"""The documented ``SignatureMethod`` values and their hashes; any other is refused."""

Lookup = Callable[[str], object]  # secret_id -> ApiKey (secret_key, token, expires, uin) or None


class Identity(NamedTuple):  # a tuple: built on every request, cheaply
    """Who signed a verified request: the account (owner of the SecretId) and the SecretId."""

    uin: int
    secret_id: str
    method: str


_identity = functools.partial(tuple.__new__, Identity)  # Identity(*t) without its Python __new__


def _fail(code: str, detail: str, zh: str) -> KMSError:
    return KMSError(code, detail, detail_zh=zh)


# -- TC3-HMAC-SHA256 ------------------------------------------------------------------


def tc3_canonical_request(
    method: str, uri: str, query: str, headers: list[tuple[str, str]], payload_hash: str
) -> str:
    """The documented CanonicalRequest; ``headers`` are the signed (name, value) pairs."""
    if len(headers) == 2:  # content-type and host, as every SDK signs: one format
        (k1, v1), (k2, v2) = headers
        return f"{method}\n{uri}\n{query}\n{k1}:{v1}\n{k2}:{v2}\n\n{k1};{k2}\n{payload_hash}"
    canonical = "".join(f"{k}:{v}\n" for k, v in headers)
    signed = ";".join(k for k, _ in headers)
    return f"{method}\n{uri}\n{query}\n{canonical}\n{signed}\n{payload_hash}"


def tc3_string_to_sign(timestamp: str, date: str, service: str, canonical_request: str) -> str:
    """The documented StringToSign over the hash of the canonical request."""
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{TC3}\n{timestamp}\n{date}/{service}/tc3_request\n{digest}"


@functools.lru_cache(maxsize=256)  # one derivation per key and day, not per request
def _tc3_key(secret_key: str, date: str, service: str) -> bytes:
    k = hmac.new(("TC3" + secret_key).encode("utf-8"), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, service.encode(), hashlib.sha256).digest()
    return hmac.new(k, b"tc3_request", hashlib.sha256).digest()


@functools.lru_cache(maxsize=256)
def _tc3_mac(secret_key: str, date: str, service: str):
    """An HMAC-SHA256 keyed with the signing key, copied per request (cheaper than keying)."""
    return hmac.new(_tc3_key(secret_key, date, service), digestmod=hashlib.sha256)


def tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    """Hex HMAC-SHA256 of ``string_to_sign`` under the derived TC3 signing key."""
    key = _tc3_key(secret_key, date, service)
    return hmac.digest(key, string_to_sign.encode("utf-8"), "sha256").hex()


# What every SDK sends, parsed in one match; anything else takes the general path below.
_AUTHORIZATION = re.compile(
    r"TC3-HMAC-SHA256 Credential=([^/,\s]+)/([^/,\s]+)/([^/,\s]+)/tc3_request, ?"
    r"SignedHeaders=(content-type;host), ?Signature=([0-9a-f]{64})"
)
_CONTENT_TYPE_HOST = ("content-type", "host")


def parse_authorization(value: str) -> tuple[str, str, str, list[str], str]:
    """``(secret_id, date, service, signed_headers, signature)`` of a TC3 Authorization
    header, or ``AuthFailure.InvalidAuthorization`` if it is not well formed."""
    m = _AUTHORIZATION.fullmatch(value)
    if m is not None:
        return m[1], m[2], m[3], list(_CONTENT_TYPE_HOST), m[5]
    algorithm, _, rest = value.strip().partition(" ")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        k, eq, v = part.strip().partition("=")
        if eq:
            fields[k.strip()] = v.strip()
    credential = fields.get("Credential", "").split("/")
    signed = fields.get("SignedHeaders", "")
    signature = fields.get("Signature", "")
    if (
        algorithm != TC3
        or len(credential) != 4
        or credential[3] != "tc3_request"
        or not all(credential[:3])
        or not signed
        or not signature
    ):
        raise _fail(
            "AuthFailure.InvalidAuthorization",
            "expected 'TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/kms/tc3_request, "
            "SignedHeaders=content-type;host, Signature=<hex>'",
            "Authorization 头格式应为 TC3-HMAC-SHA256 "
            "Credential=<SecretId>/<日期>/kms/tc3_request, "
            "SignedHeaders=content-type;host, Signature=<十六进制签名>",
        )
    headers = [h.strip().lower() for h in signed.split(";")]
    if "content-type" not in headers or "host" not in headers or headers != sorted(headers):
        raise _fail(
            "AuthFailure.InvalidAuthorization",
            "SignedHeaders must list content-type and host, sorted",
            "SignedHeaders 必须按字母顺序包含 content-type 和 host",
        )
    return credential[0], credential[1], credential[2], headers, signature


def _timestamp(text: str | None, name: str) -> int:
    if text is None or text == "":
        raise _fail("MissingParameter", f"{name} is missing", f"缺少 {name}")
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise _fail("InvalidParameter", f"{name} must be Unix seconds", f"{name} 应为 Unix 秒数")
    return int(text)


@functools.lru_cache(maxsize=64)
def _utc_day(day: int) -> str:
    return datetime.fromtimestamp(day * 86400, timezone.utc).strftime("%Y-%m-%d")


def utc_date(ts: int) -> str:
    """``YYYY-MM-DD`` of Unix time ``ts`` in UTC, as TC3 credential scopes name it."""
    return _utc_day(ts // 86400)


def _check_window(ts: int, now: float) -> None:
    if abs(now - ts) > WINDOW:
        raise _fail(
            "AuthFailure.SignatureExpire",
            f"timestamp {ts} is {int(ts - now):+d} s from the service clock ({int(now)})",
            f"时间戳 {ts} 与服务器时间 {int(now)} 相差 {int(ts - now):+d} 秒",
        )


def _no_such_key(secret_id: str) -> KMSError:
    return _fail(
        "AuthFailure.SecretIdNotFound",
        f"no API key {secret_id!r} in this kmslab",
        f"kmslab 中没有 SecretId {secret_id!r}",
    )


def _credential(lookup: Lookup, secret_id: str):
    key = lookup(secret_id) if secret_id else None
    if key is None:
        raise _no_such_key(secret_id)
    return key


def _check_token(key, token: str | None, now: float) -> None:
    """A temporary key needs its own token, unexpired; a permanent key takes no token."""
    expected = getattr(key, "token", "") or ""
    token = token or ""
    if not expected:
        if token:
            raise _fail(
                "AuthFailure.TokenFailure",
                "a token was sent with a permanent key",
                "永久密钥不应携带 Token",
            )
        return
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise _fail(
            "AuthFailure.TokenFailure",
            "the token does not belong to this temporary key",
            "Token 与临时密钥不匹配",
        )
    if now >= key.expires:
        raise _fail(
            "AuthFailure.TokenFailure",
            f"the temporary key expired at {key.expires}",
            f"临时密钥已于 {key.expires} 过期",
        )


def signature_failure(
    detail: str = "the signature does not match the request", zh: str = "签名与请求不匹配"
) -> KMSError:
    """``AuthFailure.SignatureFailure`` with a reason in both languages."""
    return _fail("AuthFailure.SignatureFailure", detail, zh)


MAX_LABEL = 128
"""Longest Host label taken as a scope service (a DNS label has at most 63 characters,
``[IPv6]:port`` about 50): the signing-key cache is keyed by it, before verification."""


def scope_services(host: str) -> tuple[str, ...]:
    """The service names a TC3 credential scope may carry for a request to ``host``.

    ``kms``, as the Python and Go SDKs send it, or the first dot-label of the Host, as
    the Node.js, Java, PHP and .NET SDKs derive it from the endpoint (``127`` for
    ``127.0.0.1:8080``, ``localhost:8080`` for ``localhost:8080``).
    """
    label = host.split(".", 1)[0]
    if not label or label == SERVICE or len(label) > MAX_LABEL:
        return (SERVICE,)
    return (SERVICE, label)


_PORT = re.compile(r":[0-9]+\Z")


def _header_variants(signed: tuple[str, ...] | list[str], headers: Mapping[str, str]):
    """The signed headers as the SDKs canonicalise them, most common first: the values
    as sent; lower-cased (as the documentation describes); and the Host without its
    port (the Node.js SDK signs ``URL.hostname`` but sends ``URL.host``)."""
    raw = [(h, headers[h].strip()) for h in signed]
    yield raw
    lower = [(h, v.lower()) for h, v in raw]
    if lower != raw:
        yield lower
    host = headers.get("host", "")
    bare = host[: m.start()] if (m := _PORT.search(host)) else ""
    if bare and "host" in signed:
        yield [(h, bare if h == "host" else v) for h, v in raw]


def _tc3_hex(keyed, scope: str, canonical: str) -> bytes:
    """The hex signature (bytes) of ``canonical`` under the copied ``keyed`` HMAC;
    ``scope`` is the StringToSign up to the canonical request's hash."""
    mac = keyed.copy()
    mac.update((scope + hashlib.sha256(canonical.encode("utf-8")).hexdigest()).encode("utf-8"))
    return mac.hexdigest().encode()


_UNSIGNED_HASH = hashlib.sha256(UNSIGNED_PAYLOAD.encode()).hexdigest()


def verify_tc3(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup: Lookup,
    now: float,
    service_now: float | None = None,
) -> Identity:
    """Verify a TC3-HMAC-SHA256 request; ``headers`` has lower-case names.

    ``query`` is the raw query string as received (signed as is for GET, empty for POST).
    The canonical URI is ``/`` as every SDK signs it; the request path is also accepted.
    The scope's service is one of :func:`scope_services` of the Host, and the signature
    is verified over the scope as sent. ``now`` is the window's clock, ``service_now``
    (default ``now``) the clock temporary credentials expire on.
    """
    return _verify_tc3(method, path, query, headers, body, lookup, now, service_now)


def _verify_tc3(
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup: Lookup,
    now: float,
    service_now: float | None,
) -> Identity:
    """:func:`verify_tc3`, its arguments by position (the wire endpoint's per-request
    call). What every SDK sends is checked inline; the same checks, in the same order,
    run through the general helpers for anything else."""
    authorization = headers["authorization"]
    m = _AUTHORIZATION.fullmatch(authorization)
    signed: tuple[str, ...] | list[str]
    if m is not None:  # what every SDK sends: the general parser would find the same
        secret_id, date, service, _, signature = m.groups()
        signed = _CONTENT_TYPE_HOST
    else:
        secret_id, date, service, signed, signature = parse_authorization(authorization)
    text = headers.get("x-tc-timestamp")
    if text and len(text) <= 12 and text.isdigit() and text.isascii():
        ts = int(text)
    else:
        ts = _timestamp(text, "X-TC-Timestamp")
    key: Any = lookup(secret_id)  # the regex and the general parser give a non-empty id
    if key is None:
        raise _no_such_key(secret_id)
    if abs(now - ts) > WINDOW:
        _check_window(ts, now)  # raises SignatureExpire
    if service != SERVICE:  # kms is always allowed; the Host's first label may be too
        allowed = scope_services(headers.get("host", ""))
        if service not in allowed:
            names = " or ".join(repr(s) for s in allowed)
            raise signature_failure(
                f"the credential scope names service {service!r}, not {names}",
                f"凭证范围中的服务名为 {service!r}，应为 {' 或 '.join(repr(s) for s in allowed)}",
            )
    day = _utc_day(ts // 86400)
    if date != day:
        raise signature_failure(
            f"the credential date {date} is not the UTC date of {ts}",
            f"凭证日期 {date} 不是时间戳 {ts} 的 UTC 日期（{day}）",
        )
    if signed is _CONTENT_TYPE_HOST and "content-type" in headers and "host" in headers:
        raw = [("content-type", headers["content-type"].strip()), ("host", headers["host"].strip())]
    else:
        missing = [h for h in signed if h not in headers]
        if missing:
            raise _fail(
                "AuthFailure.InvalidAuthorization",
                f"signed header(s) {', '.join(missing)} not sent",
                f"签名头 {', '.join(missing)} 未随请求发送",
            )
        raw = [(h, headers[h].strip()) for h in signed]
    if headers.get("x-tc-content-sha256") == UNSIGNED_PAYLOAD:
        payload_hash = _UNSIGNED_HASH
    else:
        payload_hash = hashlib.sha256(body if method == "POST" else b"").hexdigest()
    keyed = _tc3_mac(key.secret_key, date, service)  # only after service and date checks
    scope = f"{TC3}\n{ts}\n{date}/{service}/tc3_request\n"
    signed_query = query if method == "GET" else ""
    given = signature.encode("ascii", "replace")
    # The URI "/" and the headers as sent, as every SDK signs them, first; then the
    # other canonical forms the SDKs produce (_header_variants, the request path).
    if len(raw) == 2:  # tc3_canonical_request's two-header form, inline
        (k1, v1), (k2, v2) = raw
        canonical = (
            f"{method}\n/\n{signed_query}\n{k1}:{v1}\n{k2}:{v2}\n\n{k1};{k2}\n{payload_hash}"
        )
    else:
        canonical = tc3_canonical_request(method, "/", signed_query, raw, payload_hash)
    mac = keyed.copy()
    mac.update((scope + hashlib.sha256(canonical.encode()).hexdigest()).encode())
    if not hmac.compare_digest(mac.hexdigest().encode(), given):
        ok = False
        for uri in ["/"] if path in ("/", "") else ["/", path]:
            for hdrs in _header_variants(signed, headers):
                if uri == "/" and hdrs == raw:
                    continue  # tried above
                canonical = tc3_canonical_request(method, uri, signed_query, hdrs, payload_hash)
                if hmac.compare_digest(_tc3_hex(keyed, scope, canonical), given):
                    ok = True
                    break
            if ok:
                break
        if not ok:
            raise signature_failure()
    if getattr(key, "token", "") or headers.get("x-tc-token"):
        _check_token(key, headers.get("x-tc-token"), now if service_now is None else service_now)
    return _identity((key.uin, secret_id, TC3))


# -- HmacSHA1 / HmacSHA256 -------------------------------------------------------------


def hmac_string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    """``Method + Host + Path + '?' + k=v&...`` over every parameter but Signature,
    sorted by name (byte order), with raw (not URL-encoded) values."""
    items = sorted(
        ((k, v) for k, v in params.items() if k != "Signature"), key=lambda kv: kv[0].encode()
    )
    return f"{method}{host}{path}?" + "&".join(f"{k}={v}" for k, v in items)


def hmac_signature(secret_key: str, string_to_sign: str, signature_method: str) -> str:
    """Base64 HMAC of the string with the hash of ``signature_method`` (``HmacSHA1`` or
    ``HmacSHA256``; anything else is a ``KeyError``)."""
    digest = HMAC_METHODS[signature_method]
    mac = hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode()


class NonceCache:
    """Remembers ``(SecretId, Timestamp, Nonce)`` triples inside the window, so a captured
    HmacSHA* request cannot be replayed; bounded so that a flood cannot exhaust memory."""

    def __init__(self, limit: int = 1_000_000) -> None:
        self._seen: OrderedDict[tuple[str, int, str], int] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def add(self, secret_id: str, ts: int, nonce: str, now: float) -> bool:
        """Record the triple; False if it was already used (a replay)."""
        entry = (secret_id, ts, nonce)
        with self._lock:
            while self._seen:  # drop what has left the window: it can no longer verify
                oldest = next(iter(self._seen.values()))
                if oldest >= now - WINDOW and len(self._seen) < self._limit:  # still live
                    break
                self._seen.popitem(last=False)
            if entry in self._seen:
                return False
            self._seen[entry] = ts
            return True


def verify_hmac(
    *,
    method: str,
    host: str,
    path: str,
    params: Mapping[str, str],
    lookup: Lookup,
    now: float,
    nonces: NonceCache,
    service_now: float | None = None,
) -> Identity:
    """Verify an HmacSHA1/HmacSHA256 request whose parameters (all text) are ``params``.

    ``SignatureMethod`` absent means ``HmacSHA1`` (documented); a value other than the
    two documented ones is refused, never verified with a fallback hash.
    """
    for name in ("SecretId", "Signature", "Timestamp", "Nonce"):
        if not params.get(name):
            raise _fail("MissingParameter", f"{name} is missing", f"缺少公共参数 {name}")
    ts = _timestamp(params["Timestamp"], "Timestamp")
    nonce = params["Nonce"]
    if not (nonce.isascii() and nonce.isdigit()) or len(nonce) > 20:
        raise _fail("InvalidParameter", "Nonce must be a positive integer", "Nonce 应为正整数")
    sign_method = params.get("SignatureMethod", "HmacSHA1")
    if sign_method not in HMAC_METHODS:
        raise signature_failure(
            f"SignatureMethod {sign_method!r} is not supported: use HmacSHA1 or HmacSHA256",
            f"不支持的签名方法 SignatureMethod {sign_method!r}：请使用 HmacSHA1 或 HmacSHA256",
        )
    key = _credential(lookup, params["SecretId"])
    _check_window(ts, now)
    given = params["Signature"].encode("utf-8")
    ok = False
    for p in [path] if path == "/" else [path, "/"]:
        expected = hmac_signature(
            key.secret_key, hmac_string_to_sign(method, host, p, params), sign_method
        )
        ok |= hmac.compare_digest(expected.encode(), given)
    if not ok:
        raise signature_failure()
    _check_token(key, params.get("Token"), now if service_now is None else service_now)
    if not nonces.add(params["SecretId"], ts, nonce, now):
        raise signature_failure(
            "this Nonce was already used with this Timestamp (replay)",
            "该 Nonce 已与同一 Timestamp 一起使用过（重放）",
        )
    return Identity(key.uin, params["SecretId"], sign_method)


def wall_clock() -> float:
    """Real time, for services whose clock is virtual but whose clients sign with real time."""
    return time.time()
