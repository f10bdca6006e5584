"""The seam between the HTTP application and one wire dialect (API 3.0 today).

A dialect turns one raw request into an action call and the call's outcome back into
bytes: :meth:`Dialect.decode` (parameters, before any trust), :meth:`Dialect.authenticate`
(who signed it, covering every parameter the action will see), :meth:`Dialect.params`
(the action's typed parameters, only after authentication) and :meth:`Dialect.encode` /
:meth:`Dialect.encode_error`. :class:`~kmslab.server.app.WireApp` routes each path to one
dialect, so a second dialect (API 2.0 at ``/v2/index.php``) is a new class, not a branch.
"""

from __future__ import annotations

from typing import Any, Protocol

from kmslab.actions.errors import KMSError
from kmslab.server import auth

__all__ = ["AuthContext", "Dialect", "WireRequest"]


class WireRequest:
    """One raw request and what its dialect has decoded from it so far."""

    __slots__ = (
        "method",
        "path",
        "query",
        "headers",
        "body",
        "too_big",
        "language",
        "action",
        "region",
        "uin",
        "state",
    )

    def __init__(
        self,
        method: str,
        path: str,
        query: bytes,
        headers: dict[str, str],
        body: bytes,
        too_big: bool = False,
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers  # lower-case names
        self.body = body
        self.too_big = too_big
        self.language = "zh-CN"
        self.action = ""
        self.region = ""
        self.uin = 0
        self.state: Any = None  # the dialect's own decoded form of the request


class AuthContext(Protocol):
    """What a dialect needs from the application to verify a signature."""

    nonces: auth.NonceCache

    def lookup(self, secret_id: str) -> Any:
        """The API key of ``secret_id``, or None."""

    def now(self) -> float:
        """The instant signature windows are checked against."""

    def service_now(self) -> float:
        """The service clock (temporary credentials expire in service time)."""


class Dialect(Protocol):
    """One wire protocol: decode, authenticate, build parameters, encode."""

    def decode(self, req: WireRequest) -> None:
        """Fill ``req.action``, ``req.region``, ``req.language`` and ``req.state``."""

    def authenticate(self, req: WireRequest, ctx: AuthContext) -> auth.Identity:
        """Verify the signature over everything :meth:`params` will return."""

    def params(self, req: WireRequest) -> dict[str, Any]:
        """The action's typed parameters (called only after :meth:`authenticate`)."""

    def encode(self, req: WireRequest, result: dict) -> bytes:
        """The answer to a successful call."""

    def encode_error(self, req: WireRequest, error: KMSError) -> bytes:
        """The answer to a refused or failed call."""
