"""What the service asks of a store: load everything once, then persist each change.

The service keeps the live state in memory (reads never touch the store); a store makes
the changes of one call durable, atomically, before the call answers. Records are kept
by resource kind (CMKs, data keys, white-box keys), each in its own table.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kmslab.core.model import Account
    from kmslab.core.resources import ResourceKind

Brief = tuple["str | None", float]
"""What a durable store keeps beside a resource's record so that reopening need not parse
it: the kind's stamped facet key (None for a kind without one) and the earliest instant a
clock job falls due for it (0: none). See ``kmslab.core.unit_of_work.brief_of``."""

Change = tuple["ResourceKind", list[Any], list[Any], list[Brief]]
"""(kind, resources to insert or replace, resources to delete, the brief of each resource
inserted or replaced) of one unit of work."""

StoredRow = tuple[str, int, str, "str | None", "float | None", "str | None", "float | None", str]
"""A resource as a durable store returns it, unparsed: (id, uin, region, name, creation
time, brief, due, record JSON text); the name, time, brief and due are None in rows an
older kmslab wrote."""


class WrongRootKey(ValueError):
    """The store was written under another root key; nothing in it can be unwrapped."""


class StoreLocked(ValueError):
    """Another service (in this process or another) has the store open: two writers on
    one file would each overwrite the other's keys from their own in-memory tables."""


@dataclass
class StoredState:
    """What a store holds: account records, resource records by kind, and the clock.

    ``sessions`` counts the services that used this state before (0 for a fresh store):
    a seeded service continues on a fresh random stream per session instead of replaying
    the bytes (nonces, key material) an earlier session already used. A durable store
    answers ``rows`` (unparsed, with briefs) instead of ``resources`` (parsed records).
    """

    accounts: list[dict] = field(default_factory=list)
    resources: dict[str, list[dict]] = field(default_factory=dict)
    clock: float | None = None
    sessions: int = 0
    rows: dict[str, list[StoredRow]] = field(default_factory=dict)


class Store(ABC):
    """The interface; :class:`~kmslab.store.memory.MemoryStore` keeps nothing extra."""

    @abstractmethod
    def load(self, root_fingerprint: str, kinds: Sequence[ResourceKind]) -> StoredState:
        """Everything stored, after checking it was written under this root key."""

    @abstractmethod
    def commit(self, changes: Sequence[Change], clock: float) -> None:
        """Persist one unit of work's changes (and the clock) as a single atomic write;
        raise, having written nothing, if that is not possible."""

    @abstractmethod
    def write_accounts(self, accounts: list[Account]) -> None:
        """Persist new or changed accounts."""

    def write_clock(self, clock: float) -> None:  # noqa: B027 - only durable stores care
        """Persist the service clock alone (a virtual clock that moved with no key change),
        so that jobs still fall due at the right instant after a reopen."""

    def close(self) -> None:  # noqa: B027 - optional hook, most stores hold nothing
        """Release the store."""
