"""The ``KMS`` object: one simulated deployment, and the single path every call takes.

Accounts, regions, the root key, the clock, the random source and the store meet here.
``call`` validates against the action table, throttles, dispatches to the registered
handler, persists what changed, records the call and answers with ``RequestId``; the
Pythonic methods, the wire endpoint and the notebook face all go through it.
"""

from __future__ import annotations

import os
import string
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.actions.validate import validate
from kmslab.core import asymmetric as _asymmetric
from kmslab.core import byok as _byok
from kmslab.core import handlers as _handlers  # noqa: F401  (registers every action)
from kmslab.core.clock import Clock, VirtualClock
from kmslab.core.context import CallContext
from kmslab.core.facade import AccountView, ActionMethods
from kmslab.core.material import open_version
from kmslab.core.model import Account, Credential, Key
from kmslab.core.regions import DEFAULT_REGION, DEFAULT_REGIONS, PROFILES, SYMMETRIC_SUITE
from kmslab.core.registry import HANDLERS, JOB_HANDLERS
from kmslab.core.scheduler import Event, Scheduler
from kmslab.core.simulation import CallLog, QpsLimiter
from kmslab.crypto.randomness import RandomSource, make_random
from kmslab.crypto.suites import SUITES_BY_ID, AeadSuite, PreparedKey
from kmslab.crypto.wrapping import RootKey
from kmslab.store.base import Store
from kmslab.store.memory import MemoryStore

_ALNUM = string.ascii_letters + string.digits
_SUITE_BY_TYPE = {suite.metadata_type: suite for suite in SUITES_BY_ID.values()}


def _store_failed(exc: BaseException) -> KMSError:
    """The answer when the store could not commit: the change did not happen."""
    return KMSError(
        "InternalError",
        f"the store could not commit the change ({type(exc).__name__}); nothing was changed",
        detail_zh="存储写入失败，本次变更未生效",
    )


def _extensions(names: Iterable[str]) -> frozenset[str]:
    """The validated set of opt-in extensions; ``pqc`` needs ``pqcrypto`` installed."""
    if isinstance(names, str):
        raise ValueError("extensions is a list of names, for example ['pqc']")
    chosen = frozenset(names)
    unknown = chosen - {"pqc"}
    if unknown:
        raise ValueError(f"unknown extensions {sorted(unknown)}; the one extension is 'pqc'")
    if "pqc" in chosen:
        from kmslab.crypto import pqc_families

        if not pqc_families.available():
            raise ValueError("extensions=['pqc'] needs pqcrypto: pip install 'kmslab[lab]'")
    return chosen


@dataclass(frozen=True)
class ApiKey:
    """An account's API key pair in the clear, as the console would show it to its owner.

    ``token`` and ``expires`` are set for temporary credentials.
    """

    uin: int
    secret_id: str
    secret_key: str
    token: str = ""
    expires: int = 0

    def __repr__(self) -> str:  # never print the secret
        return f"ApiKey(uin={self.uin}, secret_id={self.secret_id!r}, secret_key=<hidden>)"


