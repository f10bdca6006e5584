"""The seam in the official SDK where the mock answers, in process and without sockets.

Every ``tencentcloud`` client sends through its ``request`` attribute, an ``ApiRequest``
(``tencentcloud/common/http/request.py``), whose ``conn`` (a ``ProxyConnection``) is the
SDK's own HTTP boundary: ``conn.request(method, url, body, headers)`` hands the built,
signed request to ``requests``. While a mock is active, :func:`install` puts a property
on ``KmsClient`` and ``CommonClient`` so that a KMS client's ``client.request`` (a
``KmsClient``, or a ``CommonClient`` for service ``kms``) reads as an
:class:`InProcessRequest`: the SDK's own ``ApiRequest`` code (``send_request``,
``_request``: URL, keep-alive header, GET query, error wrapping) over the original's
settings, with an :class:`InProcessConnection` instead of the ``ProxyConnection``. So
the SDK builds and signs each request exactly as it would, and only what lies below its
HTTP layer (``requests``, the socket) is replaced: the connection hands method, path,
query, headers and body to :meth:`kmslab.server.app.WireApp.handle`, the endpoint's own
decode/authenticate/call/encode path, and returns a ``requests.Response``.
:func:`uninstall` deletes the property, and every client's untouched ``ApiRequest`` is
visible again.
"""

from __future__ import annotations

import io
import weakref
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.http.request import ApiRequest
from tencentcloud.kms.v20190118.kms_client import KmsClient

__all__ = ["InProcessConnection", "InProcessRequest", "install", "uninstall"]

_ATTR = "request"
_SENTINEL = object()


class _Raw(io.BytesIO):
    """The ``raw`` of an in-process response: the body, and what the SDK's debug
    formatter reads (``raw.version``)."""

    version = 11
    status = 200
    reason = "OK"


def _response(payload: bytes, url: str) -> requests.Response:
    """The answer as the ``requests.Response`` the SDK reads (status, headers, content)."""
    response = requests.Response()
    response.status_code = 200
    response.reason = "OK"
    response.headers = CaseInsensitiveDict(
        {"Content-Type": "application/json", "Content-Length": str(len(payload))}
    )
    response._content = payload
    response._content_consumed = True
    response.raw = _Raw(payload)
    response.url = url
    return response


class InProcessConnection:
    """``ProxyConnection`` without the network: the same ``request(method, url, body,
    headers)`` and Host default, answered by the mock instead of a ``requests`` session.

    The bytes are what ``requests`` would send: the URL's path and query, the SDK's
    headers, and a text body encoded as ISO-8859-1 (as ``http.client`` does; the SDK's
    JSON and form bodies are ASCII).
    """

    def __init__(self, original: Any, mock: Any, client: Any) -> None:
        self.request_host = original.request_host
        self.timeout = original.timeout
        self.request_length = 0
        self._mock = mock
        self._client = weakref.ref(client)

    def request(
        self, method: str, url: str, body: Any = None, headers: dict | None = None
    ) -> requests.Response:
        """Answer as ``ProxyConnection.request`` would over HTTP, without a socket."""
        headers = {} if headers is None else headers
        headers.setdefault("Host", self.request_host)
        parts = urlsplit(url)
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("iso-8859-1")
        raw_headers = [
            (str(k).encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()
        ]
        payload = self._mock.answer(
            self._client(),
            method,
            parts.path or "/",
            parts.query.encode("latin-1"),
            raw_headers,
            bytes(body),
        )
        return _response(payload, url)


class InProcessRequest(ApiRequest):
    """A client's ``ApiRequest`` as the mock shows it: the SDK's own methods
    (``send_request``, ``_request``), the original's settings (read and written through),
    and an in-process connection."""

    def __init__(self, original: ApiRequest, conn: InProcessConnection) -> None:
        object.__setattr__(self, "_original", original)
        object.__setattr__(self, "conn", conn)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_original"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "conn":
            object.__setattr__(self, name, value)
        else:
            setattr(object.__getattribute__(self, "_original"), name, value)


def _is_kms(client: Any) -> bool:
    """A ``KmsClient``, or a ``CommonClient`` made for service ``kms``."""
    return isinstance(client, KmsClient) or getattr(client, "_service", None) == "kms"


def _get(client: Any) -> Any:
    original = client.__dict__.get(_ATTR, _SENTINEL)
    if original is _SENTINEL:
        raise AttributeError(_ATTR)
    from kmslab.testing.mock import active

    mock = active()
    if mock is None or not isinstance(original, ApiRequest) or not _is_kms(client):
        return original
    return mock.request_for(client, original)


def _set(client: Any, value: Any) -> None:
    client.__dict__[_ATTR] = value


def _delete(client: Any) -> None:
    del client.__dict__[_ATTR]


_PROPERTY = property(_get, _set, _delete, doc="The client's ApiRequest, answered in process.")
TARGETS: tuple[type, ...] = (KmsClient, CommonClient)
"""The classes given the property: ``KmsClient``, and ``CommonClient`` (whose instances
for other services read their own ``ApiRequest`` through it unchanged)."""
_saved: dict[type, Any] = {}  # what each class held under "request" before install


def install() -> None:
    """Route every KMS client's requests through the active mock (idempotent)."""
    for cls in TARGETS:
        if cls.__dict__.get(_ATTR) is not _PROPERTY:
            _saved[cls] = cls.__dict__.get(_ATTR, _SENTINEL)
            setattr(cls, _ATTR, _PROPERTY)


def uninstall() -> None:
    """Put every patched class back exactly as it was before :func:`install`."""
    for cls in TARGETS:
        if cls.__dict__.get(_ATTR) is not _PROPERTY:
            continue
        previous = _saved.pop(cls, _SENTINEL)
        if previous is _SENTINEL:
            delattr(cls, _ATTR)
        else:
            setattr(cls, _ATTR, previous)


def connection_for(mock: Any, client: KmsClient, original: ApiRequest) -> InProcessRequest:
    """A new in-process view of ``client``'s ``original`` request object."""
    return InProcessRequest(original, InProcessConnection(original.conn, mock, client))
