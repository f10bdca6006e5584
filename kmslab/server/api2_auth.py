"""The API 2.0 ("v1") signature of the legacy endpoint, exactly as the legacy SDKs sign.

Section 2 of ``legacy-api-v2.md``: ``METHOD + Host + /v2/index.php + ? +`` the raw,
ASCII-sorted parameters (``_`` in names written ``.``), HMAC-SHA1 or HMAC-SHA256 under the
SecretKey, Base64. The Python and PHP SDKs leave ``@``-valued parameters out of a POST's
string to sign and the Java and C++ SDKs do not, so both readings are tried. A verified
request's ``(SecretId, Timestamp, Nonce)`` is remembered for the window, so it cannot be
replayed; every comparison is constant-time.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Mapping
from typing import Any

from kmslab.server import auth
from kmslab.server.api2_errors import LegacyError

__all__ = ["PATH", "WINDOW", "signature", "string_to_sign", "verify"]

PATH = "/v2/index.php"
"""The one path of API 2.0 (every SDK signs it)."""
WINDOW = auth.WINDOW
"""Seconds a Timestamp may be from the server clock: the 5 minutes of the newer
API 2.0 error page (the older pages said 2 hours)."""

_DIGITS = re.compile(r"[0-9]{1,20}")
_PORT = re.compile(r":[0-9]+\Z")


def string_to_sign(
    method: str, host: str, params: Mapping[str, str], *, skip_at: bool = False
) -> str:
    """The string the SDKs sign: every parameter but ``Signature``, names with ``_`` as
    ``.``, sorted, raw values; ``skip_at`` leaves out values starting with ``@``."""
    items = {
        k.replace("_", "."): v
        for k, v in params.items()
        if k != "Signature" and not (skip_at and v.startswith("@"))
    }
    joined = "&".join(f"{k}={items[k]}" for k in sorted(items))
    return f"{method.upper()}{host}{PATH}?{joined}"


def signature(secret_key: str, text: str, method: str = "HmacSHA1") -> str:
    """Base64 HMAC of ``text`` under ``secret_key`` (``HmacSHA1`` or ``HmacSHA256``)."""
    return auth.hmac_signature(secret_key, text, method)


def _err(legacy: int, code: str, en: str, zh: str) -> LegacyError:
    return LegacyError(legacy, code, en, detail_zh=zh)


def _number(params: Mapping[str, str], name: str) -> int:
    text = params.get(name, "")
    if not text:
        raise _err(4000, "MissingParameter", f"{name} is missing", f"缺少公共参数 {name}")
    if not _DIGITS.fullmatch(text):
        raise _err(
            4000,
            "InvalidParameter",
            f"{name} must be a decimal integer of at most 20 digits",
            f"{name} 应为不超过 20 位的十进制整数",
        )
    return int(text)


def _hosts(host: str) -> list[str]:
    """The Host as sent, and without its port (a client may sign the bare name)."""
    m = _PORT.search(host)
    return [host, host[: m.start()]] if m and m.start() > 0 else [host]


def _check_token(key, token: str, now: float) -> None:
    expected = getattr(key, "token", "") or ""
    if not expected and not token:
        return
    if not expected:
        raise _err(
            4105,
            "AuthFailure.TokenFailure",
            "a Token was sent with a permanent key",
            "永久密钥不应携带 Token",
        )
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise _err(
            4105,
            "AuthFailure.TokenFailure",
            "the Token does not belong to this temporary key",
            "Token 与临时密钥不匹配",
        )
    if now >= key.expires:
        raise _err(
            4105,
            "AuthFailure.TokenFailure",
            f"the temporary key expired at {key.expires}",
            f"临时密钥已于 {key.expires} 过期",
        )


def verify(
    *,
    method: str,
    host: str,
    params: Mapping[str, str],
    lookup: Callable[[str], Any],
    now: float,
    nonces: auth.NonceCache,
    service_now: float | None = None,
) -> auth.Identity:
    """Verify an API 2.0 request whose decoded parameters are ``params``.

    Codes: 4000 a missing or malformed common parameter; 4104 an unknown SecretId; 4200
    a Timestamp older than the window; 4500 one ahead of it, or a Nonce already used
    with this SecretId and Timestamp; 4100 a wrong signature or SignatureMethod; 4105 a
    wrong or expired Token. The nonce is remembered only once the signature verifies,
    so nobody can burn another caller's nonces.
    """
    secret_id = params.get("SecretId", "")
    if not secret_id:
        raise _err(4000, "MissingParameter", "SecretId is missing", "缺少公共参数 SecretId")
    given = params.get("Signature", "")
    if not given:
        raise _err(4000, "MissingParameter", "Signature is missing", "缺少公共参数 Signature")
    ts = _number(params, "Timestamp")
    nonce = _number(params, "Nonce")
    sign_method = params.get("SignatureMethod", "HmacSHA1")  # absent: HmacSHA1
    if sign_method not in auth.HMAC_METHODS:
        raise _err(
            4100,
            "AuthFailure.SignatureFailure",
            f"SignatureMethod {sign_method!r} is not supported: use HmacSHA1 or HmacSHA256",
            f"不支持的签名方法 {sign_method!r}：请使用 HmacSHA1 或 HmacSHA256",
        )
    key = lookup(secret_id)
    if key is None:
        raise _err(
            4104,
            "AuthFailure.SecretIdNotFound",
            f"no API key {secret_id!r} in this kmslab",
            f"kmslab 中没有 SecretId {secret_id!r}",
        )
    if ts < now - WINDOW:
        raise _err(
            4200,
            "AuthFailure.SignatureExpire",
            f"Timestamp {ts} is {int(now - ts)} s before the server clock ({int(now)}): "
            f"the window is {WINDOW} s",
            f"Timestamp {ts} 比服务器时间 {int(now)} 早 {int(now - ts)} 秒，超过 {WINDOW} 秒",
        )
    if ts > now + WINDOW:
        raise _err(
            4500,
            "AuthFailure.SignatureExpire",
            f"Timestamp {ts} is {int(ts - now)} s after the server clock ({int(now)}): "
            f"the window is {WINDOW} s",
            f"Timestamp {ts} 比服务器时间 {int(now)} 晚 {int(ts - now)} 秒，超过 {WINDOW} 秒",
        )
    skips = (
        [False, True]
        if method == "POST" and any(v.startswith("@") for v in params.values())
        else [False]
    )
    wanted = given.encode("utf-8", "surrogatepass")
    ok = False
    for h in _hosts(host):
        for skip in skips:
            text = string_to_sign(method, h, params, skip_at=skip)
            mine = signature(key.secret_key, text, sign_method).encode()
            ok |= hmac.compare_digest(mine, wanted)
    if not ok:
        raise _err(
            4100,
            "AuthFailure.SignatureFailure",
            "the signature does not match the request",
            "签名与请求不匹配",
        )
    _check_token(key, params.get("Token", ""), now if service_now is None else service_now)
    if not nonces.add("v2:" + secret_id, ts, str(nonce), now):
        raise _err(
            4500,
            "AuthFailure.SignatureFailure",
            "this Nonce was already used with this SecretId and Timestamp (replay)",
            "该 Nonce 已与同一 SecretId 和 Timestamp 一起使用过（重放）",
        )
    return auth.Identity(key.uin, secret_id, sign_method)
