"""The seam in the official SDK where the mock answers, in process and without sockets.

Every ``tencentcloud`` client sends through its ``request`` attribute, an ``ApiRequest``
(``tencentcloud/common/http/request.py``) whose ``ProxyConnection`` owns a
``requests.Session``. While a mock is active, :func:`install` puts a property on
``KmsClient`` and ``CommonClient`` so that a KMS client's ``client.request`` (a
``KmsClient``, or a ``CommonClient`` for service ``kms``) reads as an
:class:`InProcessRequest`: the SDK's own ``ApiRequest`` code with its connection swapped
for one whose session has :class:`InProcessAdapter` mounted. So the SDK builds and signs
each request exactly as it would, ``ApiRequest._request`` formats the URL, ``requests``
prepares the bytes, and only the socket is replaced: the adapter hands method, path,
query, headers and body to :meth:`kmslab.server.app.WireApp.handle`, the endpoint's own
decode/authenticate/call/encode path. :func:`uninstall` deletes the property, and every
client's untouched ``ApiRequest`` is visible again.
"""

from __future__ import annotations

import io
import weakref
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.http.request import ApiRequest
from tencentcloud.kms.v20190118.kms_client import KmsClient

__all__ = ["InProcessAdapter", "InProcessRequest", "install", "uninstall"]

_ATTR = "request"
_SENTINEL = object()


class _Raw(io.BytesIO):
    """The ``raw`` of an in-process response: the body, and what the SDK's debug
    formatter reads (``raw.version``)."""

    version = 11
    status = 200
    reason = "OK"


class InProcessAdapter(BaseAdapter):
    """A ``requests`` transport that answers every request with ``answer(client, ...)``."""

    def __init__(self, mock: Any, client: KmsClient) -> None:
        super().__init__()
        self._mock = mock
        self._client = weakref.ref(client)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        """Hand the prepared bytes to the mock's wire application; never opens a socket."""
        parts = urlsplit(request.url or "")
        body = request.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("iso-8859-1")  # what http.client does with a str body
        headers = [
            (k.encode("latin-1"), str(v).encode("latin-1")) for k, v in request.headers.items()
        ]
        payload = self._mock.answer(
            self._client(),
            request.method or "GET",
            parts.path or "/",
            parts.query.encode("latin-1"),
            headers,
            body,
        )
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        )
        response._content = payload
        response._content_consumed = True
        response.raw = _Raw(payload)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to close: there is no connection."""


class _InProcessConnection:
    """``ProxyConnection`` without the network: the same ``request`` signature and Host
    default, on a session that only knows :class:`InProcessAdapter`."""

    def __init__(self, original: Any, adapter: InProcessAdapter) -> None:
        self.request_host = original.request_host
        self.timeout = original.timeout
        self.request_length = 0
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or netrc: nothing leaves the process
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def request(self, method: str, url: str, body: Any = None, headers: dict | None = None):
        """Send as ``ProxyConnection.request`` does (Host defaulted, ``stream=True``)."""
        headers = {} if headers is None else headers
        headers.setdefault("Host", self.request_host)
        return self._session.request(
            method=method, url=url, data=body, headers=headers, timeout=self.timeout, stream=True
        )


class InProcessRequest(ApiRequest):
    """A client's ``ApiRequest`` as the mock shows it: the SDK's own methods
    (``send_request``, ``_request``), the original's settings (read and written through),
    and an in-process connection."""

    def __init__(self, original: ApiRequest, conn: _InProcessConnection) -> None:
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
    adapter = InProcessAdapter(mock, client)
    return InProcessRequest(original, _InProcessConnection(original.conn, adapter))
