"""A small legacy API 2.0 client written from the spec (section 2), not from kmslab.

It signs as the legacy KMS SDKs do: every parameter but ``Signature``, ``_`` in names as
``.``, ASCII-sorted, raw values, ``METHOD + host + /v2/index.php + ?``; the ``python``
style leaves ``@``-valued parameters out of a POST's string to sign (Python and PHP SDKs),
the ``java`` style keeps them. Like the Python KMS SDK it sends a POST body with no
Content-Type unless asked; like Java it can send ``application/x-www-form-urlencoded``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import random
import ssl
import time
from urllib.parse import urlencode

PATH = "/v2/index.php"


def sign(secret_key: str, method: str, host: str, params: dict, sm: str, style: str) -> str:
    """The Base64 signature of ``params`` (spec section 2)."""
    kept = {
        k.replace("_", "."): str(v)
        for k, v in params.items()
        if k != "Signature" and not (style == "python" and method == "POST" and str(v)[:1] == "@")
    }
    text = f"{method}{host}{PATH}?" + "&".join(f"{k}={kept[k]}" for k in sorted(kept))
    digest = hashlib.sha256 if sm == "HmacSHA256" else hashlib.sha1
    return base64.b64encode(hmac.new(secret_key.encode(), text.encode(), digest).digest()).decode()


class LegacyClient:
    """One connection to a legacy endpoint; ``host`` overrides the Host header (and the
    host signed), so a loopback server can be reached as ``kms-gz.api.qcloud.com``."""

    def __init__(
        self,
        handle,
        key,
        *,
        method: str = "POST",
        sm: str | None = "HmacSHA1",
        style: str = "python",
        content_type: bool = False,
        host: str | None = None,
    ) -> None:
        self.handle = handle
        self.key = key
        self.method = method
        self.sm = sm
        self.style = style
        self.content_type = content_type
        self.host = host or handle.endpoint
        self.client = {"python": "SDK_Python_1.0", "java": "SDK_JAVA_1.0"}[style]

    def params(self, action: str, params: dict, *, nonce=None, ts=None) -> dict:
        """Every parameter of a signed request for ``action``."""
        p = {
            "Action": action,
            "Nonce": random.randint(1, 2**62) if nonce is None else nonce,
            "Timestamp": int(time.time()) if ts is None else ts,
            "SecretId": self.key.secret_id,
            "RequestClient": self.client,
            **params,
        }
        if self.sm is not None:
            p["SignatureMethod"] = self.sm
        p["Signature"] = sign(
            self.key.secret_key, self.method, self.host, p, self.sm or "HmacSHA1", self.style
        )
        return {k: str(v) for k, v in p.items()}

    def send(self, params: dict, *, method: str | None = None, query: str = "", extra=None):
        """Send already signed ``params``; returns ``(status, content_type, body dict)``."""
        method = method or self.method
        data = urlencode(params)
        headers = {"Host": self.host, "Connection": "Keep-Alive", **(extra or {})}
        if self.handle.https:
            ctx = ssl.create_default_context(cafile=self.handle.cert_path)
            conn = http.client.HTTPSConnection(self.handle.host, self.handle.port, context=ctx)
        else:
            conn = http.client.HTTPConnection(self.handle.host, self.handle.port)
        try:
            if method == "GET":
                conn.request("GET", f"{PATH}?{data}", headers=headers)
            else:
                if self.content_type:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                url = f"{PATH}?{query}" if query else PATH
                conn.request(method, url, body=data.encode(), headers=headers)
                # http.client adds no Content-Type for a bytes body: none is sent
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type"), json.loads(resp.read())
        finally:
            conn.close()

    def call(self, action: str, **params) -> dict:
        """Sign and send; the answer's JSON after checking HTTP 200 and a valid envelope."""
        status, ctype, body = self.send(self.params(action, params))
        assert status == 200 and ctype == "application/json"
        assert isinstance(body["code"], int) and isinstance(body["message"], str)
        assert body["requestId"]
        return body
