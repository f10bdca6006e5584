"""The CMK resource kind: how customer master keys are identified, copied, persisted and
listed.

Its facets serve ListKeys and ListKeyDetail: every key is entered under each
combination of its state, origin and usage with the others left open (``None``), so
that any filter of those three picks exactly one list, already in creation order.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Hashable
from itertools import product

from kmslab.core.model import DISABLED, ENABLED, PENDING_IMPORT, Key
from kmslab.core.resources import ResourceKind

LISTED_BY_LIST_KEYS = (ENABLED, DISABLED, PENDING_IMPORT)
"""The states ListKeys shows (it leaves out PendingDelete and Archived keys)."""


def role_of(key: Key) -> int:
    """``Role`` 0 lists the user's own keys, 1 the keys cloud products made."""
    return 0 if key.owner == "user" else 1


def detail_facet(role: int, state: str | None, origin: str | None, usage: str | None):
    """The facet list of ListKeyDetail for these filters (``None``: any value)."""
    return ("detail", role, state, origin, usage)


def listed_facet(role: int) -> tuple:
    """The facet list of ListKeys."""
    return ("listed", role)


@functools.lru_cache(maxsize=1024)
def _facets_for(role: int, state: str, origin: str, usage: str) -> tuple[Hashable, ...]:
    # Cached: every key with the same attributes shares one tuple of facet keys.
    out: list[Hashable] = [
        detail_facet(role, s, o, u)
        for s, o, u in product((state, None), (origin, None), (usage, None))
    ]
    if state in LISTED_BY_LIST_KEYS:
        out.append(listed_facet(role))
    return tuple(out)


def _facets(key: Key) -> tuple[Hashable, ...]:
    return _facets_for(role_of(key), key.state, key.origin, key.usage)


def _facet_key(key: Key) -> str:
    # The four attributes the facets come from; none of them can hold a "|".
    return f"{role_of(key)}|{key.state}|{key.origin}|{key.usage}"


@functools.lru_cache(maxsize=1024)
def _facets_from_key(text: str) -> tuple[Hashable, ...]:
    role, state, origin, usage = text.split("|")
    return _facets_for(int(role), state, origin, usage)


def _material_marks(key: Key) -> frozenset[bytes]:
    wrapping = (base64.b64decode(e["wrapped"]) for e in key.extra.get("wrapping_keys", ()))
    return frozenset([*(v.wrapped for v in key.versions), *wrapping])


CMK = ResourceKind(
    name="cmk",
    table="keys",
    id_column="key_id",
    id_of=lambda key: key.key_id,
    name_of=lambda key: key.alias,
    scope_of=lambda key: (key.uin, key.region),
    created_of=lambda key: key.create_time,
    facets=_facets,
    copy=Key.copy,
    to_record=Key.to_record,
    from_record=Key.from_record,
    material_marks=_material_marks,
    facet_key=_facet_key,
    facets_from_key=_facets_from_key,
)
