"""The health answer of ``kmslab serve``: ``GET /healthz`` says the endpoint is up, without
credentials, so CI jobs and container health checks can wait for it.

It wraps the wire application and answers only that one unsigned request; everything
else (any other method, path, or a request with a query) goes to the API unchanged.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["HEALTH_PATH", "HealthApp"]

HEALTH_PATH = "/healthz"


class HealthApp:
    """ASGI: ``GET /healthz`` answers ``{"Status": "ok", ...}``; the rest goes to ``app``."""

    def __init__(self, app: Any, kms: Any) -> None:
        self.app = app
        self.kms = kms

    def __getattr__(self, name: str) -> Any:  # the wrapped app's error_envelope, kms, ...
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        """Answer the health request, or hand the request to the wire application."""
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or scope.get("path") != HEALTH_PATH
            or scope.get("query_string")
        ):
            await self.app(scope, receive, send)
            return
        while (await receive()).get("more_body"):
            pass
        body = json.dumps(
            {"Status": "ok", "Service": "kmslab", "Region": self.kms.default_region}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
