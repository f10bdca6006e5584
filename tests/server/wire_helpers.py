"""Independent request signers and answer checks for the wire tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
from datetime import datetime, timezone

import requests


def tc3_headers(
    key, host, action, body, *, method="POST", query="", ts=None, ct=None, service="kms", **extra
):
    """Headers of a TC3-signed request, computed independently of kmslab's verifier;
    ``ct`` is the Content-Type, ``service`` the credential scope's service name."""
    ts = int(time.time()) if ts is None else ts
    date = datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")
    if ct is None:
        ct = "application/json" if method == "POST" else "application/x-www-form-urlencoded"
    payload = body if method == "POST" else b""
    canonical = "\n".join(
        [
            method,
            "/",
            query,
            f"content-type:{ct}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    sts = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(ts),
            f"{date}/{service}/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    k = hmac.new(("TC3" + key.secret_key).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, service.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"tc3_request", hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Authorization": f"TC3-HMAC-SHA256 Credential={key.secret_id}/{date}/{service}/"
        f"tc3_request, SignedHeaders=content-type;host, Signature={sig}",
        "Content-Type": ct,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": "2019-01-18",
        "X-TC-Timestamp": str(ts),
        "X-TC-Region": "ap-guangzhou",
    }
    headers.update(extra)
    return headers


def hmac_params(
    key, host, action, params, *, method="POST", nonce=None, ts=None, sm="HmacSHA1", drop=()
):
    """Every parameter of an HmacSHA*-signed request, including its Signature; the
    common parameters named in ``drop`` are left out (before signing)."""
    p = {
        "Action": action,
        "Version": "2019-01-18",
        "Region": "ap-guangzhou",
        "Timestamp": str(int(time.time()) if ts is None else ts),
        "Nonce": str(nonce if nonce is not None else random.randint(1, 2**40)),
        "SecretId": key.secret_id,
        "SignatureMethod": sm,
        **params,
    }
    for name in drop:
        del p[name]
    src = f"{method}{host}/?" + "&".join(f"{k}={p[k]}" for k in sorted(p))
    digest = hashlib.sha256 if sm == "HmacSHA256" else hashlib.sha1
    p["Signature"] = base64.b64encode(
        hmac.new(key.secret_key.encode(), src.encode(), digest).digest()
    ).decode()
    return p


def answer(resp: requests.Response) -> dict:
    """The ``Response`` object of a wire answer, after checking status and content type."""
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    body = json.loads(resp.content)["Response"]
    assert body["RequestId"]
    return body


def error_code(resp: requests.Response) -> str:
    """The ``Response.Error.Code`` of an answer (asserting there is one)."""
    return answer(resp)["Error"]["Code"]
