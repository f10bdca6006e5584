"""Persistence in one SQLite file: open it, keep working, reopen it later.

Every call that changes keys commits one transaction before it answers (WAL journal,
``synchronous=FULL``), so a crash leaves each key as it was before the call or as it
is after it. The file holds only wrapped material; the root key lives elsewhere.
"""

from __future__ import annotations

import json
import os
import sqlite3

from kmslab.store.base import Store, StoredState, WrongRootKey

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (uin INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
    key_id TEXT PRIMARY KEY, uin INTEGER NOT NULL, region TEXT NOT NULL, record TEXT NOT NULL
);
"""


class SQLiteStore(Store):
    """A durable store in the SQLite file at ``path``.

    ``synchronous`` is SQLite's setting: ``"FULL"`` (the default) survives power loss,
    ``"NORMAL"`` survives a crash of the process only, and is faster.
    """

    def __init__(self, path: str | os.PathLike, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL or NORMAL")
        self.path = os.fspath(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)

    def load(self, root_fingerprint: str) -> StoredState:
        row = self._db.execute("SELECT value FROM meta WHERE name='root'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('root', ?)", (root_fingerprint,))
        elif row[0] != root_fingerprint:
            raise WrongRootKey(f"{self.path} was written under another root key")
        clock = self._db.execute("SELECT value FROM meta WHERE name='clock'").fetchone()
        return StoredState(
            accounts=[json.loads(r) for (r,) in self._db.execute("SELECT record FROM accounts")],
            keys=[json.loads(r) for (r,) in self._db.execute("SELECT record FROM keys")],
            clock=float(clock[0]) if clock else None,
        )

    def write_keys(self, changed, removed, clock) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO keys VALUES (?, ?, ?, ?)",
                [(k.key_id, k.uin, k.region, json.dumps(k.to_record())) for k in changed],
            )
            db.executemany("DELETE FROM keys WHERE key_id = ?", [(k.key_id,) for k in removed])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('clock', ?)", (repr(float(clock)),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def write_accounts(self, accounts) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO accounts VALUES (?, ?)",
                [(a.uin, json.dumps(a.to_record())) for a in accounts],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._db.close()
