"""The API 3.0 wire endpoint: the official SDKs and tccli talk to a ``KMS`` over HTTP(S).

Start it with ``kms.serve()`` (or :func:`kmslab.server.runner.start`); get an official
client with ``kms.sdk_client()``. See ``docs/wire-endpoint.md``.
"""

from kmslab.server.runner import ServerHandle, start

__all__ = ["ServerHandle", "start"]