class KMS(ActionMethods):
    """One simulated Tencent Cloud KMS deployment, with real cryptography.

    * ``seed``: deterministic mode (INSECURE, reproducible): seeded randomness and a
      virtual clock starting at a fixed instant (``start`` overrides it).
    * ``clock``: ``None`` (real time, or virtual in deterministic mode), ``"virtual"``,
      or a :class:`~kmslab.core.clock.Clock`.
    * ``path``: an SQLite file for persistence; the root key then lives in
      ``path + ".rootkey"`` unless ``root_key`` (bytes or a key-file path) is given.
      One service at a time owns the file: a second one opening it raises
      :class:`~kmslab.store.base.StoreLocked` (a ValueError) until the first is closed.
    * ``durability``: SQLite's ``synchronous`` setting for ``path``: ``"FULL"`` (the
      default) makes every answered change survive a power loss; ``"NORMAL"`` survives
      a crash of the process only (the last changes may be lost with the machine), and
      writes are faster. It does not apply to a ``store`` given directly.
    * ``regions``: region -> ``"FIPS"`` or ``"SM"``; ``region``: the default region.
    * ``qps``: ``"off"``, ``"documented"`` or a scale factor for the documented limits.
    * ``language``: the message language of the Python face (``en-US`` or ``zh-CN``).
    * ``extensions``: opt-in kmslab features beyond Tencent's API; ``["pqc"]`` adds the
      ``KMSLAB_EXT_PQC_*`` key usages (every ``pqcrypto`` family, docs/algorithms.md).
      Off by default, so the service stays exact to Tencent.
    """

    def __init__(
        self,
        *,
        seed: int | str | bytes | None = None,
        clock: Clock | str | None = None,
        start: float | None = None,
        path: str | os.PathLike | None = None,
        root_key: bytes | str | os.PathLike | None = None,
        regions: dict[str, str] | None = None,
        region: str | None = None,
        qps: str | float = "off",
        language: str = "en-US",
        record_limit: int = 100_000,
        cmk_limit: int = 100_000,
        store: Store | None = None,
        durability: str = "FULL",
        extensions: Iterable[str] = (),
    ) -> None:
        if durability not in ("FULL", "NORMAL"):
            raise ValueError(f"durability is 'FULL' or 'NORMAL', not {durability!r}")
        self.extensions: frozenset[str] = _extensions(extensions)
        self.random: RandomSource = make_random(seed)
        self.deterministic = seed is not None
        if clock is None:
            clock = VirtualClock(start) if (seed is not None or start is not None) else Clock()
        elif clock == "virtual":
            clock = VirtualClock(start)
        elif not isinstance(clock, Clock):
            raise ValueError("clock is None, 'virtual' or a kmslab Clock")
        self.clock = clock
        self.regions = dict(regions or DEFAULT_REGIONS)
        for name, profile in self.regions.items():
            if profile not in PROFILES:
                raise ValueError(f"region {name}: the profile is FIPS or SM, not {profile!r}")
        self.default_region = region or (
            DEFAULT_REGION if DEFAULT_REGION in self.regions else next(iter(self.regions))
        )
        if self.default_region not in self.regions:
            raise ValueError(f"unknown default region {self.default_region!r}")
        self.language = language
        self.cmk_limit = cmk_limit
        self.limiter = QpsLimiter(qps)
        self.log = CallLog(record_limit)
        self.events: deque[Event] = deque(maxlen=record_limit)
        self.scheduler = Scheduler()
        # One call at a time: the notebook thread and the wire endpoint's thread share us.
        self.lock = threading.RLock()

        self.root_key = self._root_key(root_key, path)
        if store is None:
            if path is not None:
                from kmslab.store.sqlite import SQLiteStore

                store = SQLiteStore(path, synchronous=durability)
            else:
                store = MemoryStore()
        self.store = store
        self._keys: dict[tuple[int, str], dict[str, Key]] = {}
        self._aliases: dict[tuple[int, str], dict[str, str]] = {}
        self._prepared: dict[tuple[str, int], PreparedKey] = {}
        self._accounts: dict[int, Account] = {}
        self._secret_ids: dict[str, tuple[int, Credential]] = {}
        self._load()
        if isinstance(self.clock, VirtualClock):
            self.clock.attach(self._run_due_until)

    # -- construction -------------------------------------------------------------

    def _root_key(self, root_key, path) -> RootKey:
        if isinstance(root_key, (bytes, bytearray)):
            return RootKey(bytes(root_key), self.random)
        if root_key is not None:
            return RootKey.load_or_create(root_key, self.random)
        if path is not None and not self.deterministic:
            return RootKey.load_or_create(f"{os.fspath(path)}.rootkey", self.random)
        return RootKey.generate(self.random)

    def _load(self) -> None:
        state = self.store.load(self.root_key.fingerprint)
        # A seeded service reopening its state must not replay an earlier session's bytes.
        self.session = state.sessions
        if state.sessions:
            self.random.fork(f"session {state.sessions}")
        for rec in state.accounts:
            self._add_account(Account.from_record(rec))
        for rec in state.keys:
            self.add_key(Key.from_record(rec))
        if state.clock is not None and isinstance(self.clock, VirtualClock):
            self.clock._jump(max(self.clock.now(), state.clock))
        if not self._accounts:
            self.create_account("default")
        self.default_uin = next(iter(self._accounts))
        for key in self.all_keys():
            for kind, job in JOB_HANDLERS.items():
                due = job.due(key)
                if due:
                    self.scheduler.add(due, kind, (key.uin, key.region, key.key_id))

    # -- accounts and credentials -------------------------------------------------

    def _add_account(self, account: Account) -> None:
        self._accounts[account.uin] = account
        for cred in account.credentials:
            self._secret_ids[cred.secret_id] = (account.uin, cred)

    def _new_credential(self, uin: int, token: str = "", expires: int = 0) -> ApiKey:
        secret_id = "AKID" + "".join(_ALNUM[self.random.randbelow(62)] for _ in range(32))
        secret_key = "".join(_ALNUM[self.random.randbelow(62)] for _ in range(32))
        wrapped = self.root_key.wrap(
            secret_key.encode(),
            purpose="secret-key",
            account=str(uin),
            region="",
            key_id=secret_id,
        )
        cred = Credential(secret_id, wrapped, token, expires)
        self._accounts[uin].credentials.append(cred)
        self._secret_ids[secret_id] = (uin, cred)
        self.store.write_accounts([self._accounts[uin]])
        return ApiKey(uin, secret_id, secret_key, token, expires)

    def create_account(self, name: str = "") -> ApiKey:
        """Open a new account (tenant) with one API key pair, and return that pair."""
        uin = 100000000000 + self.random.randbelow(900000000000)
        while uin in self._accounts:
            uin = 100000000000 + self.random.randbelow(900000000000)
        app_id = 1250000000 + self.random.randbelow(100000000)
        self._add_account(Account(uin, app_id, name))
        return self._new_credential(uin)

    def create_temporary_credential(self, uin: int | None = None, duration: int = 7200) -> ApiKey:
        """A temporary key pair with a token, valid for ``duration`` seconds of service time."""
        uin = self.default_uin if uin is None else uin
        self.account(uin)
        token = "".join(_ALNUM[self.random.randbelow(62)] for _ in range(64))
        return self._new_credential(uin, token, int(self.clock.now()) + duration)

    def account(self, uin: int | None = None) -> Account:
        """The account ``uin`` (the default account if None)."""
        try:
            return self._accounts[self.default_uin if uin is None else uin]
        except KeyError:
            raise ValueError(f"no account {uin}") from None

    @property
    def accounts(self) -> list[int]:
        """The Uins of every account."""
        return list(self._accounts)

    def api_keys(self, uin: int | None = None) -> list[ApiKey]:
        """The account's API key pairs in the clear, for configuring clients."""
        account = self.account(uin)
        return [self._reveal(account.uin, c) for c in account.credentials]

    def _reveal(self, uin: int, cred: Credential) -> ApiKey:
        secret = self.root_key.unwrap(
            cred.wrapped_secret_key,
            purpose="secret-key",
            account=str(uin),
            region="",
            key_id=cred.secret_id,
        )
        return ApiKey(uin, cred.secret_id, secret.decode(), cred.token, cred.expires)

    def lookup_secret_id(self, secret_id: str) -> ApiKey | None:
        """The key pair behind ``secret_id``, for the wire endpoint's signature checks."""
        found = self._secret_ids.get(secret_id)
        return self._reveal(*found) if found else None

    def as_account(
        self, uin: int, region: str | None = None, language: str | None = None
    ) -> AccountView:
        """The same service seen by another account (and optionally region)."""
        self.account(uin)
        region = region or self.default_region
        if region not in self.regions:
            raise ValueError(f"unknown region {region!r}")
        return AccountView(self, uin, region, language or self.language)

    def in_region(self, region: str) -> AccountView:
        """The default account in another region."""
        return self.as_account(self.default_uin, region)

    # -- keys -----------------------------------------------------------------------

    def keys_of(self, uin: int, region: str) -> dict[str, Key]:
        """The live key table of one account and region (empty if it has none)."""
        keys = self._keys.get((uin, region))
        if keys is None:
            keys = self._keys[(uin, region)] = {}
        return keys

    def add_key(self, key: Key) -> None:
        """Enter a new (or loaded) key into the tables and its alias into the index."""
        self.keys_of(key.uin, key.region)[key.key_id] = key
        self._aliases.setdefault((key.uin, key.region), {})[key.alias] = key.key_id

    def drop_key(self, key: Key) -> None:
        """Forget a key for good: tables, alias index and every cached secret."""
        self.keys_of(key.uin, key.region).pop(key.key_id, None)
        aliases = self._aliases.get((key.uin, key.region), {})
        if aliases.get(key.alias) == key.key_id:
            del aliases[key.alias]
        self.forget_material(key)

    def forget_material(self, key: Key) -> None:
        """Drop every unwrapped object cached for ``key``'s versions: symmetric ciphers,
        asymmetric and PQC private keys, import wrapping keys. Called when a key goes or
        its material does, so no secret of it outlives it in memory; the next use (if the
        key still exists) unwraps again from the stored, wrapped form."""
        for v in key.versions:
            self._prepared.pop((key.key_id, v.version), None)
        _asymmetric.forget_cached(self, key)
        _byok.forget_wrapping_keys(key)

    def alias_owner(self, uin: int, region: str, alias: str) -> str | None:
        """The key id holding ``alias`` in this account and region, if any."""
        return self._aliases.get((uin, region), {}).get(alias)

    def rename(self, key: Key, alias: str) -> None:
        """Move ``key`` to a new alias in the index and on the key."""
        aliases = self._aliases.setdefault((key.uin, key.region), {})
        if aliases.get(key.alias) == key.key_id:
            del aliases[key.alias]
        key.alias = alias
        aliases[alias] = key.key_id

    def symmetric_suite(self, region: str) -> AeadSuite:
        """The AEAD of ``region``'s crypto profile."""
        return SYMMETRIC_SUITE[self.regions[region]]

    def prepared_key(self, key: Key, version: int | None = None) -> PreparedKey:
        """The cipher of a symmetric key version, unwrapped once and then cached."""
        v = key.versions[-1] if version is None else key.versions[version - 1]
        cached = self._prepared.get((key.key_id, v.version))
        if cached is None:
            material = open_version(self.root_key, key, v, "cmk")
            cached = _SUITE_BY_TYPE[key.metadata_type].prepare(material)
            self._prepared[(key.key_id, v.version)] = cached
        return cached

    def all_keys(self) -> Iterable[Key]:
        """Every key of every account and region (for stores and snapshots)."""
        for keys in self._keys.values():
            yield from keys.values()

    # -- time -----------------------------------------------------------------------

    def _run_due_until(self, until: float) -> list[Event]:
        """Run every job due at or before ``until``, in due order, each at its own time."""
        with self.lock:
            events = self._run_jobs(until)
            if isinstance(self.clock, VirtualClock):
                try:
                    self.store.write_clock(until)
                except Exception as exc:
                    raise _store_failed(exc) from exc
            return events

    def _run_jobs(self, until: float) -> list[Event]:
        events: list[Event] = []
        virtual = isinstance(self.clock, VirtualClock)
        while (job := self.scheduler.pop_due(until)) is not None:
            if virtual:
                self.clock._jump(max(self.clock.now(), job.due))
            uin, region, key_id = job.ref
            key = self.keys_of(uin, region).get(key_id)
            if key is None:
                continue
            ctx = CallContext(self, uin, region, job.due, "")
            event = JOB_HANDLERS[job.kind].run(ctx, key, job.due)
            if event is not None:
                self._persist(ctx)
                self.events.append(event)
                events.append(event)
        return events

    def run_due_jobs(self) -> list[Event]:
        """Run the jobs already due on the clock (a real clock moves by itself)."""
        return self._run_due_until(self.clock.now())

    # -- the call path --------------------------------------------------------------

    def _persist(self, ctx: CallContext) -> None:
        """Commit what the call changed; if the store fails, roll the touched keys back to
        their last committed state (memory then matches the store) and answer InternalError.
        """
        if ctx.changed or ctx.removed:
            try:
                self.store.write_keys(
                    list(ctx.changed.values()) if ctx.changed else [], ctx.removed or [], ctx.now
                )
            except Exception as exc:
                self._roll_back(ctx)
                raise _store_failed(exc) from exc

    def _roll_back(self, ctx: CallContext) -> None:
        """Replace every key the call touched or removed by its committed record (a key
        the store never held vanishes), and drop the caches of the abandoned versions."""
        touched = list(ctx.changed.values()) if ctx.changed else []
        removed = ctx.removed or []
        ids = [k.key_id for k in touched] + [k.key_id for k in removed]
        committed = self.store.committed_keys(ids)
        if committed is None:
            return  # this store cannot tell; its writes are not expected to fail
        for key in touched:
            self.drop_key(key)
        for key in removed:
            self.forget_material(key)
        restored = [Key.from_record(rec) for rec in committed.values()]
        for key in restored:
            self.add_key(key)
            for kind, job in JOB_HANDLERS.items():
                due = job.due(key)
                if due:
                    self.scheduler.add(due, kind, (key.uin, key.region, key.key_id))

    def call(
        self,
        action: str,
        params: dict | None = None,
        *,
        uin: int | None = None,
        region: str | None = None,
        language: str | None = None,
    ) -> dict:
        """Run ``action`` with wire-named ``params`` as account ``uin`` in ``region``.

        Returns the documented response fields plus ``RequestId``; raises
        :class:`~kmslab.actions.errors.KMSError` with the documented code otherwise.
        """
        with self.lock:
            return self._call(action, params, uin, region, language)

    def _call(self, action, params, uin, region, language) -> dict:
        wall = time.perf_counter()
        request_id = self.random.uuid4()
        uin = self.default_uin if uin is None else uin
        region = self.default_region if region is None else region
        now = self.clock.now()
        key_id = ""
        error = ""
        ctx = None
        try:
            if now >= self.scheduler.next_due:
                self._run_due_until(now)
            if not isinstance(action, str) or action not in ACTIONS:
                raise KMSError("InvalidAction", f"there is no action {action!r}")
            if region not in self.regions:
                raise KMSError("UnsupportedRegion", f"kmslab has no region {region!r}")
            if uin not in self._accounts:
                raise KMSError("UnauthorizedOperation", f"there is no account {uin}")
            self.limiter.admit(uin, action, now)
            params = validate(action, params if params is not None else {})
            key_id = params.get("KeyId", "")
            handler = HANDLERS.get(action)
            if handler is None:
                raise KMSError(
                    "UnsupportedOperation",
                    f"{action} is not built in this version of kmslab yet",
                    detail_zh=f"kmslab 当前版本尚未实现 {action}",
                )
            ctx = CallContext(self, uin, region, now, request_id)
            result = handler(ctx, params)
            self._persist(ctx)
            key_id = result.get("KeyId", key_id)
            result["RequestId"] = request_id
            return result
        except KMSError as exc:
            error = exc.code
            exc.request_id = request_id
            exc.language = language or self.language
            raise
        except Exception as exc:  # a kmslab bug anywhere on the path: answer as the service would
            error = "InternalError"
            if ctx is not None and (ctx.changed or ctx.removed):
                self._roll_back(ctx)  # leave no half-changed key where the store can tell
            raise KMSError(
                "InternalError",
                f"{type(exc).__name__} in {action}",
                request_id=request_id,
                language=language or self.language,
            ) from exc
        finally:
            self.log.add(action, uin, region, key_id, now, wall, time.perf_counter() - wall, error)

    # -- the wire endpoint (kmslab.server) -------------------------------------------

    def serve(self, *, host: str = "127.0.0.1", port: int = 0, https: bool = False, **kwargs):
        """Start the API 3.0 endpoint over this service in a background thread; returns a
        handle with ``url``, ``cert_path`` and ``stop()`` (see :mod:`kmslab.server`)."""
        from kmslab.server.runner import start

        return start(self, host=host, port=port, https=https, **kwargs)

    def sdk_client(self, region: str | None = None, **kwargs):
        """An official ``tencentcloud`` ``KmsClient`` pointed at this service's running
        endpoint (an HTTP one is started if none runs), with valid credentials."""
        from kmslab.server.runner import sdk_client

        return sdk_client(self, region, **kwargs)

    # -- persistence ----------------------------------------------------------------

    def save_snapshot(self, path: str | os.PathLike) -> None:
        """Write the whole state (wrapped material only) to ``path`` atomically."""
        from kmslab.store.snapshot import save_snapshot

        save_snapshot(self, path)

    @classmethod
    def load_snapshot(cls, path: str | os.PathLike, *, root_key, **kwargs) -> KMS:
        """A new service holding the state saved at ``path``; needs the same root key."""
        from kmslab.store.snapshot import SnapshotStore

        return cls(root_key=root_key, store=SnapshotStore(path), **kwargs)

    def export_root_key(self) -> bytes:
        """The root key bytes, to keep apart from snapshots (never store them together)."""
        return self.root_key.export()

    def close(self) -> None:
        """Close the store (an SQLite file); the service is unusable afterwards."""
        self.store.close()

    def __enter__(self) -> KMS:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "deterministic (INSECURE)" if self.deterministic else "secure"
        return (
            f"<KMS {mode}, {len(self._accounts)} account(s), "
            f"{sum(len(k) for k in self._keys.values())} key(s), clock {self.clock!r}>"
        )
