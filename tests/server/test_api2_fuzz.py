"""Hypothesis on the legacy path (issue 16, item 8): no input reaches a traceback, an
``InternalError`` or a non-legacy envelope, and any signed text survives form encoding."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_client import sign

import kmslab
from kmslab.server.app import WireApp

PATH = "/v2/index.php"
HOST = "kms-gz.api.qcloud.com"


@pytest.fixture(scope="module")
def kms():
    return kmslab.KMS(seed=16)


@pytest.fixture(scope="module")
def app(kms):
    return WireApp(kms, now=time.time)


def _check(payload: bytes) -> dict:
    body = json.loads(payload)
    assert "Response" not in body  # the legacy envelope, never API 3.0's
    assert isinstance(body["code"], int) and body["code"] != 0
    assert body["code"] != 6000, body
    assert isinstance(body["message"], str) and body["message"]
    assert body["requestId"]
    return body


_names = st.sampled_from(
    [
        "Action",
        "SecretId",
        "Signature",
        "SignatureMethod",
        "Nonce",
        "Timestamp",
        "Token",
        "Language",
        "keyId",
        "alias",
        "limit",
        "offset",
        "numberOfBytes",
        "plaintext",
        "ciphertextBlob",
        "pendingWindowInDays",
        "x_y",
    ]
)
_values = st.text(max_size=30) | st.sampled_from(
    ["ListKey", "CreateKey", "Decrypt", "HmacSHA256", "HmacMD5", "0", "-1", "@x", "9" * 30]
)
_headers = st.lists(
    st.tuples(
        st.sampled_from([b"host", b"content-type", b"authorization", b"x-tc-action", b"x"]),
        st.binary(max_size=40)
        | st.sampled_from(
            [b"application/x-www-form-urlencoded", b"application/json", HOST.encode()]
        ),
    ),
    max_size=5,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD"]),
    query=st.binary(max_size=120)
    | st.dictionaries(_names, _values, max_size=6).map(lambda d: urlencode(d).encode()),
    headers=_headers,
    body=st.binary(max_size=200)
    | st.dictionaries(_names, _values, max_size=8).map(lambda d: urlencode(d).encode()),
)
def test_no_input_breaks_the_legacy_path(app, method, query, headers, body):
    _check(app.handle(method, PATH, query, headers, body))


_free = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=40
)  # any text a client may sign


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extra=st.dictionaries(st.from_regex(r"z[a-z_]{0,8}", fullmatch=True), _free, max_size=4),
    method=st.sampled_from(["GET", "POST"]),
    sm=st.sampled_from(["HmacSHA1", "HmacSHA256"]),
    style=st.sampled_from(["python", "java"]),
    nonce=st.integers(0, 2**63),
)
def test_any_signed_text_verifies(app, kms, extra, method, sm, style, nonce):
    """Whatever the values (spaces, ``+``, ``&``, ``=``, ``@``, non-ASCII), a correctly
    signed request passes authentication: the answer is the action's own refusal of the
    unknown parameters (or success), never a signature failure."""
    key = kms.api_keys()[0]
    params = {
        "Action": "ListKey",
        "SecretId": key.secret_id,
        "Timestamp": str(int(time.time())),
        "Nonce": str(nonce),
        "SignatureMethod": sm,
        **extra,
    }
    params["Signature"] = sign(key.secret_key, method, HOST, params, sm, style)
    data = urlencode(params).encode()
    hdrs = [(b"host", HOST.encode())]
    if method == "GET":
        out = json.loads(app.handle("GET", PATH, data, hdrs, b""))
    else:
        out = json.loads(app.handle("POST", PATH, b"", hdrs, data))
    if out["code"] == 4500:  # hypothesis drew a nonce twice in one second
        return
    expected = (4000, "UnknownParameter") if extra else (0, "Success")
    assert (out["code"], out["codeDesc"]) == expected, out
