"""The legacy API 2.0 dialect at ``/v2/index.php``: form parameters, the v1 signature,
the flat ``code``/``message``/``requestId`` envelope, regions named by the Host.

Old code (the legacy Python, Java, C++ and PHP KMS SDKs, Tencent's generic
``QcloudApi`` SDK) speaks it; kmslab serves it beside API 3.0, on the same port and over
the same service, so a key made through one API is the same key through the other. The
safety rule is API 3.0's: the action sees only signed parameters. The v1 signature covers
every parameter of the query (GET) or of the body (POST), so parameters come from that
one place, each name once, and a request carrying any elsewhere is refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kmslab.actions.errors import KMSError
from kmslab.server import api2_auth, auth
from kmslab.server.api2_actions import ACTIONS
from kmslab.server.api2_errors import LegacyError, legacy_code
from kmslab.server.api3 import ascii_json
from kmslab.server.body import BODY, QUERY, form_pairs, utf8
from kmslab.server.dialect import AuthContext, WireRequest

__all__ = [
    "COMMON",
    "DEFAULT_LEGACY_REGIONS",
    "GET_LIMIT",
    "PATH",
    "POST_LIMIT",
    "Api2Dialect",
    "legacy_regions",
]

PATH = api2_auth.PATH
COMMON = frozenset(
    "Action SecretId Timestamp Nonce SignatureMethod Signature RequestClient Region Token "
    "Version Language".split()
)
"""Protocol parameters (PascalCase); ``Region`` and ``Version`` are signed and ignored."""
DEFAULT_LEGACY_REGIONS = {"gz": "ap-guangzhou", "sh": "ap-shanghai", "bj": "ap-beijing"}
"""The legacy regions (``kms-gz.api.qcloud.com``...) and the kmslab regions they are."""
GET_LIMIT = 32 * 1024
"""The largest GET request (query and headers), as for API 3.0."""
POST_LIMIT = 1024 * 1024
"""The largest POST body: API 3.0's limit for the same HmacSHA* signatures."""

_LEGACY_NAME = re.compile(r"[a-z0-9]{1,16}")
_PORT = re.compile(r":[0-9]*\Z")
_FORM = "application/x-www-form-urlencoded"


def _bad(en: str, zh: str, *, code: str = "InvalidParameter", legacy: int = 4000) -> LegacyError:
    return LegacyError(legacy, code, en, detail_zh=zh)


