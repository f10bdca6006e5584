"""The read-only inspection API: what views, widgets and tests may see of a service.

Everything it returns is a copy taken under the service lock, so a reader in the
notebook thread never sees a table change under it while the wire endpoint serves, and
can never change the service by changing what it got. It shows metadata, versions,
fingerprints and records, never an unwrapped secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kmslab.core.model import Key
from kmslab.core.simulation import CallRecord

if TYPE_CHECKING:
    from kmslab.core.scheduler import Event
    from kmslab.core.service import KMS


class Inspector:
    """``kms.inspect``: copies of the service's resources, records and queues."""

    def __init__(self, kms: KMS) -> None:
        self._kms = kms

    def _scope(self, uin: int | None, region: str | None) -> tuple[int, str]:
        kms = self._kms
        return (kms.default_uin if uin is None else uin, region or kms.default_region)

    def resources(self, kind: str, uin: int | None = None, region: str | None = None) -> list:
        """Copies of every resource of ``kind`` in one account and region, oldest first."""
        kms = self._kms
        with kms.lock:
            repo = kms.state.repos[kind]
            return [repo.kind.copy(obj) for obj in repo.in_scope(self._scope(uin, region))]

    def keys(self, uin: int | None = None, region: str | None = None) -> list[Key]:
        """Copies of the CMKs of one account and region (default ones), oldest first."""
        return self.resources("cmk", uin, region)

    def tags(self, kind: str = "cmk", uin: int | None = None, region: str | None = None):
        """``{id: tags}`` of the resources of one account and region that have tags (tags
        are not metadata the list actions return; views add them as columns)."""
        kms = self._kms
        with kms.lock:
            repo = kms.state.repos[kind]
            return {
                repo.kind.id_of(obj): dict(obj.tags)
                for obj in repo.in_scope(self._scope(uin, region))
                if getattr(obj, "tags", None)
            }

    def key(self, key_id: str, uin: int | None = None, region: str | None = None) -> Key:
        """A copy of one CMK; KeyError if the account and region have no such key."""
        kms = self._kms
        with kms.lock:
            key = kms.state.repos["cmk"].get(self._scope(uin, region), key_id)
            if key is None:
                raise KeyError(key_id)
            return key.copy()

    def all(self, kind: str = "cmk") -> list:
        """Copies of every resource of ``kind`` in every account and region."""
        with self._kms.lock:
            repo = self._kms.state.repos[kind]
            return [repo.kind.copy(obj) for obj in repo.all()]

    def alias_owner(self, alias: str, uin: int | None = None, region: str | None = None):
        """The id of the key holding ``alias`` in one account and region, or None."""
        with self._kms.lock:
            return self._kms.state.repos["cmk"].owner_of_name(self._scope(uin, region), alias)

    def count(self, kind: str = "cmk") -> int:
        """How many resources of ``kind`` the service holds, over all accounts."""
        with self._kms.lock:
            return len(self._kms.state.repos[kind])

    def call_records(self, since: int = 0) -> list[CallRecord]:
        """The recorded calls with a sequence number above ``since``, oldest first."""
        kms = self._kms
        with kms.lock:
            return kms.log.since(since) if since else list(kms.log.records)

    def last_record_seq(self) -> int:
        """The sequence number of the newest call record (0 if none)."""
        with self._kms.lock:
            return self._kms.log.last_seq

    def events(self) -> list[Event]:
        """What happened on the clock (rotations, deletions, expiries), oldest first."""
        return self._kms.events

    def pending_jobs(self) -> dict[tuple, float]:
        """The clock-job queue: (job kind, resource) -> due instant."""
        with self._kms.lock:
            return self._kms.state.scheduler.pending()

    def cached_secrets(self, key_id: str) -> list:
        """Which slots of ``key_id`` the secret cache holds (names only, never secrets)."""
        with self._kms.lock:
            return self._kms.state.secrets.slots(key_id)

    def state(self) -> dict[str, Any]:
        """The whole persistent state as records, plus the job queue: what a test of
        all-or-nothing compares before and after a failed call."""
        kms = self._kms
        with kms.lock:
            return {
                "accounts": [kms.book.accounts[u].to_record() for u in kms.book.accounts],
                "resources": {
                    name: sorted(
                        (repo.kind.to_record(obj) for obj in repo.all()),
                        key=lambda rec: repr(sorted(rec.items())),
                    )
                    for name, repo in kms.state.repos.items()
                },
                "names": {
                    name: sorted(
                        (scope, n, repo.owner_of_name(scope, n))
                        for scope in repo.scopes()
                        for n in (repo.kind.name_of(o) for o in repo.in_scope(scope))
                    )
                    for name, repo in kms.state.repos.items()
                },
                "jobs": sorted(kms.state.scheduler.pending().items(), key=repr),
            }
