"""Attacks on the endpoint's authentication and parsing (issue 9): each test sends what an
attacker would and checks both the answer and that nothing changed."""

from __future__ import annotations

import json

import pytest
import requests
from wire_helpers import answer, error_code, hmac_params, tc3_headers


@pytest.fixture(scope="module")
def key(wire_kms):
    return wire_kms.api_keys()[0]


def _state(kms, key_id: str) -> str:
    return kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"]


def _multipart(fields: list[tuple[str, str, str]], boundary: str = "kmslabB0undary") -> bytes:
    """A multipart/form-data body of (name, content type or '', value) fields."""
    out = []
    for name, ctype, value in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n')
        if ctype:
            out.append(f"Content-Type: {ctype}\r\n")
        out.append(f"\r\n{value}\r\n")
    out.append(f"--{boundary}--\r\n")
    return "".join(out).encode()


# -- 1. everything the action sees is signed ----------------------------------------


@pytest.mark.parametrize("sm", ["HmacSHA1", "HmacSHA256"])
@pytest.mark.parametrize("extra", ["KeyId", "Description"])  # override, or add
def test_json_multipart_part_cannot_ride_on_an_hmac_signature(
    wire_kms, http_endpoint, key, sm, extra
):
    victim = wire_kms.CreateKey(Alias=f"victim-{sm}-{extra}")["KeyId"]
    other = wire_kms.CreateKey(Alias=f"other-{sm}-{extra}")["KeyId"]
    signed = hmac_params(key, http_endpoint.endpoint, "DisableKey", {"KeyId": victim}, sm=sm)
    fields = [(k, "", v) for k, v in signed.items()]
    fields.append((extra, "application/json", json.dumps(other)))
    resp = requests.post(
        http_endpoint.url,
        data=_multipart(fields),
        headers={"Content-Type": "multipart/form-data; boundary=kmslabB0undary"},
        timeout=10,
    )
    assert error_code(resp) == "AuthFailure.SignatureFailure"
    assert _state(wire_kms, other) == "Enabled"
    assert _state(wire_kms, victim) == "Enabled"


@pytest.mark.parametrize("sm", ["HmacSHA1", "HmacSHA256"])
def test_hmac_multipart_of_signed_text_fields_works(wire_kms, http_endpoint, key, sm):
    victim = wire_kms.CreateKey(Alias=f"text-only-{sm}")["KeyId"]
    signed = hmac_params(key, http_endpoint.endpoint, "DisableKey", {"KeyId": victim}, sm=sm)
    resp = requests.post(
        http_endpoint.url,
        data=_multipart([(k, "", v) for k, v in signed.items()]),
        headers={"Content-Type": "multipart/form-data; boundary=kmslabB0undary"},
        timeout=10,
    )
    assert "Error" not in answer(resp)
    assert _state(wire_kms, victim) == "Disabled"


def test_hmac_ignores_unsigned_headers(wire_kms, http_endpoint, key):
    """An ``X-TC-Region`` header cannot supply what the HmacSHA* signature left out."""
    signed = hmac_params(key, http_endpoint.endpoint, "GetRegions", {}, drop=("Region",))
    resp = requests.post(
        http_endpoint.url, data=signed, headers={"X-TC-Region": "ap-guangzhou"}, timeout=10
    )
    assert error_code(resp) == "MissingParameter"


