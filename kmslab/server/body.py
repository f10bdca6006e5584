"""Query strings and request bodies turned into parameters, for every wire dialect.

Every decoder here is bounded and raises nothing but ``InvalidParameter`` (a
:class:`~kmslab.KMSError` with English and Chinese text), so that no caller input, however
malformed, reaches a traceback or ``InternalError``.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from kmslab.actions.errors import KMSError

__all__ = ["BODY", "QUERY", "Part", "Where", "form_pairs", "json_value", "multipart", "utf8"]

MAX_FIELDS = 100_000
"""More form fields than any action takes by far; refuses a field flood early."""


@dataclass(frozen=True)
class Where:
    """Where a value came from, named in both message languages."""

    en: str
    zh: str

    @staticmethod
    def field(name: str) -> Where:
        """A named multipart field."""
        return Where(f"field {name}", f"字段 {name}")


BODY = Where("the body", "请求体")
QUERY = Where("the query string", "查询字符串")


def _bad(en: str, zh: str) -> KMSError:
    return KMSError("InvalidParameter", en, detail_zh=zh)


def utf8(data: bytes, where: Where) -> str:
    """``data`` decoded as UTF-8 (the only encoding the API takes)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(f"{where.en} is not UTF-8", f"{where.zh}不是 UTF-8 编码") from None


def form_pairs(text: str, where: Where) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of URL-encoded text, in order, duplicates kept."""
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except (ValueError, UnicodeDecodeError):
        raise _bad(f"{where.en} is not valid URL encoding", f"{where.zh}的 URL 编码无效") from None


_raw_decode = json.JSONDecoder().raw_decode


def json_value(data: bytes, where: Where) -> Any:
    """The JSON value of ``data``; refuses invalid JSON, integers longer than Python
    converts (4,300 digits) and nesting deeper than the parser's recursion limit."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(f"{where.en} is not UTF-8", f"{where.zh}不是 UTF-8 编码") from None
    try:
        if text[:1] == "{":  # an object without leading space: one scan, no regex
            value, end = _raw_decode(text)
            if end == len(text):
                return value
        return json.loads(text)  # the general path, and its exact error if any
    except json.JSONDecodeError as exc:
        raise _bad(
            f"{where.en} is not valid JSON ({exc.msg} at {exc.pos})",
            f"{where.zh}不是合法的 JSON（位置 {exc.pos}）",
        ) from None
    except ValueError:  # an integer beyond int's digit limit
        raise _bad(
            f"{where.en} holds a number with too many digits",
            f"{where.zh}中的数字位数过多",
        ) from None
    except RecursionError:
        raise _bad(f"{where.en} nests too deeply", f"{where.zh}嵌套过深") from None


@dataclass(frozen=True)
class Part:
    """One multipart field: its name, its raw bytes and whether it is declared JSON."""

    name: str
    raw: bytes
    is_json: bool


def multipart(content_type: str, body: bytes) -> list[Part]:
    """The fields of a ``multipart/form-data`` body, in order."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not msg.is_multipart() or msg.defects:
        raise _bad(
            "the multipart/form-data body is malformed", "multipart/form-data 请求体格式错误"
        )
    parts: list[Part] = []
    for item in msg.iter_parts():
        name = item.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise _bad("a multipart field has no name", "multipart 字段缺少名称")
        raw = item.get_payload(decode=True) or b""
        if not isinstance(raw, bytes):  # decode=True gives bytes for every leaf part
            raise _bad("a multipart field is not a leaf part", "multipart 字段不是叶子部分")
        parts.append(Part(name, raw, item.get_content_type() == "application/json"))
    return parts