def legacy_regions(kms, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """The legacy region -> kmslab region table of an endpoint over ``kms``.

    Each of ``gz``, ``sh`` and ``bj`` is its mainland region (``ap-guangzhou``...) when
    the service has it, else the service's default region; ``mapping`` adds or overrides
    entries. A name must be lower-case letters and digits, a target one of the
    service's regions (else ``ValueError``).
    """
    table = {
        name: region if region in kms.regions else kms.default_region
        for name, region in DEFAULT_LEGACY_REGIONS.items()
    }
    for name, region in (mapping or {}).items():
        if not isinstance(name, str) or not _LEGACY_NAME.fullmatch(name):
            raise ValueError(f"legacy region names are like 'gz' (a-z, 0-9), not {name!r}")
        if region not in kms.regions:
            raise ValueError(f"legacy region {name!r}: {region!r} is not a region of this KMS")
        table[name] = region
    return table


class _Decoded:
    """The API 2.0 reading of one request."""

    __slots__ = ("legacy", "params", "host", "core")

    def __init__(self) -> None:
        self.legacy = ""  # the legacy action name
        self.params: dict[str, str] = {}  # every parameter, each once, as signed
        self.host = ""
        self.core: dict[str, Any] = {}  # the core action's parameters


class Api2Dialect:
    """API 2.0 at ``/v2/index.php`` (see the module docstring).

    ``regions`` maps legacy region names to kmslab regions (:func:`legacy_regions`);
    a Host ``kms-<name>.<anything>`` picks ``regions[name]``, and any other Host (a
    loopback address) the service's ``default_region``.
    """

    def __init__(self, regions: dict[str, str], default_region: str) -> None:
        self.regions = dict(regions)
        self.default_region = default_region

    def region_of(self, host: str) -> str:
        """The kmslab region a request to ``host`` is served in."""
        name = _PORT.sub("", host.strip().lower()).split(".", 1)[0]
        if name.startswith("kms-"):
            return self.regions.get(name[4:], self.default_region)
        return self.default_region

    # -- decode ---------------------------------------------------------------------

    def decode(self, req: WireRequest) -> None:
        """Read every parameter from the one place the signature covers."""
        st = req.state = _Decoded()
        st.host = req.headers.get("host", "")
        req.region = self.region_of(st.host)
        if req.method not in ("GET", "POST"):
            raise _bad(
                f"method {req.method} is not supported: use POST or GET",
                f"不支持 {req.method} 方法，请使用 POST 或 GET",
                code="UnsupportedProtocol",
                legacy=4600,
            )
        self._check_size(req)
        if req.method == "GET":
            if req.body:
                raise _bad(
                    "a GET request carries its parameters in the query string, not a body",
                    "GET 请求的参数只能在查询字符串中，不能带请求体",
                )
            pairs = form_pairs(utf8(req.query, QUERY), QUERY)
        else:
            media = req.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media not in ("", _FORM):
                raise _bad(
                    f"Content-Type {media} is not supported: send a form body "
                    f"({_FORM}, or no Content-Type)",
                    f"不支持的 Content-Type {media}：请发送表单请求体"
                    f"（{_FORM}，或不带 Content-Type）",
                )
            pairs = form_pairs(utf8(req.body, BODY), BODY)
        params = st.params
        for k, v in pairs:
            if k in params:
                raise _bad(f"{k} is given more than once", f"{k} 重复出现")
            params[k] = v
        if params.get("Language") in ("en-US", "zh-CN"):
            req.language = params["Language"]
        if req.method == "POST" and req.query:
            raise _bad(
                "a POST request carries every parameter in its form body, not in the query string",
                "POST 请求的参数只能在表单请求体中，不能在查询字符串中",
            )
        action = params.get("Action", "")
        if not action:
            raise _bad("Action is missing", "缺少公共参数 Action", code="MissingParameter")
        if action not in ACTIONS:
            names = ", ".join(ACTIONS)
            raise _bad(
                f"the legacy KMS API has no action {action!r} (it has {names})",
                f"旧版 KMS API 没有接口 {action!r}（可用：{names}）",
                code="InvalidAction",
            )
        st.legacy = action
        req.action = ACTIONS[action].core

    @staticmethod
    def _check_size(req: WireRequest) -> None:
        if req.method == "GET":
            size = len(req.query) + sum(len(k) + len(v) + 4 for k, v in req.headers.items())
            limit = GET_LIMIT
        else:
            size = POST_LIMIT + 1 if req.too_big else len(req.body)
            limit = POST_LIMIT
        if size > limit:
            raise _bad(
                f"the {req.method} request is larger than {limit // 1024} KB",
                f"{req.method} 请求超过 {limit // 1024} KB",
                code="RequestSizeLimitExceeded",
            )

    # -- authenticate ---------------------------------------------------------------

    def authenticate(self, req: WireRequest, ctx: AuthContext) -> auth.Identity:
        """Verify the v1 signature over every parameter (spec section 2)."""
        st: _Decoded = req.state
        who = api2_auth.verify(
            method=req.method,
            host=st.host,
            params=st.params,
            lookup=ctx.lookup,
            now=ctx.now(),
            nonces=ctx.nonces,
            service_now=ctx.service_now(),
        )
        req.uin = who.uin
        return who

    # -- parameters and answers -----------------------------------------------------

    def params(self, req: WireRequest) -> dict[str, Any]:
        """The core action's parameters, translated from the signed legacy ones."""
        st: _Decoded = req.state
        action = ACTIONS[st.legacy]
        legacy = {k: v for k, v in st.params.items() if k not in COMMON}
        unknown = sorted(legacy.keys() - action.params)
        if unknown:
            allowed = ", ".join(sorted(action.params)) or "none"
            raise _bad(
                f"{st.legacy} takes no parameter {', '.join(unknown)} (it takes {allowed})",
                f"{st.legacy} 不接受参数 {', '.join(unknown)}（可用：{allowed}）",
                code="UnknownParameter",
            )
        st.core = action.request(legacy)
        return st.core

    def encode(self, req: WireRequest, result: dict) -> bytes:
        """The flat success envelope: ``code`` 0, ``message`` "", the action's fields."""
        st: _Decoded = req.state
        action = ACTIONS[st.legacy]
        body = {"code": 0, "message": "", "codeDesc": "Success", "requestId": result["RequestId"]}
        body.update(action.answer(result, st.core))
        return ascii_json(json.dumps(body, ensure_ascii=False, separators=(",", ":")))

    def encode_error(self, req: WireRequest, error: KMSError) -> bytes:
        """The flat error envelope, HTTP 200 as always: ``code`` (the legacy integer),
        ``message`` in the request's language, ``codeDesc`` (the API 3.0 code) and
        ``requestId``."""
        body = {
            "code": legacy_code(error),
            "message": error.message_in(req.language),
            "codeDesc": error.code,
            "requestId": error.request_id,
        }
        return ascii_json(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
