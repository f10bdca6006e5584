"""Robustness of the endpoint against hostile sizes and shapes (issue 9, items 2-4):
bounded memory, no InternalError before authentication, no WebSocket upgrade."""

from __future__ import annotations

import base64
import gc
import json
import os
import socket
import tracemalloc

import pytest
import requests
from wire_helpers import answer, error_code, hmac_params, tc3_headers

import kmslab
from kmslab.server.app import WireApp


@pytest.fixture(scope="module")
def key(wire_kms):
    return wire_kms.api_keys()[0]


def _post(endpoint, key, action, params: dict, session=None) -> requests.Response:
    body = json.dumps(params).encode()
    headers = tc3_headers(key, endpoint.endpoint, action, body)
    return (session or requests).post(endpoint.url, data=body, headers=headers, timeout=60)


def _big_b64(n: int, seed: int) -> str:
    return base64.b64encode(os.urandom(n - 1) + bytes([seed % 256])).decode()


def _hostile(i: int, pem: str) -> tuple[str, dict, str]:
    """The i-th of several ~9 MB requests that must all be refused."""
    big = _big_b64(6_700_000, i)  # ~8.9 MB of Base64
    kinds = [
        ("Decrypt", {"CiphertextBlob": f"{big}-k-AAAA-k-BBBB"}, "InvalidCiphertext"),
        ("Decrypt", {"CiphertextBlob": f"AAAA-k-{big}-k-BBBB"}, "InvalidCiphertext"),
        ("Decrypt", {"CiphertextBlob": f"AAAA-k-AAAA-k-{big}"}, "InvalidCiphertext"),
        ("GenerateDataKey", {"KeySpec": "AES_256", "EncryptionPublicKey": pem + big}, ""),
        ("Encrypt", {"Plaintext": big}, ""),
    ]
    return kinds[i % len(kinds)]


def test_refused_large_requests_do_not_retain_memory():
    kms = kmslab.KMS()
    key = kms.api_keys()[0]
    key_id = kms.CreateKey(Alias="mem")["KeyId"]
    sm2 = kms.CreateKey(Alias="sm2", KeyUsage="ASYMMETRIC_DECRYPT_SM2")["KeyId"]
    pem = kms.GetPublicKey(KeyId=sm2)["PublicKeyPem"]
    with kms.serve() as endpoint, requests.Session() as session:
        for i in range(5):  # warm every code path (imports, caches of valid values)
            action, params, _ = _hostile(i, pem)
            _post(endpoint, key, action, {"KeyId": key_id, **params}, session)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(50):
                action, params, code = _hostile(i, pem)
                params = {"KeyId": key_id, **params} if action != "Decrypt" else params
                resp = _post(endpoint, key, action, params, session)
                assert code in error_code(resp)
                del resp, params
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert grown < 20 * 1024 * 1024, f"{grown / 1e6:.1f} MB retained after 50 refused requests"


@pytest.mark.parametrize(
    "text",
    [
        '{"Limit": ' + "1" * 5000 + "}",
        '{"Limit": -' + "9" * 4301 + "}",
        '{"KeyIds": [' + "7" * 10_000 + "]}",
    ],
    ids=["5000-digits", "negative-4301-digits", "in-a-list"],
)
@pytest.mark.parametrize("tls", [False, True])
def test_huge_json_integer_is_invalid_parameter(http_endpoint, https_endpoint, key, text, tls):
    endpoint = https_endpoint if tls else http_endpoint
    body = text.encode()
    headers = tc3_headers(key, endpoint.endpoint, "ListKeys", body)
    verify = endpoint.cert_path if tls else True
    resp = requests.post(endpoint.url, data=body, headers=headers, verify=verify, timeout=10)
    assert error_code(resp) == "InvalidParameter"
    # before authentication too: the same body with no valid signature
    headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    resp = requests.post(endpoint.url, data=body, headers=headers, verify=verify, timeout=10)
    assert error_code(resp) == "InvalidParameter"


def test_huge_integer_in_a_multipart_json_part(http_endpoint, key):
    ctype = "multipart/form-data; boundary=xx"
    body = (
        '--xx\r\nContent-Disposition: form-data; name="Limit"\r\n'
        "Content-Type: application/json\r\n\r\n" + "1" * 5000 + "\r\n--xx--\r\n"
    ).encode()
    headers = tc3_headers(key, http_endpoint.endpoint, "ListKeys", body, ct=ctype)
    assert error_code(requests.post(http_endpoint.url, data=body, headers=headers)) == (
        "InvalidParameter"
    )


def _raw(endpoint, request: bytes) -> bytes:
    with socket.create_connection((endpoint.host, endpoint.port), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_websocket_upgrade_is_answered_as_plain_http(http_endpoint, key, method):
    upgrade = (
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    )
    host = f"Host: {http_endpoint.endpoint}\r\n"
    if method == "GET":
        request = f"GET /?Action=GetRegions HTTP/1.1\r\n{host}{upgrade}\r\n".encode()
    else:
        request = (
            f"POST / HTTP/1.1\r\n{host}{upgrade}Content-Type: application/json\r\n"
            "Content-Length: 2\r\n\r\n{}"
        ).encode()
    codes = []
    for req in (request, request.replace(upgrade.encode(), b"")):  # with and without
        reply = _raw(http_endpoint, req)
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 "), reply[:200]
        assert b"content-type: application/json" in head.lower()
        codes.append(json.loads(body)["Response"]["Error"]["Code"])
    assert codes[0] == codes[1]


def test_websocket_upgrade_of_a_signed_request_is_served(http_endpoint, key):
    p = hmac_params(key, http_endpoint.endpoint, "GetRegions", {}, method="GET")
    resp = requests.get(
        http_endpoint.url,
        params=p,
        headers={"Connection": "Upgrade", "Upgrade": "websocket"},
        timeout=10,
    )
    assert answer(resp)["Regions"]


@pytest.mark.parametrize("where", ["Action", "Version", "Region", "KeyId"])
def test_oversize_names_are_not_kept_in_the_call_log(where):
    """A refused request's names reach the call log clipped: nothing of them is kept."""
    kms = kmslab.KMS()
    app = WireApp(kms)
    key = kms.api_keys()[0]
    big = "x" * 2_000_000
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(10):
            params = {"KeyId": big + str(i)} if where == "KeyId" else {}
            body = json.dumps(params).encode()
            extra = {} if where == "KeyId" else {f"X-TC-{where}": big + str(i)}
            headers = tc3_headers(key, "127.0.0.1:1", "DescribeKey", body, **extra)
            raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            answer_ = json.loads(app.handle("POST", "/", b"", raw, body))["Response"]
            assert "Error" in answer_
            if where in ("Action", "Version"):  # the endpoint's own echo is clipped
                assert len(answer_["Error"]["Message"]) < 200
            del body, headers, raw, params, answer_, extra
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 2_000_000, f"{grown / 1e6:.1f} MB kept"
    assert all(len(r.action) <= 128 and len(r.key_id) <= 128 for r in kms.log.records)
