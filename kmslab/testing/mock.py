"""``mock_kms()``: the official SDK's ``KmsClient`` answered by a kmslab service in process.

Application code written for Tencent Cloud KMS runs unchanged in its tests, as moto
does for boto3: no endpoint to configure, no sockets. Each request still goes through
the SDK's real building and signing and through the endpoint's decode, signature check,
call and encoding (:mod:`kmslab.testing.transport` says where it is intercepted).
"""

from __future__ import annotations

import functools
import inspect
import threading
import unittest
from collections.abc import Callable
from typing import Any, TypeVar

from kmslab.core.accounts import ApiKey
from kmslab.server.app import WireApp

__all__ = ["MockKMS", "active", "mock_kms"]

_F = TypeVar("_F")
_STACK: list[MockKMS] = []
_STACK_LOCK = threading.Lock()
_NEVER = 2**62  # accepted temporary credentials never expire


def active() -> MockKMS | None:
    """The innermost active mock, or None (then every client talks to the network)."""
    return _STACK[-1] if _STACK else None


class _MockApp(WireApp):
    """The endpoint's application; with ``accept_any`` an unknown SecretId is taken as
    the default account's, with the SecretKey of the client that sent the request, so
    the signature is still verified (a changed request is still refused)."""

    def __init__(self, kms: Any, accept_any: bool) -> None:
        super().__init__(kms)
        self.accept_any = accept_any
        self.caller = threading.local()

    def lookup(self, secret_id: str) -> Any:
        """The service's key; else, with ``accept_any``, the sending client's own pair."""
        key = super().lookup(secret_id)
        if key is not None or not self.accept_any:
            return key
        sent = getattr(self.caller, "cred", None)
        if sent is None or sent[0] != secret_id or not sent[1]:
            return None
        token = sent[2] or ""
        return ApiKey(self.kms.default_uin, secret_id, sent[1], token, _NEVER if token else 0)


