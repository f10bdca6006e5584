"""The default store: the service's in-memory repositories are the whole state.

Nothing is copied or serialised on the hot path; ``KMS.save_snapshot`` writes the state
to a file when the user asks for it.
"""

from __future__ import annotations

from kmslab.store.base import Store, StoredState


class MemoryStore(Store):
    """Keeps nothing beyond the live repositories: fast, and gone when the process ends."""

    def load(self, root_fingerprint, kinds) -> StoredState:
        return StoredState()

    def commit(self, changes, clock) -> None:
        return None

    def write_accounts(self, accounts) -> None:
        return None
