"""The API 3.0 dialect: common parameters, TC3 and HmacSHA* signatures, the JSON envelope.

The rule that keeps it safe: the action sees only what the signature covers. TC3 signs
the whole body (or the query of a GET), so its parameters come from there and nowhere
else; an HmacSHA* signature covers the text parameters only, so for those methods the
parameters *are* the signed text, ``X-TC-*`` headers are ignored, and a request with
anything it cannot cover (a JSON-typed multipart part) is refused.
"""

from __future__ import annotations

import json
from typing import Any

from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.server import auth
from kmslab.server.body import BODY, QUERY, Where, form_pairs, json_value, multipart, utf8
from kmslab.server.dialect import AuthContext, WireRequest
from kmslab.server.flatten import decode_flat

__all__ = [
    "API_VERSION",
    "COMMON_PARAMS",
    "GET_LIMIT",
    "POST_LIMIT_HMAC",
    "POST_LIMIT_TC3",
    "Api3Dialect",
    "ascii_json",
    "encode_response",
]

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
_COMMON_SET = frozenset(COMMON_PARAMS)
_HEADER_OF = {k: "x-tc-" + k.lower() for k in COMMON_PARAMS}
_TC3_READ = tuple((_HEADER_OF[k], k) for k in ("Action", "Version", "Region", "Language"))
"""The common parameters a TC3 request's decoding uses (the signature check reads its
own headers): only these are copied from the ``X-TC-*`` headers."""
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring  # the string escaper of _encode_json, in C

GET_LIMIT = 32 * 1024
"""Documented: a GET request (line and headers) is at most 32 KB."""
POST_LIMIT_HMAC = 1024 * 1024
"""Documented: a POST body signed with HmacSHA1/HmacSHA256 is at most 1 MB."""
POST_LIMIT_TC3 = 10 * 1024 * 1024
"""Documented: a POST body signed with TC3-HMAC-SHA256 is at most 10 MB."""


def _err(code: str, detail: str, zh: str) -> KMSError:
    return KMSError(code, detail, detail_zh=zh)


def _shown(value: str) -> str:
    """``value`` quoted for a message, cut to 64 characters (a message echoes, not copies)."""
    return repr(value) if len(value) <= 64 else repr(value[:64]) + "…"


def _language(value: Any) -> str:
    return "en-US" if value == "en-US" else "zh-CN"


def ascii_json(text: str) -> bytes:
    """``text`` (JSON) as UTF-8, or re-escaped as pure ASCII JSON if it cannot be encoded."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":")).encode()


def encode_response(result: dict) -> bytes:
    """``{"Response": result}`` as compact UTF-8 JSON, the bytes ``json.dumps`` gives.

    Most answers (Encrypt, Decrypt, GenerateRandom ...) hold strings only; those are
    joined directly, which is a third of the encoder's cost."""
    for key, value in result.items():
        if type(value) is not str or type(key) is not str:
            return _encode_json({"Response": result}).encode("utf-8")
    items = ",".join([_quote(k) + ":" + _quote(v) for k, v in result.items()])
    return ('{"Response":{' + items + "}}").encode("utf-8")


class _Decoded:
    """The API 3.0 reading of one request, before and after authentication."""

    __slots__ = (
        "tc3",
        "raw_query",
        "common",
        "text",
        "typed",
        "json_body",
        "json_parts",
        "signed",
        "in_body",
    )

    def __init__(self) -> None:
        self.tc3 = False
        self.raw_query = ""
        self.common: dict[str, str] = {}
        self.text: list[tuple[str, str]] = []  # flattened (name, text) action parameters
        self.typed: dict[str, Any] = {}  # JSON-typed action parameters
        self.json_body = False
        self.json_parts: list[str] = []  # names of JSON-typed multipart parts
        self.signed: dict[str, str] = {}  # every text parameter, as HmacSHA* signs them
        self.in_body = False  # whether any parameter came from the POST body