class MockKMS:
    """An active (or ready) mock: ``kms`` is the service answering, ``secret_id`` and
    ``secret_key`` a valid pair of its default account. A context manager and a
    decorator (functions, coroutine functions and test classes)."""

    def __init__(
        self,
        kms: Any = None,
        *,
        accept_any_credentials: bool = False,
        secret_id: str | None = None,
        secret_key: str | None = None,
        seed: int | str | None = None,
    ) -> None:
        if (secret_id is None) != (secret_key is None):
            raise ValueError("give both secret_id and secret_key, or neither")
        self._given = kms
        self._seed = seed
        self._chosen: tuple[str, str] | None = None
        if secret_id is not None and secret_key is not None:
            self._chosen = (secret_id, secret_key)
        self.accept_any_credentials = accept_any_credentials
        self.kms: Any = None
        self._app: _MockApp | None = None
        self._views: Any = None

    # -- the service ----------------------------------------------------------------

    def _build(self) -> None:
        import weakref

        import kmslab

        kms = self._given if self._given is not None else kmslab.KMS(seed=self._seed)
        if self._chosen is not None:
            known = kms.lookup_secret_id(self._chosen[0])
            if known is None:
                kms.add_api_key(*self._chosen)
            elif known.secret_key != self._chosen[1]:
                raise ValueError(f"SecretId {self._chosen[0]!r} has another key in this service")
        self.kms = kms
        self._app = _MockApp(kms, self.accept_any_credentials)
        self._views = weakref.WeakKeyDictionary()

    @property
    def api_key(self) -> ApiKey:
        """The key pair clients should use: the chosen one, else the default account's."""
        if self.kms is None:
            raise RuntimeError("the mock is not active")
        if self._chosen is not None:
            key = self.kms.lookup_secret_id(self._chosen[0])
            if key is not None:
                return key
        return self.kms.api_keys()[0]

    @property
    def secret_id(self) -> str:
        """The SecretId of :attr:`api_key`."""
        return self.api_key.secret_id

    @property
    def secret_key(self) -> str:
        """The SecretKey of :attr:`api_key` (give it to clients; never log it)."""
        return self.api_key.secret_key

    # -- the seam -------------------------------------------------------------------

    def request_for(self, client: Any, original: Any) -> Any:
        """The in-process view of ``client``'s ``ApiRequest`` (one per client)."""
        from kmslab.testing.transport import connection_for

        hit = self._views.get(client)
        if hit is not None and hit[0] is original:
            return hit[1]
        view = connection_for(self, client, original)
        self._views[client] = (original, view)
        return view

    def answer(
        self,
        client: Any,
        method: str,
        path: str,
        query: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> bytes:
        """The endpoint's answer to one request (``WireApp.handle``: never raises)."""
        app = self._app
        if app is None:
            raise RuntimeError("the mock is not active")
        if self.accept_any_credentials and client is not None:
            app.caller.cred = tuple(client.credential.get_credential_info())
        try:
            return app.handle(method, path, query, headers, body)
        finally:
            app.caller.cred = None

    # -- activation -----------------------------------------------------------------

    def start(self) -> MockKMS:
        """Activate: from now on every ``KmsClient`` in the process is answered here."""
        from kmslab.testing import transport

        if self._app is None:
            self._build()
        with _STACK_LOCK:
            if self in _STACK:
                raise RuntimeError("this mock is already active")
            _STACK.append(self)
            transport.install()
        return self

    def stop(self) -> None:
        """Deactivate; the SDK is exactly as before once no mock is active."""
        from kmslab.testing import transport

        with _STACK_LOCK:
            if self in _STACK:
                _STACK.remove(self)
            if not _STACK:
                transport.uninstall()

    def __enter__(self) -> MockKMS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _fresh(self) -> MockKMS:
        return MockKMS(
            self._given,
            accept_any_credentials=self.accept_any_credentials,
            secret_id=None if self._chosen is None else self._chosen[0],
            secret_key=None if self._chosen is None else self._chosen[1],
            seed=self._seed,
        )

    def __call__(self, target: _F) -> _F:
        """Decorate a function (a fresh service per call) or a test class (each test)."""
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError("mock_kms decorates functions and classes")
        func: Callable = target
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self._fresh():
                    return await func(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return func(*args, **kwargs)

        return run  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        """``unittest.TestCase``: one mock from ``setUp`` to the last cleanup; any other
        class: each ``test*`` method in its own mock."""
        if issubclass(cls, unittest.TestCase):
            original = cls.setUp
            outer = self

            @functools.wraps(original)
            def set_up(case: unittest.TestCase, *a: Any, **k: Any) -> None:
                mock = outer._fresh().start()
                case.addCleanup(mock.stop)
                case.kms_mock = mock  # type: ignore[attr-defined]
                original(case, *a, **k)

            cls.setUp = set_up  # type: ignore[method-assign,assignment]
            return cls
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and callable(value):
                setattr(cls, name, self(value))
        return cls

    def __repr__(self) -> str:
        state = "active" if self in _STACK else "inactive"
        extra = ", accept_any_credentials" if self.accept_any_credentials else ""
        return f"<kmslab mock_kms ({state}{extra})>"


def mock_kms(
    target: Any = None,
    *,
    kms: Any = None,
    accept_any_credentials: bool = False,
    secret_id: str | None = None,
    secret_key: str | None = None,
    seed: int | str | None = None,
) -> Any:
    """Answer every ``tencentcloud`` ``KmsClient`` in the process with a kmslab service.

    ``with mock_kms() as m:`` (``m.kms`` is the service, ``m.secret_id`` /
    ``m.secret_key`` a valid pair), ``@mock_kms`` or ``@mock_kms(...)`` on a function or
    test class. ``kms``: the service to use (default: a new one per activation; ``seed``
    makes it deterministic). ``secret_id`` / ``secret_key``: a pair the service accepts
    in addition to its own. ``accept_any_credentials=True`` accepts any SecretId, as moto
    does, and still checks the signature against the SecretKey the client holds.
    """
    if target is not None and not isinstance(target, bool):
        if callable(target):
            return MockKMS(kms, accept_any_credentials=accept_any_credentials)(target)
        raise TypeError("mock_kms() takes keyword arguments, or decorates a function or class")
    return MockKMS(
        kms,
        accept_any_credentials=accept_any_credentials,
        secret_id=secret_id,
        secret_key=secret_key,
        seed=seed,
    )
