"""Request validation, read entirely from the action table.

A missing parameter gets ``MissingParameter``, a wrong type ``InvalidParameter``, an
unknown one ``UnknownParameter`` and a value outside a documented limit that limit's
documented code, before any handler runs, so handlers only see well-typed input.
Each action's checks are compiled once into closures: validation sits on the hot path.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from kmslab.actions.errors import KMSError
from kmslab.actions.spec import (
    BOOLEAN,
    INTEGER,
    INTEGER_SIGNED,
    STRING,
    STRING_LIST,
    ActionSpec,
    Limits,
    Param,
)
from kmslab.actions.table import ACTIONS, STRUCTS

_UINT64_MAX = 2**64 - 1
Checker = Callable[[Any, str], None]


def _type_error(where: str, expected: str, value: Any) -> KMSError:
    return KMSError(
        "InvalidParameter",
        f"{where} must be {expected}, not {type(value).__name__}",
        detail_zh=f"{where} 的类型应为 {expected}",
    )


def _limit_error(code: str, where: str, why: str) -> KMSError:
    return KMSError(code, f"{where} {why}", detail_zh=f"{where} 取值不合法（{why}）")


def _scalar_checker(type_: str) -> Checker:
    if type_ == STRING:

        def check(value: Any, where: str) -> None:
            if not isinstance(value, str):
                raise _type_error(where, "a String", value)
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate, e.g. JSON "\ud800"
                    raise KMSError(
                        "InvalidParameter",
                        f"{where} is not valid UTF-8 text",
                        detail_zh=f"{where} 不是合法的 UTF-8 文本",
                    ) from None

    elif type_ in (INTEGER, INTEGER_SIGNED):
        low = 0 if type_ == INTEGER else -(2**63)
        high = _UINT64_MAX if type_ == INTEGER else 2**63 - 1

        def check(value: Any, where: str) -> None:
            if not isinstance(value, int) or isinstance(value, bool):
                raise _type_error(where, "an Integer", value)
            if not low <= value <= high:
                raise KMSError("InvalidParameter", f"{where} is out of the Integer range")

    elif type_ == BOOLEAN:

        def check(value: Any, where: str) -> None:
            if not isinstance(value, bool):
                raise _type_error(where, "a Boolean", value)

    else:
        raise ValueError(f"unknown scalar type {type_}")
    return check


def _limits_checker(limits: Limits, fast: bool = True) -> Checker:
    """Checks of one value (a scalar, or a whole list for item-count limits); ``fast``
    adds the one-expression pass for text within its limits."""
    pattern = re.compile(limits.pattern) if limits.pattern else None
    code = limits.error

    def check(value: Any, where: str) -> None:
        if isinstance(value, list):
            if limits.max_items is not None and len(value) > limits.max_items:
                raise _limit_error(code, where, f"has more than {limits.max_items} items")
            if limits.unique_items and len(set(map(str, value))) != len(value):
                raise _limit_error(limits.duplicate_error, where, "has duplicate items")
            return
        if isinstance(value, str):
            if limits.min_length is not None and len(value) < limits.min_length:
                raise _limit_error(code, where, f"is shorter than {limits.min_length} characters")
            if limits.max_length is not None and len(value) > limits.max_length:
                raise _limit_error(code, where, f"is longer than {limits.max_length} characters")
            if limits.max_bytes is not None and len(value.encode("utf-8")) > limits.max_bytes:
                raise _limit_error(code, where, f"is longer than {limits.max_bytes} bytes")
            if pattern is not None and not pattern.fullmatch(value):
                raise _limit_error(code, where, "has an invalid format")
        elif isinstance(value, int):
            if limits.minimum is not None and value < limits.minimum:
                raise _limit_error(code, where, f"is below the minimum {limits.minimum}")
            if limits.maximum is not None and value > limits.maximum:
                raise _limit_error(code, where, f"is above the maximum {limits.maximum}")
        if limits.choices is not None and value not in limits.choices:
            shown = ", ".join(repr(c) for c in limits.choices if c != "")
            raise _limit_error(code, where, f"must be one of {shown}")

    if not fast or limits.minimum is not None or limits.maximum is not None:
        return check
    # Text within its limits (every string of the hot path) passes in one expression; any
    # other value takes the full check above, which names the limit it breaks.
    low = limits.min_length or 0
    high = limits.max_length if limits.max_length is not None else sys.maxsize
    max_bytes = limits.max_bytes
    choices = frozenset(limits.choices) if limits.choices is not None else None

    def check_text(value: Any, where: str) -> None:
        if (
            value.__class__ is str
            and low <= len(value) <= high
            and (max_bytes is None or len(value.encode("utf-8")) <= max_bytes)
            and (pattern is None or pattern.fullmatch(value))
            and (choices is None or value in choices)
        ):
            return
        check(value, where)

    return check_text


def _param_checker(param: Param) -> Checker:
    """Type and limit checks of one parameter, recursing into structures."""
    limits = _limits_checker(param.limits) if param.limits else None
    item = param.item_type
    if param.type == STRING_LIST:
        item_check = _scalar_checker(STRING)
    elif item in STRUCTS:
        item_check = _struct_checker(item)
    else:
        item_check = _scalar_checker(item)
    optional_empty_ok = not param.required

    if param.is_list:

        def check(value: Any, where: str) -> None:
            if not isinstance(value, (list, tuple)):
                raise _type_error(where, f"an {param.type}", value)
            value = list(value)
            for i, v in enumerate(value):
                item_check(v, f"{where}.{i}")
            if limits:
                limits(value, where)

    elif limits is None:
        return item_check  # nothing but the type to check: one call, not two

    elif item == STRING and param.type != STRING_LIST:
        type_check = item_check

        def check(value: Any, where: str) -> None:
            # The common case inline (every string parameter of the hot path): ASCII text.
            if not (value.__class__ is str and value.isascii()):
                type_check(value, where)
            if not (optional_empty_ok and value == ""):
                limits(value, where)

    else:

        def check(value: Any, where: str) -> None:
            item_check(value, where)
            if not (optional_empty_ok and value == ""):
                limits(value, where)

    return check


def _struct_checker(name: str) -> Checker:
    fields = {f.name: (f, _param_checker(f)) for f in STRUCTS[name].fields}
    required = [f.name for f in STRUCTS[name].fields if f.required]

    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _type_error(where, f"a {name} object", value)
        for k, v in value.items():
            entry = fields.get(k)
            if entry is None:
                raise KMSError("UnknownParameter", f"{where}.{k} is not a field of {name}")
            if v is not None:
                entry[1](v, f"{where}.{k}")
        for k in required:
            if value.get(k) is None:
                raise KMSError("MissingParameter", f"{where}.{k} is required")

    return check


class _Compiled:
    __slots__ = ("checkers", "required")

    def __init__(self, spec: ActionSpec) -> None:
        self.checkers = {p.name: _param_checker(p) for p in spec.params}
        self.required = tuple(p.name for p in spec.params if p.required)


_COMPILED = {name: _Compiled(spec) for name, spec in ACTIONS.items()}


def validate(action: str, params: dict) -> dict:
    """Check ``params`` against ``action``'s table entry; return them without ``None`` values.

    ``None`` means "not given", as the SDKs omit unset fields.
    """
    if not isinstance(params, dict):
        raise KMSError("InvalidParameter", "the parameters must be a JSON object")
    compiled = _COMPILED[action]
    checkers = compiled.checkers
    clean = {}
    for name, value in params.items():
        if value is None:
            continue
        checker = checkers.get(name)
        if checker is None:
            raise KMSError(
                "UnknownParameter",
                f"{action} has no parameter {name!r}",
                detail_zh=f"{action} 没有参数 {name!r}",
            )
        checker(value, name)
        clean[name] = value
    for name in compiled.required:
        if name not in clean:
            raise KMSError(
                "MissingParameter",
                f"{action} requires {name}",
                detail_zh=f"{action} 缺少必选参数 {name}",
            )
    return clean
