"""The API 3.0 wire protocol over one ``KMS``: decode, authenticate, call, answer.

:class:`WireApp` is a framework-free ASGI application. Its :meth:`WireApp.handle`
turns one raw HTTP request into the JSON bytes of the ``Response`` envelope and never
raises, so that every answer is HTTP 200 with ``Content-Type: application/json``
exactly (the official Python SDK sees ``Response.Error`` only then). All service work
goes through ``kms.call``, the same path as the Pythonic face.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import time
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.server import auth
from kmslab.server.flatten import decode_flat

__all__ = ["API_VERSION", "COMMON_PARAMS", "WireApp", "nonce_cache"]

API_VERSION = "2019-01-18"
COMMON_PARAMS = (
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
)
"""Parameter names that belong to the protocol, not to the action (header ``X-TC-<name>``)."""

GET_LIMIT = 32 * 1024
POST_LIMIT_HMAC = 1024 * 1024
POST_LIMIT_TC3 = 10 * 1024 * 1024
KEY_CACHE_SECONDS = 10.0
_JSON_HEADERS = [(b"content-type", b"application/json")]

_NONCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def nonce_cache(kms) -> auth.NonceCache:
    """The replay cache of one service, shared by all its endpoints (HTTP and HTTPS)."""
    cache = _NONCES.get(kms)
    if cache is None:
        cache = _NONCES[kms] = auth.NonceCache()
    return cache


def _ascii_json(text: str) -> bytes:
    """``text`` (JSON) as UTF-8, or re-escaped as pure ASCII JSON if it cannot be encoded."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":")).encode()


def _err(code: str, detail: str, zh: str) -> KMSError:
    return KMSError(code, detail, detail_zh=zh)


def _language(value: Any) -> str:
    return "en-US" if value == "en-US" else "zh-CN"


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _err("InvalidParameter", f"{what} is not UTF-8", f"{what} 不是 UTF-8 编码") from None


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=100_000)
    except (ValueError, UnicodeDecodeError):
        raise _err(
            "InvalidParameter", f"the {what} is not valid URL encoding", f"{what} 编码错误"
        ) from None


