"""Persistence in one SQLite file: open it, keep working, reopen it later.

Every call that changes keys commits one transaction before it answers (WAL journal,
``synchronous=FULL``), so a crash leaves each key as it was before the call or as it
is after it. The file holds only wrapped material; the root key lives elsewhere. One
service at a time owns the file: an exclusive lock on ``<path>.lock`` (released on
``close`` or when the process dies) refuses a second one.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Sequence
from typing import IO, Any

from kmslab.store.base import Store, StoredState, StoreLocked, WrongRootKey

fcntl: Any
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (uin INTEGER NOT NULL UNIQUE, record TEXT NOT NULL);
"""
_PUT_META = "INSERT OR REPLACE INTO meta VALUES (?, ?)"
_TABLE_NAME = re.compile(r"[a-z_]+")


_BRIEF_COLUMNS = (("name", "TEXT"), ("created", "REAL"), ("brief", "TEXT"), ("due", "REAL"))
"""Columns beside each record (see ``StoredRow``); files of older versions gain them."""


def _kind_sql(kind) -> tuple[str, str, str, str]:
    """(create, upsert, delete, select) statements of one resource kind's table.

    Upserts keep a row's rowid, so rows load in creation order: resources created in
    the same second keep their listing order.
    """
    table, column = kind.table, kind.id_column
    if not (_TABLE_NAME.fullmatch(table) and _TABLE_NAME.fullmatch(column)):
        raise ValueError(f"resource kind {kind.name}: bad table or column name")
    extra = "".join(f", {name} {sql_type}" for name, sql_type in _BRIEF_COLUMNS)
    create = (
        f"CREATE TABLE IF NOT EXISTS {table} ({column} TEXT PRIMARY KEY, "
        f"uin INTEGER NOT NULL, region TEXT NOT NULL, record TEXT NOT NULL{extra})"
    )
    upsert = (
        f"INSERT INTO {table} ({column}, uin, region, record, name, created, brief, due) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT({column}) DO UPDATE SET "
        "uin=excluded.uin, region=excluded.region, record=excluded.record, "
        "name=excluded.name, created=excluded.created, brief=excluded.brief, due=excluded.due"
    )
    select = (
        f"SELECT {column}, uin, region, name, created, brief, due, record FROM {table} "
        "ORDER BY rowid"
    )
    return create, upsert, f"DELETE FROM {table} WHERE {column} = ?", select


_PUT_ACCOUNT = (
    "INSERT INTO accounts VALUES (?, ?) ON CONFLICT(uin) DO UPDATE SET record=excluded.record"
)
SYNCHRONOUS = ("FULL", "NORMAL")


def _lock(path: str) -> IO[bytes] | None:
    """Hold an exclusive advisory lock on ``path + ".lock"``, or raise StoreLocked.

    ``flock`` belongs to the open file, so it also refuses a second store in the same
    process, and the kernel drops it when the process dies (no stale lock after a crash).
    """
    if path == ":memory:" or path.startswith("file:"):
        return None
    handle = open(f"{path}.lock", "a+b")  # noqa: SIM115 - held open until close()
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows: lock the first byte instead
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        handle.close()
        raise StoreLocked(
            f"{path} is already open in another kmslab service (lock {path}.lock): "
            "close that service first"
        ) from None
    return handle


class SQLiteStore(Store):
    """A durable store in the SQLite file at ``path``.

    ``synchronous`` is SQLite's setting: ``"FULL"`` (the default) survives power loss,
    ``"NORMAL"`` survives a crash of the process only, and is faster.
    """

    def __init__(self, path: str | os.PathLike, synchronous: str = "FULL") -> None:
        if synchronous not in SYNCHRONOUS:
            raise ValueError("synchronous is FULL or NORMAL")
        self.path = os.fspath(path)
        self.synchronous = synchronous
        self._db: sqlite3.Connection | None = None
        self._lock = _lock(self.path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            self.close()
            raise
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={synchronous}")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ValueError(f"{self.path} is not a kmslab SQLite store ({exc})") from None

    def _transaction(self, statements) -> None:
        """Run ``(sql, rows)`` pairs as one atomic transaction: all of them, or none."""
        db = self._db
        if db is None:
            raise ValueError(f"the store {self.path} is closed")
        db.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in statements:
                if rows:
                    db.executemany(sql, rows)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _meta(self, name: str) -> str | None:
        if self._db is None:
            raise ValueError(f"the store {self.path} is closed")
        row = self._db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def load(self, root_fingerprint: str, kinds: Sequence = ()) -> StoredState:
        root = self._meta("root")
        if root is not None and root != root_fingerprint:
            self.close()
            raise WrongRootKey(f"{self.path} was written under another root key")
        sessions = int(self._meta("sessions") or 0)
        self._transaction(
            [(_PUT_META, [("root", root_fingerprint), ("sessions", str(sessions + 1))])]
        )
        db = self._db
        assert db is not None
        for kind in kinds:
            db.execute(_kind_sql(kind)[0])
            have = {row[1] for row in db.execute(f"PRAGMA table_info({kind.table})")}
            for name, sql_type in _BRIEF_COLUMNS:  # a file an older kmslab wrote
                if name not in have:
                    db.execute(f"ALTER TABLE {kind.table} ADD COLUMN {name} {sql_type}")
        clock = self._meta("clock")
        return StoredState(
            accounts=[
                json.loads(r) for (r,) in db.execute("SELECT record FROM accounts ORDER BY rowid")
            ],
            rows={kind.name: db.execute(_kind_sql(kind)[3]).fetchall() for kind in kinds},
            clock=float(clock) if clock else None,
            sessions=sessions,
        )

    def commit(self, changes, clock) -> None:
        statements: list[tuple[str, list[tuple]]] = []
        for kind, upserts, removed, briefs in changes:
            _, upsert, delete, _ = _kind_sql(kind)
            rows: list[tuple] = []
            for obj, (brief, due) in zip(upserts, briefs, strict=True):
                uin, region = kind.scope_of(obj)
                rows.append(
                    (
                        kind.id_of(obj),
                        uin,
                        region,
                        json.dumps(kind.to_record(obj), separators=(",", ":")),
                        kind.name_of(obj),
                        float(kind.created_of(obj)),
                        brief,
                        float(due),
                    )
                )
            statements.append((upsert, rows))
            statements.append((delete, [(kind.id_of(obj),) for obj in removed]))
        statements.append((_PUT_META, [("clock", repr(float(clock)))]))
        self._transaction(statements)

    def write_accounts(self, accounts) -> None:
        self._transaction(
            [
                (
                    _PUT_ACCOUNT,
                    [(a.uin, json.dumps(a.to_record())) for a in accounts],
                )
            ]
        )

    def write_clock(self, clock: float) -> None:
        self._transaction([(_PUT_META, [("clock", repr(float(clock)))])])

    def close(self) -> None:
        """Checkpoint the WAL into the main file, close it and release the lock; closing
        twice is harmless."""
        db, self._db = self._db, None
        lock, self._lock = getattr(self, "_lock", None), None
        try:
            if db is not None:
                try:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.DatabaseError:
                    pass  # not a database after all (the constructor is reporting that)
                finally:
                    db.close()
        finally:
            if lock is not None:
                lock.close()  # closing the file releases the flock
