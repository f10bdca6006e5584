"""Resource kinds and their repositories: how the service holds CMKs, data keys and
white-box keys, each with the indexes its actions need.

A :class:`ResourceKind` says how one kind of resource is named, copied, persisted and
listed; a :class:`Repository` holds every resource of one kind, scoped by (account,
region), with an id index, a name index and ordered *facet* lists. A facet list holds,
in creation order, the resources that share some attribute values (state, usage, ...),
so that a list action's page and ``TotalCount`` cost the page, not the whole table.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Scope = tuple[int, str]
"""(account Uin, region): every resource belongs to exactly one."""

Rank = tuple[float, int, str]
"""(creation time, insertion sequence, id): the listing order of a resource."""


@dataclass(frozen=True)
class ResourceKind:
    """How one kind of resource lives in the service.

    * ``name``: the kind's name (``"cmk"``); ``table``/``id_column``: where durable stores
      keep its records.
    * ``id_of``/``name_of``/``scope_of``/``created_of``: its identity, unique name
      (alias), owning scope and creation time.
    * ``facets(obj)``: the facet-list keys it belongs to (see the module docstring).
    * ``copy(obj)``: an independent copy that a unit of work may change freely.
    * ``to_record``/``from_record``: the JSON-ready form stores persist.
    * ``material_marks(obj)``: the wrapped forms of the secrets it holds; the service
      forgets any cached secret unwrapped from something no longer among them.
    * ``facet_key(obj)``/``facets_from_key(text)``: the facets as one short text and back
      (``facets_from_key(facet_key(obj)) == facets(obj)``). A kind that has them can be
      reopened from a durable store without parsing its records: each record is parsed
      the first time something reads that resource (:meth:`Repository.load_unread`).
    """

    name: str
    table: str
    id_column: str
    id_of: Callable[[Any], str]
    name_of: Callable[[Any], str]
    scope_of: Callable[[Any], Scope]
    created_of: Callable[[Any], float]
    facets: Callable[[Any], tuple[Hashable, ...]]
    copy: Callable[[Any], Any]
    to_record: Callable[[Any], dict]
    from_record: Callable[[dict], Any]
    material_marks: Callable[[Any], frozenset[bytes]] = lambda obj: frozenset()
    facet_key: Callable[[Any], str] | None = None
    facets_from_key: Callable[[str], tuple[Hashable, ...]] | None = None


class Unread:
    """A resource reopened from a store and not read since: its record, still JSON text,
    and its name (the indexes need it). :class:`Repository` parses it on first read, so
    reopening 100,000 keys costs reading rows, not building 100,000 objects."""

    __slots__ = ("record", "name")

    def __init__(self, record: str, name: str) -> None:
        self.record = record
        self.name = name


class _ScopeIndex:
    """The resources of one (account, region): by id, by name, and the facet lists."""

    __slots__ = ("by_id", "by_name", "_facets", "stale")

    def __init__(self) -> None:
        self.by_id: dict[str, Any] = {}
        self.by_name: dict[str, str] = {}
        self._facets: dict[Hashable, list[Rank]] = {}
        self.stale = False
        """True after a bulk load: the facet lists are built on their first use."""

    @property
    def facets(self) -> dict[Hashable, list[Rank]]:
        return self._facets


class Repository:
    """Every resource of one kind. Reads return live objects, which callers treat as
    read-only; changes come only through :meth:`put` and :meth:`delete`, which the unit
    of work calls after the store has committed."""

    def __init__(self, kind: ResourceKind) -> None:
        self.kind = kind
        self._scopes: dict[Scope, _ScopeIndex] = {}
        self._ranks: dict[str, Rank] = {}
        self._facets_of: dict[str, tuple[Hashable, ...]] = {}
        self._seq = 0

    # -- reads --------------------------------------------------------------------

    def get(self, scope: Scope, obj_id: str) -> Any | None:
        """The resource ``obj_id`` of ``scope``, or None (another scope's is None too)."""
        index = self._scopes.get(scope)
        if index is None:
            return None
        obj = index.by_id.get(obj_id)
        if obj.__class__ is Unread:
            return self._read(index, obj_id, obj)
        return obj

    def _read(self, index: _ScopeIndex, obj_id: str, unread: Unread) -> Any:
        """Parse a reopened resource's record, once: the object replaces it."""
        obj = index.by_id[obj_id] = self.kind.from_record(json.loads(unread.record))
        return obj

    def _live(self, index: _ScopeIndex, obj_id: str) -> Any:
        obj = index.by_id[obj_id]
        return self._read(index, obj_id, obj) if obj.__class__ is Unread else obj

    def owner_of_name(self, scope: Scope, name: str) -> str | None:
        """The id of the resource holding ``name`` in ``scope``, if any."""
        index = self._scopes.get(scope)
        return index.by_name.get(name) if index is not None else None

    def count(self, scope: Scope) -> int:
        """How many resources ``scope`` holds."""
        index = self._scopes.get(scope)
        return len(index.by_id) if index is not None else 0

    def _lists(self, scope: Scope) -> dict[Hashable, list[Rank]] | None:
        """The facet lists of ``scope``, built now if a bulk load left them for later."""
        index = self._scopes.get(scope)
        if index is None:
            return None
        if index.stale:
            self._build_facets(index)
        return index.facets

    def _build_facets(self, index: _ScopeIndex) -> None:
        lists: dict[Hashable, list[Rank]] = {}
        facets_of = self.kind.facets
        for obj_id, obj in index.by_id.items():
            if obj.__class__ is Unread:  # its facets came with it, from the store
                facets = self._facets_of[obj_id]
            else:
                facets = self._facets_of[obj_id] = facets_of(obj)
            rank = self._ranks[obj_id]
            for facet in facets:
                ranks = lists.get(facet)
                if ranks is None:
                    ranks = lists[facet] = []
                ranks.append(rank)
        for ranks in lists.values():
            ranks.sort()
        index._facets = lists
        index.stale = False

    def facet_size(self, scope: Scope, facet: Hashable) -> int:
        """How many resources of ``scope`` belong to ``facet``."""
        lists = self._lists(scope)
        return len(lists.get(facet, ())) if lists is not None else 0

    def page(
        self, scope: Scope, facet: Hashable, offset: int, limit: int, newest_first: bool = True
    ) -> list[Any]:
        """Resources ``offset`` to ``offset + limit`` of a facet list, in O(limit)."""
        lists = self._lists(scope)
        ranks = lists.get(facet) if lists is not None else None
        if not ranks or limit <= 0:
            return []
        index = self._scopes[scope]
        if newest_first:
            end = len(ranks) - offset
            chosen = ranks[max(0, end - limit) : max(0, end)][::-1]
        else:
            chosen = ranks[offset : offset + limit]
        return [self._live(index, rank[2]) for rank in chosen]

    def scan(self, scope: Scope, facet: Hashable, newest_first: bool = True) -> Iterator[Any]:
        """Every resource of a facet list in listing order (for filters no index serves)."""
        lists = self._lists(scope)
        ranks = lists.get(facet) if lists is not None else None
        if not ranks:
            return iter(())
        index = self._scopes[scope]
        ordered = reversed(ranks) if newest_first else iter(ranks)
        return (self._live(index, rank[2]) for rank in list(ordered))

    def in_scope(self, scope: Scope) -> list[Any]:
        """Every resource of ``scope``, oldest first."""
        index = self._scopes.get(scope)
        if index is None:
            return []
        ranks = self._ranks
        return [self._live(index, obj_id) for obj_id in sorted(index.by_id, key=ranks.__getitem__)]

    def scopes(self) -> list[Scope]:
        """Every scope that holds at least one resource."""
        return [scope for scope, index in self._scopes.items() if index.by_id]

    def all(self) -> Iterator[Any]:
        """Every resource of every scope, oldest first within each scope."""
        for scope in list(self._scopes):
            yield from self.in_scope(scope)

    def __len__(self) -> int:
        return len(self._ranks)

    # -- changes (only from a committed unit of work) -------------------------------

    def put(self, obj: Any) -> None:
        """Insert ``obj``, or replace the resource with its id, updating every index."""
        kind = self.kind
        obj_id = kind.id_of(obj)
        scope = kind.scope_of(obj)
        index = self._scopes.get(scope)
        if index is None:
            index = self._scopes[scope] = _ScopeIndex()
        old = index.by_id.get(obj_id)
        rank = self._ranks.get(obj_id)
        if old is None:
            self._seq += 1
            rank = (float(kind.created_of(obj)), self._seq, obj_id)
            self._ranks[obj_id] = rank
            old_facets: tuple[Hashable, ...] = ()
        else:
            old_facets = self._facets_of.get(obj_id, ())
            old_name = old.name if old.__class__ is Unread else kind.name_of(old)
            if index.by_name.get(old_name) == obj_id and old_name != kind.name_of(obj):
                del index.by_name[old_name]
        assert rank is not None
        new_facets = old_facets if index.stale else kind.facets(obj)  # stale: built later
        if old_facets != new_facets:
            kept = set(new_facets)
            for facet in old_facets:
                if facet not in kept:
                    _remove_rank(index.facets[facet], rank)
            before = set(old_facets)
            for facet in new_facets:
                if facet not in before:
                    _insert_rank(index.facets.setdefault(facet, []), rank)
            self._facets_of[obj_id] = new_facets
        index.by_id[obj_id] = obj
        name = kind.name_of(obj)
        if name:
            index.by_name[name] = obj_id

    def load(self, objs: Iterable[Any]) -> None:
        """Enter resources read from a store, in creation order: the bulk form of
        :meth:`put`. Only the id and name indexes are built now; a scope's facet lists
        are built (one pass and one sort) when a list action first needs them, so that
        reopening a large store costs what reading it costs."""
        kind = self.kind
        id_of, name_of, scope_of, created_of = (
            kind.id_of,
            kind.name_of,
            kind.scope_of,
            kind.created_of,
        )
        scopes = self._scopes
        ranks = self._ranks
        for obj in objs:
            obj_id = id_of(obj)
            scope = scope_of(obj)
            index = scopes.get(scope)
            if index is None:
                index = scopes[scope] = _ScopeIndex()
            if obj_id in index.by_id:
                self.put(obj)
                continue
            index.stale = True
            self._seq += 1
            ranks[obj_id] = (float(created_of(obj)), self._seq, obj_id)
            index.by_id[obj_id] = obj
            name = name_of(obj)
            if name:
                index.by_name[name] = obj_id

    def delete(self, obj: Any) -> None:
        """Forget ``obj`` (the resource with its id) and its index entries."""
        kind = self.kind
        obj_id = kind.id_of(obj)
        index = self._scopes.get(kind.scope_of(obj))
        if index is None or obj_id not in index.by_id:
            return
        current = index.by_id.pop(obj_id)
        rank = self._ranks.pop(obj_id)
        for facet in self._facets_of.pop(obj_id, ()):
            if not index.stale:
                _remove_rank(index.facets[facet], rank)
        name = current.name if current.__class__ is Unread else kind.name_of(current)
        if index.by_name.get(name) == obj_id:
            del index.by_name[name]

    def load_unread(
        self, scope: Scope, obj_id: str, name: str, created: float, facets_text: str, record: str
    ) -> None:
        """Enter one resource reopened from a store without parsing its record (see
        :class:`Unread`): the store kept its name, creation time and facet key beside it.
        Rows arrive in creation order, and a scope's facet lists wait for first use."""
        from_key = self.kind.facets_from_key
        assert from_key is not None
        index = self._scopes.get(scope)
        if index is None:
            index = self._scopes[scope] = _ScopeIndex()
        if obj_id in index.by_id:  # a store never holds an id twice; be safe anyway
            self.put(self.kind.from_record(json.loads(record)))
            return
        index.stale = True
        self._seq += 1
        self._ranks[obj_id] = (float(created), self._seq, obj_id)
        self._facets_of[obj_id] = from_key(facets_text)
        index.by_id[obj_id] = Unread(record, name)
        if name:
            index.by_name[name] = obj_id


def _insert_rank(ranks: list[Rank], rank: Rank) -> None:
    # Resources arrive in creation order almost always: appending is the common case.
    if not ranks or ranks[-1] < rank:
        ranks.append(rank)
    else:
        bisect.insort(ranks, rank)


def _remove_rank(ranks: list[Rank], rank: Rank) -> None:
    i = bisect.bisect_left(ranks, rank)
    if i < len(ranks) and ranks[i] == rank:
        del ranks[i]