def _multipart(content_type: str, body: bytes) -> tuple[list[tuple[str, str]], dict]:
    """Text fields and JSON fields (``Content-Type: application/json`` parts) of a body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not msg.is_multipart() or msg.defects:
        raise _err(
            "InvalidParameter",
            "the multipart/form-data body is malformed",
            "multipart/form-data 请求体格式错误",
        )
    texts: list[tuple[str, str]] = []
    typed: dict[str, Any] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise _err(
                "InvalidParameter", "a multipart field has no name", "multipart 字段缺少名称"
            )
        raw = part.get_payload(decode=True) or b""
        value = _utf8(raw, f"field {name}")
        if part.get_content_type() == "application/json":
            typed[name] = _json(raw, f"field {name}")
        else:
            texts.append((name, value))
    return texts, typed


def _json(body: bytes, what: str = "the body") -> Any:
    try:
        return json.loads(_utf8(body, what))
    except json.JSONDecodeError as exc:
        raise _err(
            "InvalidParameter",
            f"{what} is not valid JSON ({exc.msg} at {exc.pos})",
            f"{what} 不是合法的 JSON（位置 {exc.pos}）",
        ) from None
    except RecursionError:
        raise _err("InvalidParameter", f"{what} nests too deeply", f"{what} 嵌套过深") from None


class _Request:
    """The decoded parts of one request, as the steps of :meth:`WireApp.handle` fill them."""

    __slots__ = ("language", "action", "uin", "region", "text", "typed", "json_body", "signed")

    def __init__(self) -> None:
        self.language = "zh-CN"
        self.action = ""
        self.uin = 0
        self.region = ""
        self.text: list[tuple[str, str]] = []  # flattened (name, text) action parameters
        self.typed: dict[str, Any] = {}  # JSON-typed action parameters
        self.json_body = False
        self.signed: dict[str, str] = {}  # every text parameter, as an HmacSHA* signature covers


class WireApp:
    """The ASGI application of the wire endpoint over ``kms``.

    ``now`` is the clock the 300-second window is checked against: the service clock by
    default; pass :func:`kmslab.server.auth.wall_clock` when the service runs on a virtual
    clock but its clients sign with real time.
    """

    def __init__(self, kms, now: Callable[[], float] | None = None) -> None:
        self.kms = kms
        self.now = now or kms.clock.now
        self.nonces = nonce_cache(kms)
        self._keys: dict[str, tuple[float, Any]] = {}

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
        """ASGI entry: read the body (bounded), answer in one body message."""
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
        body = b""
        too_big = False
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            if not too_big:
                body += chunk
                too_big = len(body) > POST_LIMIT_TC3
                if too_big:
                    body = b""
            more = message.get("more_body", False)
        payload = self.handle(
            scope["method"],
            scope.get("path", "/"),
            scope.get("query_string", b""),
            scope["headers"],
            body,
            too_big=too_big,
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*_JSON_HEADERS, (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})

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
        """The JSON ``Response`` envelope (bytes) answering one raw request. Never raises."""
        req = _Request()
        wall = time.perf_counter()
        try:
            result = self._serve(req, method, path, query, headers, body, too_big)
            return json.dumps(
                {"Response": result}, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        except KMSError as exc:
            error = exc
        except Exception as exc:  # a kmslab bug: still answer as the service would
            error = KMSError("InternalError", f"{type(exc).__name__} in the wire endpoint")
        return self._error_body(req, error, wall)

    def error_envelope(self, error: KMSError) -> bytes:
        """The envelope of an error found below the application (by the HTTP parser)."""
        return self._error_body(_Request(), error, time.perf_counter())

    def _error_body(self, req: _Request, error: KMSError, wall: float) -> bytes:
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
        error.language = req.language
        text = json.dumps(
            {"Response": error.to_response()}, ensure_ascii=False, separators=(",", ":")
        )
        # A message can echo caller text that is not valid UTF-8 (a lone surrogate):
        # escaping everything still gives valid JSON, and the envelope is always sent.
        return _ascii_json(text)

    def _serve(self, req, method, path, query, headers, body, too_big) -> dict:
        hdrs = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
        if "x-tc-language" in hdrs:
            req.language = _language(hdrs["x-tc-language"])
        if method not in ("GET", "POST"):
            raise _err(
                "UnsupportedProtocol",
                f"method {method} is not supported: use GET or POST",
                f"不支持 {method} 方法，请使用 GET 或 POST",
            )
        tc3 = "authorization" in hdrs
        self._check_size(method, query, headers, body, too_big, tc3)
        raw_query = _utf8(query, "the query string")
        if method == "GET":
            req.text = _pairs(raw_query, "query string")
        else:
            self._decode_body(req, hdrs.get("content-type", ""), body)

        common = self._common(req, hdrs, prefer_headers=tc3)
        if not tc3 and req.json_body:
            raise _err(
                "AuthFailure.InvalidAuthorization",
                "a JSON body must be signed with TC3-HMAC-SHA256 (Authorization header)",
                "JSON 请求体必须使用 TC3-HMAC-SHA256 签名（Authorization 头）",
            )
        if not tc3 and not common.get("Signature") and not common.get("SecretId"):
            raise _err(
                "MissingParameter",
                "the request is not signed: no Authorization header and no Signature",
                "请求未签名：缺少 Authorization 头或 Signature 参数",
            )
        if not common.get("Action"):
            raise _err("MissingParameter", "Action is missing", "缺少公共参数 Action")
        req.action = common["Action"]
        version = common.get("Version")
        if not version:
            raise _err("MissingParameter", "Version is missing", "缺少公共参数 Version")
        if version != API_VERSION:
            raise _err(
                "NoSuchVersion",
                f"KMS has version {API_VERSION}, not {version!r}",
                f"KMS 的接口版本为 {API_VERSION}，不是 {version!r}",
            )
        if req.action not in ACTIONS:
            raise _err(
                "InvalidAction", f"KMS has no action {req.action!r}", f"没有接口 {req.action!r}"
            )

        host = hdrs.get("host", "")
        now = self.now()
        if tc3:
            who = auth.verify_tc3(
                method=method,
                path=path,
                query=raw_query,
                headers=hdrs,
                body=body,
                lookup=self.lookup,
                now=now,
            )
        else:
            who = auth.verify_hmac(
                method=method,
                host=host,
                path=path,
                params=req.signed,
                lookup=self.lookup,
                now=now,
                nonces=self.nonces,
            )
        req.uin = who.uin
        req.region = common.get("Region") or ""
        if not req.region:
            raise _err("MissingParameter", "Region is missing", "缺少公共参数 Region")
        params = decode_flat(req.action, req.text) if req.text else {}
        params.update(req.typed)
        return self.kms.call(
            req.action, params, uin=req.uin, region=req.region, language=req.language
        )

    @staticmethod
    def _check_size(method, query, headers, body, too_big, tc3) -> None:
        if method == "GET":
            size = len(query) + sum(len(k) + len(v) + 4 for k, v in headers) + len(body)
            limit = GET_LIMIT
        else:
            size = POST_LIMIT_TC3 + 1 if too_big else len(body)
            limit = POST_LIMIT_TC3 if tc3 else POST_LIMIT_HMAC
        if size > limit:
            raise _err(
                "RequestSizeLimitExceeded",
                f"the {method} request is larger than {limit // 1024} KB",
                f"{method} 请求超过 {limit // 1024} KB",
            )

    def _decode_body(self, req: _Request, content_type: str, body: bytes) -> None:
        """Fill ``req.text`` / ``req.typed`` from a POST body of any documented type."""
        media = content_type.split(";", 1)[0].strip().lower()
        if media == "application/json":
            value = _json(body) if body.strip() else {}
            if not isinstance(value, dict):
                raise _err(
                    "InvalidParameter", "the JSON body must be an object", "JSON 请求体必须是对象"
                )
            req.typed = value
            req.json_body = True
        elif media == "application/x-www-form-urlencoded":
            req.text = _pairs(_utf8(body, "the body"), "form body")
        elif media == "multipart/form-data":
            req.text, req.typed = _multipart(content_type, body)
        elif body:
            raise _err(
                "InvalidParameter",
                f"Content-Type {media or '(none)'} is not supported: use application/json, "
                "application/x-www-form-urlencoded or multipart/form-data",
                f"不支持的 Content-Type {media or '(无)'}",
            )

    @staticmethod
    def _common(req: _Request, hdrs: dict[str, str], prefer_headers: bool) -> dict[str, str]:
        """Take the common parameters out of the action parameters. ``X-TC-*`` headers win
        for TC3 (they are what it signs), the parameters for HmacSHA* (likewise)."""
        common: dict[str, str] = {}
        found: dict[str, Any] = {}
        req.signed = dict(req.text)
        text = []
        for k, v in req.text:
            if k in COMMON_PARAMS:
                if k in found:
                    raise _err("InvalidParameter", f"{k} is given more than once", f"{k} 重复出现")
                found[k] = v
            else:
                text.append((k, v))
        req.text = text
        for k in COMMON_PARAMS:
            if k in req.typed:
                found.setdefault(k, req.typed.pop(k))
        for k in COMMON_PARAMS:
            header = hdrs.get("x-tc-" + k.lower())
            value = found.get(k)
            if header is not None and (prefer_headers or value is None):
                value = header
            if value is not None:
                if not isinstance(value, str):
                    raise _err(
                        "InvalidParameter", f"{k} must be a String", f"{k} 的类型应为 String"
                    )
                common[k] = value
        if "Language" in common:
            req.language = _language(common["Language"])
        return common