def _split_common(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The common parameters among ``pairs`` (each at most once) and the rest."""
    found: dict[str, str] = {}
    rest: list[tuple[str, str]] = []
    for k, v in pairs:
        if k in COMMON_PARAMS:
            if k in found:
                raise _err("InvalidParameter", f"{k} is given more than once", f"{k} 重复出现")
            found[k] = v
        else:
            rest.append((k, v))
    return found, rest


class Api3Dialect:
    """API 3.0 (version ``2019-01-18``) at ``/``: see the module docstring."""

    # -- decode ---------------------------------------------------------------------

    def decode(self, req: WireRequest) -> None:
        """Read the common parameters and the (not yet trusted) action parameters."""
        hdrs = req.headers
        st = req.state = _Decoded()
        if "x-tc-language" in hdrs:
            req.language = _language(hdrs["x-tc-language"])
        if req.method not in ("GET", "POST"):
            raise _err(
                "UnsupportedProtocol",
                f"method {req.method} is not supported: use GET or POST",
                f"不支持 {req.method} 方法，请使用 GET 或 POST",
            )
        st.tc3 = "authorization" in hdrs
        if req.method == "GET" or req.too_big or len(req.body) > POST_LIMIT_HMAC:
            self._check_size(req, st.tc3)
        st.raw_query = utf8(req.query, QUERY) if req.query else ""
        pairs, typed = self._parameters(req, st)
        st.in_body = req.method == "POST" and bool(pairs or typed)
        found, st.text = _split_common(pairs) if pairs else ({}, pairs)
        if st.tc3:
            st.common = self._common_tc3(found, typed, hdrs)
        else:
            st.signed = self._signed(pairs)
            st.common = found
        st.typed = typed
        common = st.common
        if "Language" in common:
            req.language = _language(common["Language"])
        if not st.tc3 and st.json_body:
            raise _err(
                "AuthFailure.InvalidAuthorization",
                "a JSON body must be signed with TC3-HMAC-SHA256 (Authorization header)",
                "JSON 请求体必须使用 TC3-HMAC-SHA256 签名（Authorization 头）",
            )
        if not st.tc3 and not common.get("Signature") and not common.get("SecretId"):
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
                f"KMS has version {API_VERSION}, not {_shown(version)}",
                f"KMS 的接口版本为 {API_VERSION}，不是 {_shown(version)}",
            )
        if req.action not in ACTIONS:
            shown = _shown(req.action)
            raise _err("InvalidAction", f"KMS has no action {shown}", f"没有接口 {shown}")

    @staticmethod
    def _check_size(req: WireRequest, tc3: bool) -> None:
        if req.method == "GET":
            size = len(req.query) + sum(len(k) + len(v) + 4 for k, v in req.headers.items())
            size += len(req.body)
            limit = GET_LIMIT
        else:
            size = POST_LIMIT_TC3 + 1 if req.too_big else len(req.body)
            limit = POST_LIMIT_TC3 if tc3 else POST_LIMIT_HMAC
        if size > limit:
            raise _err(
                "RequestSizeLimitExceeded",
                f"the {req.method} request is larger than {limit // 1024} KB",
                f"{req.method} 请求超过 {limit // 1024} KB",
            )

    @staticmethod
    def _parameters(req: WireRequest, st: _Decoded) -> tuple[list[tuple[str, str]], dict]:
        """Text pairs and JSON-typed values of the query (GET) or body (POST)."""
        if req.method == "GET":
            return form_pairs(st.raw_query, QUERY), {}
        content_type = req.headers.get("content-type", "")
        if content_type == "application/json":  # as the SDKs send it
            media = content_type
        else:
            media = content_type.split(";", 1)[0].strip().lower()
        body = req.body
        if media == "application/json":
            value = json_value(body, BODY) if body and not body.isspace() else {}
            if not isinstance(value, dict):
                raise _err(
                    "InvalidParameter", "the JSON body must be an object", "JSON 请求体必须是对象"
                )
            st.json_body = True
            return [], value
        if media == "application/x-www-form-urlencoded":
            return form_pairs(utf8(body, BODY), BODY), {}
        if media == "multipart/form-data":
            pairs: list[tuple[str, str]] = []
            typed: dict[str, Any] = {}
            for part in multipart(content_type, body):
                where = Where.field(part.name)
                if part.is_json:
                    if part.name in typed:
                        raise _err(
                            "InvalidParameter",
                            f"{part.name} is given more than once",
                            f"{part.name} 重复出现",
                        )
                    typed[part.name] = json_value(part.raw, where)
                    st.json_parts.append(part.name)
                else:
                    pairs.append((part.name, utf8(part.raw, where)))
            return pairs, typed
        if body:
            raise _err(
                "InvalidParameter",
                f"Content-Type {media or '(none)'} is not supported: use application/json, "
                "application/x-www-form-urlencoded or multipart/form-data",
                f"不支持的 Content-Type {media or '(无)'}：请使用 application/json、"
                "application/x-www-form-urlencoded 或 multipart/form-data",
            )
        return [], {}

    @staticmethod
    def _common_tc3(found: dict[str, str], typed: dict, hdrs: dict[str, str]) -> dict[str, str]:
        """TC3: ``X-TC-*`` headers win; the signed body or query may carry the rest.
        Every common parameter the body carries is checked (a String, given once)."""
        if typed and not _COMMON_SET.isdisjoint(typed):
            for k in COMMON_PARAMS:
                if k in typed:
                    value = typed.pop(k)
                    if k in found:
                        raise _err(
                            "InvalidParameter", f"{k} is given more than once", f"{k} 重复出现"
                        )
                    found[k] = value
        common: dict[str, str] = {}
        for header, k in _TC3_READ:
            value = hdrs.get(header)
            if value is not None:
                common[k] = value
        for k, value in found.items():  # the body's, usually none
            if value is not None and hdrs.get(_HEADER_OF[k]) is None:
                if not isinstance(value, str):
                    raise _err(
                        "InvalidParameter", f"{k} must be a String", f"{k} 的类型应为 String"
                    )
                common[k] = value
        return common

    @staticmethod
    def _signed(pairs: list[tuple[str, str]]) -> dict[str, str]:
        """HmacSHA*: every text parameter, each name once (the signature is over a map)."""
        signed: dict[str, str] = {}
        for k, v in pairs:
            if k in signed:
                raise _err("InvalidParameter", f"{k} is given more than once", f"{k} 重复出现")
            signed[k] = v
        return signed

    # -- authenticate ---------------------------------------------------------------

    def authenticate(self, req: WireRequest, ctx: AuthContext) -> auth.Identity:
        """Verify the signature; every parameter :meth:`params` returns is covered."""
        st: _Decoded = req.state
        hdrs = req.headers
        if st.tc3:
            if st.in_body and hdrs.get("x-tc-content-sha256") == auth.UNSIGNED_PAYLOAD:
                raise auth.signature_failure(
                    "the body carries parameters but is not signed "
                    "(X-TC-Content-SHA256: UNSIGNED-PAYLOAD)",
                    "请求体携带参数却未被签名（X-TC-Content-SHA256: UNSIGNED-PAYLOAD）",
                )
            who = auth._verify_tc3(  # verify_tc3, by position (once per request)
                req.method,
                req.path,
                st.raw_query,
                hdrs,
                req.body,
                ctx.lookup,
                ctx.now(),
                ctx.service_now(),
            )
        else:
            if st.json_parts:
                names = ", ".join(st.json_parts)
                raise auth.signature_failure(
                    f"multipart field(s) {names} are JSON-typed: an HmacSHA1/HmacSHA256 "
                    "signature covers text parameters only",
                    f"multipart 字段 {names} 为 JSON 类型：HmacSHA1/HmacSHA256 签名只覆盖文本参数",
                )
            who = auth.verify_hmac(
                method=req.method,
                host=hdrs.get("host", ""),
                path=req.path,
                params=st.signed,
                lookup=ctx.lookup,
                now=ctx.now(),
                nonces=ctx.nonces,
                service_now=ctx.service_now(),
            )
        req.uin = who.uin
        return who

    # -- parameters and answers -----------------------------------------------------

    def params(self, req: WireRequest) -> dict[str, Any]:
        """The action's typed parameters: the flattened text rebuilt, plus JSON values."""
        st: _Decoded = req.state
        req.region = st.common.get("Region") or ""
        if not req.region:
            raise _err("MissingParameter", "Region is missing", "缺少公共参数 Region")
        if not st.text:
            return st.typed
        params = decode_flat(req.action, st.text)
        twice = sorted(params.keys() & st.typed.keys())
        if twice:
            raise _err(
                "InvalidParameter",
                f"{', '.join(twice)} given both as text and as JSON",
                f"{', '.join(twice)} 同时以文本和 JSON 形式给出",
            )
        params.update(st.typed)
        return params

    def encode(self, req: WireRequest, result: dict) -> bytes:
        """``{"Response": result}`` as compact UTF-8 JSON."""
        return encode_response(result)

    def encode_error(self, req: WireRequest, error: KMSError) -> bytes:
        """``{"Response": {"Error": ..., "RequestId": ...}}`` in the request's language."""
        error.language = req.language
        text = json.dumps(
            {"Response": error.to_response()}, ensure_ascii=False, separators=(",", ":")
        )
        # A message can echo caller text that is not valid UTF-8 (a lone surrogate):
        # escaping everything still gives valid JSON, and the envelope is always sent.
        return ascii_json(text)
