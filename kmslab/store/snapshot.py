"""Snapshots: the whole state of a service in one JSON file, saved and loaded atomically.

A snapshot holds wrapped material only; loading it needs the root key, which is kept
apart (``KMS.export_root_key``). A snapshot is how a notebook freezes and shares a
reproducible starting point.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kmslab.store.base import StoredState, WrongRootKey
from kmslab.store.memory import MemoryStore

if TYPE_CHECKING:
    from kmslab.core.service import KMS

FORMAT = "kmslab-snapshot/1"


def save_snapshot(kms: KMS, path: str | os.PathLike) -> None:
    """Write ``kms``'s state to ``path``: temp file, fsync, then rename over the target."""
    doc = {
        "format": FORMAT,
        "root": kms.root_key.fingerprint,
        "clock": kms.clock.now(),
        "sessions": getattr(kms, "session", 0) + 1,
        "accounts": [account.to_record() for account in kms.book.accounts.values()],
    }
    for repo in kms.state.repos.values():
        doc[repo.kind.table] = [repo.kind.to_record(obj) for obj in repo.all()]
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".snapshot-", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class SnapshotStore(MemoryStore):
    """Loads a snapshot, then keeps working in memory until the next ``save_snapshot``."""

    def __init__(self, path: str | os.PathLike) -> None:
        with open(path, encoding="utf-8") as f:
            self._doc = json.load(f)
        if self._doc.get("format") != FORMAT:
            raise ValueError(f"{path} is not a kmslab snapshot")

    def load(self, root_fingerprint: str, kinds=()) -> StoredState:
        if self._doc["root"] != root_fingerprint:
            raise WrongRootKey("the snapshot was saved under another root key")
        doc = self._doc
        resources = {kind.name: doc.get(kind.table, []) for kind in kinds}
        return StoredState(doc["accounts"], resources, doc["clock"], doc.get("sessions", 0))
