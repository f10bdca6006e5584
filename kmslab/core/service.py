"""The ``KMS`` object: one simulated deployment, its configuration and its public API.

Accounts, regions, the root key, the clock, the random source, the stores and the
dispatch of its action groups meet here. Every public method takes the service lock,
so the notebook thread and the wire endpoint's thread can share one service. The call
path is :mod:`kmslab.core.pipeline`, the clock jobs :mod:`kmslab.core.jobs`, accounts
:mod:`kmslab.core.accounts`, and the read-only view for the lab
:mod:`kmslab.core.inspection`.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import deque
from collections.abc import Iterable
from typing import Any

from kmslab.actions.table import ACTIONS
from kmslab.core.accounts import AccountBook, ApiKey, store_failed
from kmslab.core.assembly import RESOURCE_KINDS, SERVICE_GROUPS, extension_groups
from kmslab.core.clock import Clock, VirtualClock
from kmslab.core.context import Settings
from kmslab.core.facade import AccountView, ActionMethods, give_direct_methods
from kmslab.core.groups import ActionGroup, Dispatch
from kmslab.core.inspection import Inspector
from kmslab.core.jobs import run_due
from kmslab.core.model import Account
from kmslab.core.pipeline import run_call
from kmslab.core.regions import DEFAULT_REGION, DEFAULT_REGIONS, PROFILES, SYMMETRIC_SUITE
from kmslab.core.resources import Repository
from kmslab.core.scheduler import Event, Scheduler
from kmslab.core.secret_cache import SecretCache
from kmslab.core.simulation import CallLog, QpsLimiter
from kmslab.core.unit_of_work import ServiceState, UnitOfWork, brief_of, job_ref
from kmslab.core.whitebox_keys import KEY_LIMIT, PURCHASE_OFF, REGIONS_STRICT
from kmslab.core.whitebox_library import service_library
from kmslab.crypto.randomness import RandomSource, make_random
from kmslab.crypto.wrapping import RootKey
from kmslab.store.base import Brief, Change, Store
from kmslab.store.memory import MemoryStore
from kmslab.whitebox import SDK

__all__ = ["KMS", "ApiKey"]


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
    * ``groups``: the action groups this service serves (default: every built group).
    * ``secret_cache``: how many unwrapped secrets the service keeps in memory at most.
    * ``extensions``: opt-in kmslab features beyond Tencent's API; ``["pqc"]`` adds the
      ``KMSLAB_EXT_PQC_*`` key usages (every ``pqcrypto`` family, docs/algorithms.md).
      Off by default, so the service stays exact to Tencent.
    * ``data_key_limit``: each account's hosted-data-key quota per region
      (``DataKeyLimit``, default 100,000); ``free_data_key_limit``: the part of it
      reported as free (``FreeDataKeyLimit``, default: all of it). See docs/data-keys.md.
    * ``whitebox_regions_strict``: True to refuse the white-box actions
      (``UnsupportedRegion``) outside the four regions Tencent documents them in
      (ap-beijing, ap-guangzhou, ap-hongkong, ap-shanghai); ``whitebox_key_limit``: the
      white-box keys per account and region (documented: 50). See docs/white-box.md.
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
        groups: tuple[ActionGroup, ...] | None = None,
        secret_cache: int = 4096,
        extensions: Iterable[str] = (),
        data_key_limit: int = 100_000,
        free_data_key_limit: int | None = None,
        whitebox_regions_strict: bool = False,
        whitebox_key_limit: int = 50,
    ) -> None:
        if durability not in ("FULL", "NORMAL"):
            raise ValueError(f"durability is 'FULL' or 'NORMAL', not {durability!r}")
        self.random: RandomSource = make_random(seed)
        self.deterministic = seed is not None
        if clock is None:
            clock = VirtualClock(start) if (seed is not None or start is not None) else Clock()
        elif clock == "virtual":
            clock = VirtualClock(start)
        elif not isinstance(clock, Clock):
            raise ValueError("clock is None, 'virtual' or a kmslab Clock")
        self.clock: Clock = clock
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
        self._events: deque[Event] = deque(maxlen=record_limit)
        # One call at a time: the notebook thread and the wire endpoint's thread share us.
        self.lock = threading.RLock()
        self.extensions = _extensions(extensions)
        chosen = SERVICE_GROUPS if groups is None else tuple(groups)
        self.dispatch = Dispatch(chosen + extension_groups(self.extensions))
        for kind in RESOURCE_KINDS:
            self.dispatch.resources.setdefault(kind.name, kind)

        self.root_key = self._root_key(root_key, path)
        if store is None:
            if path is not None:
                from kmslab.store.sqlite import SQLiteStore

                store = SQLiteStore(path, synchronous=durability)
            else:
                store = MemoryStore()
        self.store = store
        self.state = ServiceState(
            repos={name: Repository(kind) for name, kind in self.dispatch.resources.items()},
            store=store,
            scheduler=Scheduler(),
            secrets=SecretCache(secret_cache),
            jobs_by_resource={
                name: tuple(j for j in self.dispatch.jobs.values() if j.resource.name == name)
                for name in self.dispatch.resources
            },
        )
        self.book = AccountBook(self.root_key, self.random, store)
        self.settings = Settings(
            cmk_limit=cmk_limit,
            regions=self.regions,
            usages=self.dispatch.usages,
            suites=dict(SYMMETRIC_SUITE),
            accounts=self.book.accounts,
            options={
                "extensions": self.extensions,
                "data_key_limit": data_key_limit,
                "free_data_key_limit": data_key_limit
                if free_data_key_limit is None
                else free_data_key_limit,
                "data_key_hosting_off": set(),
                PURCHASE_OFF: set(),
                REGIONS_STRICT: bool(whitebox_regions_strict),
                KEY_LIMIT: whitebox_key_limit,
            },
        )
        self.inspect = Inspector(self)
        """The read-only view of this service for views, widgets and tests."""
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
        state = self.store.load(self.root_key.fingerprint, tuple(self.dispatch.resources.values()))
        # A seeded service reopening its state must not replay an earlier session's bytes.
        self.session = state.sessions
        if state.sessions:
            self.random.fork(f"session {state.sessions}")
        for rec in state.accounts:
            self.book.load(Account.from_record(rec))
        for name, records in state.resources.items():  # parsed records (snapshots)
            kind = self.dispatch.resources[name]
            for rec in records:
                self._enter_parsed(name, kind.from_record(rec))
        stale = [self._load_rows(name, rows) for name, rows in state.rows.items()]
        if state.clock is not None and isinstance(self.clock, VirtualClock):
            self.clock._jump(max(self.clock.now(), state.clock))
        changes = [change for change in stale if change[1]]
        if changes:  # written by an older kmslab, or under other job kinds: brief them now
            try:
                self.store.commit(changes, self.clock.now())
            except Exception as exc:
                raise store_failed(exc) from exc
        if not self.book.accounts:
            self.book.create("default")
        self.default_uin = next(iter(self.book.accounts))

    def _load_rows(self, name: str, rows: list) -> Change:
        """Enter one kind's rows from a durable store, in creation order. A row whose brief
        is current and which has no clock job pending stays unparsed until first read; any
        other is parsed now, its jobs queued, and (if its brief is stale or missing) it is
        returned among the resources to write back with a fresh brief."""
        kind = self.dispatch.resources[name]
        repo = self.state.repos[name]
        stamp = self.state.stamp(kind)
        lazy = kind.facets_from_key is not None
        rebrief: list = []
        briefs: list = []
        for obj_id, uin, region, alias, created, brief, due, record in rows:
            head, _, facet_key = (brief or "").partition("#")
            current = head == stamp
            if lazy and current and not due:
                repo.load_unread((uin, region), obj_id, alias, created, facet_key, record)
                continue
            obj = kind.from_record(json.loads(record))
            obj_brief = self._enter_parsed(name, obj)
            if not current or brief is None:
                rebrief.append(obj)
                briefs.append(obj_brief)
        return (kind, rebrief, [], briefs)

    def _enter_parsed(self, name: str, obj: Any) -> Brief:
        """Enter one parsed resource read from a store and queue its clock jobs; returns
        the brief a durable store would keep for it."""
        kind = self.dispatch.resources[name]
        jobs = self.state.jobs_by_resource[name]
        self.state.repos[name].load((obj,))
        brief, dues = brief_of(kind, self.state.stamp(kind), obj, jobs)
        for job, due in zip(jobs, dues, strict=True):
            if due:
                self.state.scheduler.set(job.name, job_ref(kind, obj), due)
        return brief

    # -- accounts and credentials -------------------------------------------------

    def create_account(self, name: str = "") -> ApiKey:
        """Open a new account (tenant) with one API key pair, and return that pair."""
        with self.lock:
            return self.book.create(name)

    def add_api_key(self, secret_id: str, secret_key: str, uin: int | None = None) -> ApiKey:
        """Give an account (the default one if ``uin`` is None) a key pair the caller
        chose, so CI jobs and tests can use fixed credentials (``kmslab serve
        --secret-id``, ``mock_kms(secret_id=...)``). ValueError if the SecretId is taken."""
        with self.lock:
            return self.book.add(self.default_uin if uin is None else uin, secret_id, secret_key)

    def create_temporary_credential(self, uin: int | None = None, duration: int = 7200) -> ApiKey:
        """A temporary key pair with a token, valid for ``duration`` seconds of service time."""
        with self.lock:
            uin = self.default_uin if uin is None else uin
            self.book.get(uin)
            return self.book.issue(uin, self.book.new_token(), int(self.clock.now()) + duration)

    def account(self, uin: int | None = None) -> Account:
        """The account ``uin`` (the default account if None)."""
        with self.lock:
            return self.book.get(self.default_uin if uin is None else uin)

    @property
    def accounts(self) -> list[int]:
        """The Uins of every account."""
        with self.lock:
            return list(self.book.accounts)

    def api_keys(self, uin: int | None = None) -> list[ApiKey]:
        """The account's API key pairs in the clear, for configuring clients."""
        with self.lock:
            account = self.book.get(self.default_uin if uin is None else uin)
            return [self.book.reveal(account.uin, c) for c in account.credentials]

    def lookup_secret_id(self, secret_id: str) -> ApiKey | None:
        """The key pair behind ``secret_id``, for the wire endpoint's signature checks."""
        with self.lock:
            return self.book.lookup(secret_id)

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

    def set_data_key_hosting(self, allowed: bool, uin: int | None = None) -> None:
        """Switch data-key hosting on or off for one account (default: the default one),
        to show the refusals of an account without it (``IsAllowedDataKeyHosted``)."""
        with self.lock:
            uin = self.default_uin if uin is None else uin
            self.book.get(uin)
            off = self.settings.options["data_key_hosting_off"]
            if allowed:
                off.discard(uin)
            else:
                off.add(uin)

    def set_whitebox_purchased(self, purchased: bool, uin: int | None = None) -> None:
        """Switch the white-box key service on or off for one account (default: the
        default one); off, all 13 white-box actions answer
        ``ResourceUnavailable.NotPurchased``. Every account has it by default."""
        with self.lock:
            uin = self.default_uin if uin is None else uin
            self.book.get(uin)
            off = self.settings.options[PURCHASE_OFF]
            if purchased:
                off.discard(uin)
            else:
                off.add(uin)

    def whitebox_sdk(self, directory: str | os.PathLike | None = None) -> SDK:
        """Download the white-box SDK a device needs to use DecryptKeys offline: a copy of
        the service's library tables (never its encoder secrets), saved into
        ``directory`` if given. The library is made (and its seed stored) if no
        white-box key has made it yet."""
        with self.lock:
            now = self.clock.now()
            uow = UnitOfWork(self.state, writable=True)
            library = service_library(
                uow, self.root_key, self.random, self.state.secrets, now, create=True
            )
            assert library is not None
            if uow.dirty:
                try:
                    uow.commit(self.dispatch.resources, now)
                except Exception as exc:
                    raise store_failed(exc) from exc
        if directory is not None:
            return SDK.load(library.sdk.save(os.fspath(directory)))
        with tempfile.TemporaryDirectory(prefix="kmslab-wb-sdk-") as tmp:
            return SDK.load(library.sdk.save(tmp))

    def built_actions(self) -> frozenset[str]:
        """The actions this service implements (the others answer UnsupportedOperation)."""
        return self.dispatch.built()

    # -- time -----------------------------------------------------------------------

    def _run_due_until(self, until: float) -> list[Event]:
        """Run every job due at or before ``until``, in due order, each at its own time."""
        with self.lock:
            events = self.run_due_locked(until)
            if isinstance(self.clock, VirtualClock):
                try:
                    self.store.write_clock(until)
                except Exception as exc:
                    raise store_failed(exc) from exc
            return events

    def run_due_locked(self, until: float) -> list[Event]:
        """Run the due jobs; the caller holds the lock (the call pipeline does)."""
        return run_due(self, until)

    def run_due_jobs(self) -> list[Event]:
        """Run the jobs already due on the clock (a real clock moves by itself)."""
        return self._run_due_until(self.clock.now())

    def events_append(self, event: Event) -> None:
        """Record a clock event (the job runner calls this)."""
        self._events.append(event)

    @property
    def events(self) -> list[Event]:
        """What happened on the clock, oldest first (a copy)."""
        with self.lock:
            return list(self._events)

    # -- the call path --------------------------------------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass that overrides ``call`` gets action methods that go through it."""
        super().__init_subclass__(**kwargs)
        if "call" in cls.__dict__:
            for name in ACTIONS:
                setattr(cls, name, getattr(ActionMethods, name))

    def call(
        self,
        action: str,
        params: dict[str, Any] | None = None,
        *,
        uin: int | None = None,
        region: str | None = None,
        language: str | None = None,
    ) -> dict[str, Any]:
        """Run ``action`` with wire-named ``params`` as account ``uin`` in ``region``.

        Returns the documented response fields plus ``RequestId``; raises
        :class:`~kmslab.actions.errors.KMSError` with the documented code otherwise.
        """
        with self.lock:
            return run_call(self, action, params, uin, region, language)

    def create_product_key(
        self,
        product: str,
        *,
        alias: str | None = None,
        description: str = "",
        key_usage: str = "ENCRYPT_DECRYPT",
        uin: int | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Create a CMK as cloud product ``product`` (``cos``, ``cbs``, ...) would: its
        ``Owner`` is ``product``, so ``ListKeys``/``ListKeyDetail`` with ``Role=1`` list
        it and ``Role=0`` does not. The alias defaults to ``kms-<product>`` (the prefix
        users may not take). It is a CreateKey call through the same pipeline (validated,
        throttled, recorded as CreateKey); it returns CreateKey's response."""
        from kmslab.core.keys import product_key_handler

        handler = product_key_handler(product)  # refuses a bad product name first
        params = {
            "Alias": f"kms-{product}" if alias is None else alias,
            "Description": description,
            "KeyUsage": key_usage,
        }
        with self.lock:
            return run_call(self, "CreateKey", params, uin, region, None, handler)

    # -- the wire endpoint (kmslab.server) -------------------------------------------

    def serve(self, *, host: str = "127.0.0.1", port: int = 0, https: bool = False, **kwargs):
        """Start the API 3.0 endpoint over this service in a background thread; returns a
        handle with ``url``, ``cert_path`` and ``stop()`` (see :mod:`kmslab.server`). The
        legacy API 2.0 is at ``legacy_url`` on the same port; ``legacy_regions={"gz":
        "ap-guangzhou", ...}`` maps its regions (``docs/legacy-api.md``)."""
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

        with self.lock:
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
        """Close the store (an SQLite file) and forget every cached secret; the service is
        unusable afterwards."""
        with self.lock:
            self.state.secrets.clear()
            self.store.close()

    def __enter__(self) -> KMS:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "deterministic (INSECURE)" if self.deterministic else "secure"
        keys = len(self.state.repos["cmk"])
        return (
            f"<KMS {mode}, {len(self.book.accounts)} account(s), {keys} key(s), "
            f"clock {self.clock!r}>"
        )


def _run_as_default_caller(kms: KMS, action: str, params: dict) -> dict:
    with kms.lock:
        return run_call(kms, action, params, None, None, None)


give_direct_methods(KMS, _run_as_default_caller)  # kms.Encrypt(...) is kms.call("Encrypt", ...)
