"""uvicorn's HTTP protocols, answering even unparseable requests with the 200 envelope.

The HTTP parser refuses some requests before the application sees them (a request line
over 64 KB, broken framing) with a plain-text 400. The API promises HTTP 200 and the
``Response`` envelope for every answer, and the Python SDK reports nothing useful for a
400, so these subclasses send the envelope instead (``RequestSizeLimitExceeded`` for an
oversized request, ``InvalidParameter`` otherwise) and close the connection. When the
parser got as far as the path, the path's dialect writes it (API 2.0 at ``/v2/index.php``).
"""

from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kmslab.actions.errors import KMSError
from kmslab.server.app import GET_LIMIT

__all__ = ["WireH11Protocol", "WireHttpToolsProtocol"]


def _envelope(app, oversized: bool, msg: str, url: bytes = b"") -> bytes:
    if oversized:
        error = KMSError(
            "RequestSizeLimitExceeded",
            f"the request line is larger than {GET_LIMIT // 1024} KB",
            detail_zh=f"请求行超过 {GET_LIMIT // 1024} KB",
        )
    else:
        error = KMSError(
            "InvalidParameter", f"malformed HTTP request ({msg})", detail_zh="HTTP 请求格式错误"
        )
    path = url.split(b"?", 1)[0].decode("latin-1") or "/"
    return app.error_envelope(error, path)  # the legacy path answers in its own envelope


def _send(protocol, body: bytes) -> None:
    protocol.transport.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
        + body
    )
    protocol.transport.close()


class WireHttpToolsProtocol(HttpToolsProtocol):
    """The httptools protocol with :func:`_envelope` instead of a plain 400."""

    def send_400_response(self, msg: str) -> None:
        url = getattr(self, "url", b"") or b""
        _send(self, _envelope(self.app, len(url) > GET_LIMIT, msg, bytes(url)))


class WireH11Protocol(H11Protocol):
    """The h11 protocol with :func:`_envelope` instead of a plain 400."""

    def send_400_response(self, msg: str) -> None:
        _send(self, _envelope(self.app, "too large" in msg.lower() or "long" in msg, msg))