@pytest.mark.parametrize("sm", ["HmacSHA1", "HmacSHA256"])
def test_hmac_duplicate_parameter_is_refused(wire_kms, http_endpoint, key, sm):
    victim = wire_kms.CreateKey(Alias=f"dup-{sm}")["KeyId"]
    other = wire_kms.CreateKey(Alias=f"dup-other-{sm}")["KeyId"]
    signed = hmac_params(key, http_endpoint.endpoint, "DisableKey", {"KeyId": victim}, sm=sm)
    body = "&".join(f"{k}={requests.utils.quote(v, safe='')}" for k, v in signed.items())
    resp = requests.post(
        http_endpoint.url,
        data=body + f"&KeyId={other}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert error_code(resp) == "InvalidParameter"
    assert _state(wire_kms, other) == "Enabled"
    assert _state(wire_kms, victim) == "Enabled"


def test_tc3_multipart_body_is_signed_whole(wire_kms, http_endpoint, key):
    victim = wire_kms.CreateKey(Alias="tc3-victim")["KeyId"]
    other = wire_kms.CreateKey(Alias="tc3-other")["KeyId"]
    ctype = "multipart/form-data; boundary=kmslabB0undary"
    body = _multipart([("KeyId", "", victim)])
    headers = tc3_headers(key, http_endpoint.endpoint, "DisableKey", body, ct=ctype)
    tampered = _multipart([("KeyId", "", victim), ("KeyId", "application/json", json.dumps(other))])
    resp = requests.post(http_endpoint.url, data=tampered, headers=headers, timeout=10)
    assert error_code(resp) == "AuthFailure.SignatureFailure"
    assert _state(wire_kms, other) == "Enabled"
    resp = requests.post(http_endpoint.url, data=body, headers=headers, timeout=10)
    assert "Error" not in answer(resp)
    assert _state(wire_kms, victim) == "Disabled"


def test_tc3_text_and_json_parts_of_one_name_are_refused(wire_kms, http_endpoint, key):
    a = wire_kms.CreateKey(Alias="both-a")["KeyId"]
    ctype = "multipart/form-data; boundary=kmslabB0undary"
    body = _multipart([("KeyId", "", a), ("KeyId", "application/json", json.dumps(a))])
    headers = tc3_headers(key, http_endpoint.endpoint, "DisableKey", body, ct=ctype)
    assert error_code(requests.post(http_endpoint.url, data=body, headers=headers)) == (
        "InvalidParameter"
    )
    assert _state(wire_kms, a) == "Enabled"


def test_unsigned_payload_cannot_carry_parameters(wire_kms, http_endpoint, key):
    victim = wire_kms.CreateKey(Alias="unsigned-victim")["KeyId"]
    headers = tc3_headers(key, http_endpoint.endpoint, "DisableKey", b"UNSIGNED-PAYLOAD")
    headers["X-TC-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    body = json.dumps({"KeyId": victim}).encode()
    resp = requests.post(http_endpoint.url, data=body, headers=headers, timeout=10)
    assert error_code(resp) == "AuthFailure.SignatureFailure"
    assert _state(wire_kms, victim) == "Enabled"


def test_unsigned_payload_without_parameters_still_works(http_endpoint, key):
    headers = tc3_headers(key, http_endpoint.endpoint, "GetRegions", b"UNSIGNED-PAYLOAD")
    headers["X-TC-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    assert answer(requests.post(http_endpoint.url, data=b"{}", headers=headers))["Regions"]


# -- 5. the signature method ----------------------------------------------------------


@pytest.mark.parametrize("sm", ["HmacMD5", "hmacsha256", "HmacSHA512", ""])
def test_unknown_signature_method_is_refused(http_endpoint, key, sm):
    for method in ("GET", "POST"):
        p = hmac_params(key, http_endpoint.endpoint, "GetRegions", {}, method=method, sm=sm)
        if method == "GET":
            resp = requests.get(http_endpoint.url, params=p, timeout=10)
        else:
            resp = requests.post(http_endpoint.url, data=p, timeout=10)
        assert error_code(resp) == "AuthFailure.SignatureFailure"


def test_absent_signature_method_means_hmac_sha1(http_endpoint, key):
    p = hmac_params(key, http_endpoint.endpoint, "GetRegions", {}, drop=("SignatureMethod",))
    assert answer(requests.post(http_endpoint.url, data=p, timeout=10))["Regions"]


@pytest.mark.parametrize("sm", ["HmacSHA256", "TC3"])
def test_a_get_body_never_reaches_the_action(wire_kms, http_endpoint, key, sm):
    victim = wire_kms.CreateKey(Alias=f"get-victim-{sm}")["KeyId"]
    other = wire_kms.CreateKey(Alias=f"get-other-{sm}")["KeyId"]
    smuggled = json.dumps({"KeyId": other}).encode()
    if sm == "TC3":
        query = f"KeyId={victim}"
        headers = tc3_headers(
            key, http_endpoint.endpoint, "DisableKey", b"", method="GET", query=query
        )
        url = f"{http_endpoint.url}?{query}"
    else:
        p = hmac_params(
            key, http_endpoint.endpoint, "DisableKey", {"KeyId": victim}, method="GET", sm=sm
        )
        headers = {"Content-Type": "application/json"}
        url = http_endpoint.url + "?" + requests.compat.urlencode(p)
    resp = requests.request("GET", url, data=smuggled, headers=headers, timeout=10)
    assert "Error" not in answer(resp)
    assert _state(wire_kms, victim) == "Disabled"
    assert _state(wire_kms, other) == "Enabled"
