"""Rebuild typed action parameters from flattened text (GET queries, form and multipart bodies).

The SDKs flatten arrays and objects into ``KeyIds.0``, ``Tags.0.TagKey`` or
``TagFilters.0.TagValue.1`` and send integers and booleans as text. This module turns
such pairs back into the same JSON-shaped values a JSON body carries, reading the
types from the action table, so one validator sees one shape whatever the encoding.
"""

from __future__ import annotations

from typing import Any

from kmslab.actions.errors import KMSError
from kmslab.actions.spec import BOOLEAN, INTEGER, INTEGER_SIGNED, STRING_LIST, Param
from kmslab.actions.table import ACTIONS, STRUCTS

__all__ = ["decode_flat", "parse_scalar"]

_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})
_MAX_INDEX = 10_000  # far above any documented list size; refuses absurd sparse indices


def _bad(where: str, why: str, why_zh: str) -> KMSError:
    return KMSError("InvalidParameter", f"{where} {why}", detail_zh=f"{where} 格式错误：{why_zh}")


def parse_scalar(type_: str, text: str, where: str) -> Any:
    """``text`` as a value of wire type ``type_`` (Integer, Integer64, Boolean or String).

    Booleans are ``true``/``false`` in any case (the Python SDK sends ``True``);
    integers are plain decimal. Anything else is ``InvalidParameter``.
    """
    if type_ in (INTEGER, INTEGER_SIGNED):
        body = text[1:] if type_ == INTEGER_SIGNED and text.startswith("-") else text
        if not body.isascii() or not body.isdigit() or len(body) > 20:
            raise _bad(where, "must be an Integer", "应为整数（Integer）")
        return int(text)
    if type_ == BOOLEAN:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _bad(where, "must be a Boolean (true or false)", "应为布尔值（true 或 false）")
    return text


def _index(part: str, where: str) -> int:
    if not (part.isascii() and part.isdigit()) or int(part) > _MAX_INDEX:
        raise _bad(where, "has an invalid list index", "列表下标无效")
    return int(part)


def _list_from(slots: dict[int, Any], where: str) -> list:
    """A dict of index -> value as a list; the indices must be 0..n-1."""
    if sorted(slots) != list(range(len(slots))):
        raise _bad(
            where,
            "has missing list indices (they must run 0, 1, 2 ...)",
            "列表下标不连续（应依次为 0, 1, 2 ...）",
        )
    return [slots[i] for i in range(len(slots))]


class _Node:
    """One parameter being rebuilt: its schema and the (path, text) pairs under it."""

    __slots__ = ("param", "pairs")

    def __init__(self, param: Param) -> None:
        self.param = param
        self.pairs: list[tuple[list[str], str]] = []


def _build(param: Param, pairs: list[tuple[list[str], str]], where: str) -> Any:
    """The typed value of ``param`` from the ``pairs`` (remaining path parts, text)."""
    if param.is_list:
        slots: dict[int, list[tuple[list[str], str]]] = {}
        for rest, text in pairs:
            if not rest:
                raise _bad(
                    where,
                    "is a list: send it as Name.0, Name.1 ...",
                    f"是列表，请以 {where}.0、{where}.1 ... 的形式发送",
                )
            slots.setdefault(_index(rest[0], where), []).append((rest[1:], text))
        item = Param(param.name, "String" if param.type == STRING_LIST else param.item_type)
        return _list_from({i: _build(item, sub, f"{where}.{i}") for i, sub in slots.items()}, where)
    if param.type in STRUCTS:
        fields = {f.name: f for f in STRUCTS[param.type].fields}
        grouped: dict[str, list[tuple[list[str], str]]] = {}
        for rest, text in pairs:
            if not rest:
                raise _bad(
                    where,
                    f"is a {param.type} object: send its fields as {where}.Field",
                    f"是 {param.type} 对象，请以 {where}.<字段名> 的形式发送各字段",
                )
            grouped.setdefault(rest[0], []).append((rest[1:], text))
        out: dict[str, Any] = {}
        for name, sub in grouped.items():
            field = fields.get(name)
            if field is None:  # leave it for the validator's UnknownParameter
                out[name] = sub[0][1]
            else:
                out[name] = _build(field, sub, f"{where}.{name}")
        return out
    if len(pairs) != 1 or pairs[0][0]:
        raise _bad(where, "is given more than once or with a sub-field", "重复出现或带有子字段")
    return parse_scalar(param.type, pairs[0][1], where)


def decode_flat(action: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The action's parameters rebuilt from flattened ``(name, text)`` pairs.

    Names the action does not know are kept as text, so that validation reports them
    as ``UnknownParameter`` exactly as it does for JSON.
    """
    spec = ACTIONS.get(action)
    known = {p.name: p for p in spec.params} if spec else {}
    nodes: dict[str, _Node] = {}
    out: dict[str, Any] = {}
    for name, text in pairs:
        parts = name.split(".")
        param = known.get(parts[0])
        if param is None:
            if name in out:
                raise _bad(name, "is given more than once", "重复出现")
            out[name] = text
            continue
        nodes.setdefault(parts[0], _Node(param)).pairs.append((parts[1:], text))
    for top, node in nodes.items():
        out[top] = _build(node.param, node.pairs, top)
    return out
