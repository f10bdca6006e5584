"""The one cache of unwrapped secrets a service keeps: symmetric ciphers, private keys,
import wrapping keys.

Unwrapping costs more than using, so a service keeps what it unwrapped, but only here:
bounded, per service (never per process), forgotten when the owning resource or its
material goes, and emptied on ``close()``. An entry remembers the wrapped bytes it came
from, so a resource whose material was replaced can never be served the old secret.
"""

from __future__ import annotations

from typing import Any

DEFAULT_CAPACITY = 4096


class SecretCache:
    """Unwrapped objects by (owner id, slot), bounded; the oldest entry goes first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("the secret cache holds at least one entry")
        self.capacity = capacity
        self._entries: dict[tuple[str, Any], tuple[bytes, Any]] = {}
        self._slots: dict[str, set] = {}

    def get(self, owner: str, slot: Any, wrapped: bytes) -> Any | None:
        """The object cached for ``(owner, slot)`` if it was unwrapped from ``wrapped``."""
        hit = self._entries.get((owner, slot))
        if hit is not None and (hit[0] is wrapped or hit[0] == wrapped):
            return hit[1]
        return None

    def put(self, owner: str, slot: Any, wrapped: bytes, obj: Any) -> Any:
        """Cache ``obj`` (unwrapped from ``wrapped``) and return it."""
        entries = self._entries
        if (owner, slot) not in entries and len(entries) >= self.capacity:
            old_owner, old_slot = next(iter(entries))
            del entries[(old_owner, old_slot)]
            slots = self._slots.get(old_owner)
            if slots is not None:
                slots.discard(old_slot)
                if not slots:
                    del self._slots[old_owner]
        entries[(owner, slot)] = (wrapped, obj)
        self._slots.setdefault(owner, set()).add(slot)
        return obj

    def forget(self, owner: str) -> None:
        """Drop everything cached for ``owner`` (a resource that went, or changed material)."""
        for slot in self._slots.pop(owner, ()):
            self._entries.pop((owner, slot), None)

    def holds(self, owner: str) -> bool:
        """Whether anything is cached for ``owner``."""
        return owner in self._slots

    def retain(self, owner: str, wrapped: frozenset[bytes]) -> None:
        """Keep only ``owner``'s entries unwrapped from one of ``wrapped`` (the material the
        resource still has): a rotated-away, deleted or expired secret leaves memory."""
        for slot in list(self._slots.get(owner, ())):
            if self._entries[(owner, slot)][0] not in wrapped:
                del self._entries[(owner, slot)]
                self._slots[owner].discard(slot)
        if not self._slots.get(owner, True):
            del self._slots[owner]

    def slots(self, owner: str) -> list:
        """What is cached for ``owner`` (slot names only, never the secrets)."""
        return sorted(self._slots.get(owner, ()), key=repr)

    def clear(self) -> None:
        """Forget every secret (``KMS.close``)."""
        self._entries.clear()
        self._slots.clear()

    def __len__(self) -> int:
        return len(self._entries)
