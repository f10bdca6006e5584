"""The final action table: the generated catalog with the hand-written limits merged in.

This is the one description of the API that validation, dispatch, the wire endpoint and
the notebook read. It is checked when imported, so a limit naming an action or a
parameter that does not exist (a typo, or a catalog regenerated from a changed spec)
stops kmslab at once instead of silently never being enforced.
"""

from __future__ import annotations

from dataclasses import replace

from kmslab.actions import catalog
from kmslab.actions.limits import LIMITS, RESEARCHED_QPS, STRUCT_LIMITS
from kmslab.actions.spec import (
    INTEGER,
    INTEGER_SIGNED,
    SCALAR_TYPES,
    STRING,
    ActionSpec,
    Limits,
    Param,
    Struct,
)

__all__ = ["ACTIONS", "GROUPS", "STRUCTS", "TableError"]


class TableError(Exception):
    """The limits do not fit the catalog: raised at import, it is a kmslab bug."""


def _check_fits(where: str, param: Param, limits: Limits) -> None:
    """Refuse limits that could never apply to the parameter's type."""
    kind = "list" if param.is_list else param.type
    wrong = []
    if kind != "list" and (limits.max_items is not None or limits.unique_items):
        wrong.append("item limits on a non-list")
    if kind != STRING and (
        limits.min_length is not None
        or limits.max_length is not None
        or limits.max_bytes is not None
        or limits.pattern is not None
    ):
        wrong.append("string limits on a non-string")
    if kind not in (INTEGER, INTEGER_SIGNED) and (
        limits.minimum is not None or limits.maximum is not None
    ):
        wrong.append("numeric limits on a non-integer")
    if limits.choices is not None:
        expected = str if kind == STRING else int if kind in (INTEGER, INTEGER_SIGNED) else None
        if expected is None or not all(type(c) is expected for c in limits.choices):
            wrong.append("choices of the wrong type")
    if wrong:
        raise TableError(f"{where} ({param.type}): {', '.join(wrong)}")


def _merge(
    owners: dict[str, tuple[Param, ...]], limits: dict[tuple[str, str], Limits], kind: str
) -> dict[str, tuple[Param, ...]]:
    """``owners`` (action or structure name -> parameters) with ``limits`` applied."""
    merged = {name: list(params) for name, params in owners.items()}
    for (owner, name), lim in limits.items():
        if owner not in merged:
            raise TableError(f"limits name unknown {kind} {owner!r}")
        params = merged[owner]
        index = next((i for i, p in enumerate(params) if p.name == name), None)
        if index is None:
            raise TableError(f"limits name unknown parameter {owner}.{name}")
        _check_fits(f"{owner}.{name}", params[index], lim)
        params[index] = replace(params[index], limits=lim)
    return {name: tuple(params) for name, params in merged.items()}


def _build_structs() -> dict[str, Struct]:
    """The generated request structures with STRUCT_LIMITS applied."""
    fields = _merge({n: s.fields for n, s in catalog.STRUCTS.items()}, STRUCT_LIMITS, "structure")
    return {n: replace(s, fields=fields[n]) for n, s in catalog.STRUCTS.items()}


def _build_actions() -> dict[str, ActionSpec]:
    """The generated actions with LIMITS applied, after checking every type is known."""
    params = _merge({n: a.params for n, a in catalog.ACTIONS.items()}, LIMITS, "action")
    actions = {
        n: replace(a, params=params[n], qps=a.qps or RESEARCHED_QPS.get(n))
        for n, a in catalog.ACTIONS.items()
    }
    unknown = set(RESEARCHED_QPS) - set(actions)
    if unknown:
        raise TableError(f"researched QPS name unknown actions {sorted(unknown)}")
    known = {*SCALAR_TYPES, *catalog.STRUCTS}  # STRING_LIST's item type is STRING
    for owner, plist in [*params.items(), *((n, s.fields) for n, s in catalog.STRUCTS.items())]:
        for p in plist:
            if p.item_type not in known:
                raise TableError(f"{owner}.{p.name}: unknown type {p.type!r}")
    return actions


STRUCTS: dict[str, Struct] = _build_structs()
"""The request structures (Tag, TagFilter, MemberAccount, DeviceFingerprint) with limits;
their field checks apply wherever the structure appears."""

ACTIONS: dict[str, ActionSpec] = _build_actions()
"""Every action by name, in catalog order, with its limits: exactly what kmslab accepts."""

GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(name for name, spec in ACTIONS.items() if spec.group == group)
    for group in dict.fromkeys(spec.group for spec in ACTIONS.values())
}
"""Action names by catalog group (``key``, ``white-box``...) in catalog order, for the docs
and the notebook's menus."""
