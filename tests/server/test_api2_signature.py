"""The API 2.0 signature (issue 16, item 2): the spec's test vectors, and every attack on
it answered with its legacy code (wrong signature, replayed nonce, stale timestamp,
parameter smuggling, oversize body...), HTTP 200 always."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from legacy_client import LegacyClient, sign

import kmslab
from kmslab.actions.error_catalogue import CATALOGUE
from kmslab.actions.errors import KMSError
from kmslab.server import api2_auth
from kmslab.server.api2_errors import LEGACY_CODES, legacy_code
from kmslab.server.app import WireApp

_GENERIC = {
    "Action": "DescribeInstances",
    "Nonce": "1290303896666895346",
    "Region": "ap-guangzhou",
    "SecretId": "secretIdFoo",
    "Timestamp": "1512393162",
    "Version": "2017-03-12",
}
_KMS = {
    "Action": "Encrypt",
    "Nonce": "12345",
    "RequestClient": "SDK_Python_1.0",
    "SecretId": "AKIDexample",
    "Timestamp": "1500000000",
    "keyId": "kms-awy8dndb",
    "plaintext": "dGVzdCBtZXNzYWdlIGRhdGE=",
}
_KMS_TEXT = (
    "POSTkms-gz.api.qcloud.com/v2/index.php?Action=Encrypt&Nonce=12345&RequestClient="
    "SDK_Python_1.0&SecretId=AKIDexample&SignatureMethod=HmacSHA1&Timestamp=1500000000"
    "&keyId=kms-awy8dndb&plaintext=dGVzdCBtZXNzYWdlIGRhdGE="
)


@pytest.mark.parametrize(
    "secret, host, params, method, sm, expected",
    [
        ("secretKeyBar", "cvm.api.qcloud.com", _GENERIC, "POST", "HmacSHA1",
         "p3n+pxBqF5JGZtDSxoVn5tGngf0="),
        ("secretKeyBar", "cvm.api.qcloud.com", _GENERIC, "GET", "HmacSHA1",
         "5HAq1BOKNLEE2/uauWnp6Zv9Z3c="),
        ("secretKeyBar", "cvm.api.qcloud.com", _GENERIC, "POST", "HmacSHA256",
         "B2T37FRSP6Fk0/q/cdfrTE0p3zX5ooB/2BPWZUFpsj4="),
        ("exampleSecretKey", "kms-gz.api.qcloud.com", _KMS, "POST", "HmacSHA1",
         "+GGOwqCyNleAe7S9wSKSaHLQmgw="),
        ("exampleSecretKey", "kms-gz.api.qcloud.com", _KMS, "POST", "HmacSHA256",
         "LxZPsfpBFZJiYawSKOYjvI4XaeSKI2e3OjCrWVzsotk="),
    ],
)  # fmt: skip
def test_spec_vectors(secret, host, params, method, sm, expected):
    p = {**params, "SignatureMethod": sm}
    text = api2_auth.string_to_sign(method, host, p)
    assert api2_auth.signature(secret, text, sm) == expected
    assert sign(secret, method, host, p, sm, "java") == expected  # the tests' own signer


def test_spec_string_to_sign_and_body():
    p = {**_KMS, "SignatureMethod": "HmacSHA1"}
    assert api2_auth.string_to_sign("POST", "kms-gz.api.qcloud.com", p) == _KMS_TEXT
    body = urlencode({**p, "Signature": "+GGOwqCyNleAe7S9wSKSaHLQmgw="})
    assert "plaintext=dGVzdCBtZXNzYWdlIGRhdGE%3D" in body
    assert "Signature=%2BGGOwqCyNleAe7S9wSKSaHLQmgw%3D" in body


def test_underscore_names_are_signed_with_dots():
    text = api2_auth.string_to_sign("GET", "h", {"a_b": "1", "Signature": "x"})
    assert text == "GEThv2/index.php?a.b=1".replace("hv2", "h/v2")


# -- attacks, through the application (no sockets) ---------------------------------------


@pytest.fixture(scope="module")
def kms():
    return kmslab.KMS()


@pytest.fixture(scope="module")
def app(kms):
    return WireApp(kms)


@pytest.fixture(scope="module")
def key(kms):
    return kms.api_keys()[0]


HOST = "127.0.0.1:9"


class _Handle:  # what LegacyClient needs to sign (no server: app.handle is called)
    endpoint = HOST
    https = False


def _signed(key, action="ListKey", params=None, *, method="POST", style="python", **kw):
    client = LegacyClient(_Handle, key, method=method, style=style, **kw)
    return client.params(action, params or {})


def _handle(app, params, *, method="POST", host=HOST, query=None, body=None, headers=()):
    data = urlencode(params).encode()
    hdrs = [(b"host", host.encode()), *headers]
    if method == "GET":
        out = app.handle("GET", "/v2/index.php", data if query is None else query, hdrs, b"")
    else:
        out = app.handle(
            method, "/v2/index.php", query or b"", hdrs, data if body is None else body
        )
    answer = json.loads(out)
    assert isinstance(answer["code"], int) and answer["requestId"]
    return answer


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("sm", ["HmacSHA1", "HmacSHA256", None])
def test_a_signed_request_is_accepted(app, key, method, sm):
    assert _handle(app, _signed(key, method=method, sm=sm), method=method)["code"] == 0


def test_wrong_signature_is_4100(app, key):
    p = _signed(key)
    p["Signature"] = p["Signature"][:-2] + ("A=" if p["Signature"][-2] != "A" else "B=")
    assert _handle(app, p)["code"] == 4100


@pytest.mark.parametrize("field, value", [("limit", "20"), ("offset", "1")])
def test_a_parameter_changed_after_signing_is_4100(app, key, field, value):
    p = _signed(key, params={"limit": "5"})
    p[field] = value
    assert _handle(app, p)["code"] == 4100


def test_signature_under_another_method_or_host_is_4100(app, key):
    get_signed = _signed(key, method="GET")
    assert _handle(app, get_signed, method="POST")["code"] == 4100
    assert _handle(app, _signed(key), host="127.0.0.1:10")["code"] == 4100


def test_signature_under_another_key_is_4100(app, key):
    p = _signed(key)
    p["Signature"] = sign("not-the-key", "POST", HOST, p, "HmacSHA1", "python")
    assert _handle(app, p)["code"] == 4100


def test_replayed_nonce_is_4500(app, key):
    p = _signed(key)
    assert _handle(app, p)["code"] == 0
    again = _handle(app, p)
    assert again["code"] == 4500 and "重放" in again["message"]
    p2 = {**p, "Language": "en-US"}  # a changed copy fails on its signature, not the nonce
    assert _handle(app, p2)["code"] == 4100


def test_a_refused_signature_does_not_burn_the_nonce(app, key):
    p = _signed(key)
    bad = {**p, "Signature": "AAAA" + p["Signature"][4:]}
    assert _handle(app, bad)["code"] == 4100
    assert _handle(app, p)["code"] == 0


@pytest.mark.parametrize("offset, code", [(-301, 4200), (-86400, 4200), (301, 4500), (-200, 0)])
def test_timestamp_window(app, key, offset, code):
    client = LegacyClient(_Handle, key)
    p = client.params("ListKey", {}, ts=int(time.time()) + offset)
    assert _handle(app, p)["code"] == code


def test_unknown_secret_id_is_4104(app, key):
    p = _signed(key)
    p["SecretId"] = "AKIDnobody"
    assert _handle(app, p)["code"] == 4104


@pytest.mark.parametrize("drop", ["SecretId", "Signature", "Timestamp", "Nonce", "Action"])
def test_missing_common_parameter_is_4000(app, key, drop):
    p = _signed(key)
    del p[drop]
    assert _handle(app, p)["code"] == 4000


@pytest.mark.parametrize("field, value", [("Nonce", "-1"), ("Nonce", "1e5"), ("Timestamp", "x")])
def test_malformed_common_parameter_is_4000(app, key, field, value):
    p = _signed(key)
    p[field] = value
    assert _handle(app, p)["code"] == 4000


def test_unknown_signature_method_is_4100(app, key):
    assert _handle(app, _signed(key, sm="HmacMD5"))["code"] == 4100


@pytest.mark.parametrize("style", ["python", "java"])
def test_at_rule_both_ways(app, key, style):
    """A POST with an ``@``-valued parameter verifies whether the client left it out of the
    string to sign (Python, PHP) or not (Java, C++); GET always signs it."""
    p = _signed(key, "CreateKey", {"alias": f"at-{style}", "description": "@home"}, style=style)
    assert _handle(app, p)["code"] == 0
    g = _signed(key, "GetKeyAttributes", {"keyId": "@x"}, method="GET", style="python")
    assert _handle(app, g, method="GET")["codeDesc"] != "AuthFailure.SignatureFailure"


@pytest.mark.parametrize("added", ["plain", "x@y", " @lead"])
def test_at_rule_does_not_let_other_values_be_added(app, key, added):
    """Leaving out ``@`` values is only a second reading of a POST: a value the client did
    not sign that does not start with ``@`` breaks the signature."""
    p = _signed(key, "CreateKey", {"alias": "at2"})
    p["description"] = added
    assert _handle(app, p)["code"] == 4100


def test_at_rule_cannot_reach_an_identifier(app, key):
    """The parameters the ``@`` reading leaves unsigned can only hold ``@`` text, which no
    key id, ciphertext, Base64 plaintext or JSON context is: the action refuses it."""
    p = _signed(key, "Encrypt", {"plaintext": "aGk="})
    p["keyId"] = "@whatever"
    answer = _handle(app, p)
    assert answer["code"] == 4000 and answer["codeDesc"] == "InvalidParameterValue.InvalidKeyId"


def test_post_with_query_parameters_is_refused(app, key):
    """Smuggling: a POST's signature covers its body, so nothing may ride in the query."""
    p = _signed(key, "ListKey", {"Language": "en-US"})
    answer = _handle(app, p, query=b"limit=200")
    assert answer["code"] == 4000 and "query string" in answer["message"]


def test_get_with_a_body_is_refused(app, key):
    p = _signed(key, method="GET")
    out = json.loads(
        app.handle("GET", "/v2/index.php", urlencode(p).encode(), [(b"host", HOST.encode())], b"x")
    )
    assert out["code"] == 4000


def test_duplicate_parameter_is_refused(app, key):
    p = _signed(key, "ListKey", {"limit": "5"})
    body = (urlencode(p) + "&limit=100").encode()
    assert _handle(app, p, body=body)["code"] == 4000


def test_api3_parameter_names_are_refused_after_signing(app, key):
    p = _signed(key, "ListKey", {"Limit": "5"})
    answer = _handle(app, p)
    assert answer["code"] == 4000 and answer["codeDesc"] == "UnknownParameter"


@pytest.mark.parametrize(
    "ctype", [b"application/json", b"multipart/form-data; boundary=x", b"text/plain"]
)
def test_non_form_content_type_is_refused(app, key, ctype):
    answer = _handle(app, _signed(key), headers=[(b"content-type", ctype)])
    assert answer["code"] == 4000


def test_form_content_type_with_charset_is_accepted(app, key):
    ct = (b"content-type", b"application/x-www-form-urlencoded; charset=utf-8")
    assert _handle(app, _signed(key), headers=[ct])["code"] == 0


def test_oversize_body_is_4000_and_200(app, key):
    p = _signed(key, "Encrypt", {"keyId": "x", "plaintext": "A" * (1024 * 1024)})
    answer = _handle(app, p)
    assert answer["code"] == 4000 and answer["codeDesc"] == "RequestSizeLimitExceeded"
    big = json.loads(
        app.handle("POST", "/v2/index.php", b"", [(b"host", HOST.encode())], b"", too_big=True)
    )
    assert big["code"] == 4000 and big["codeDesc"] == "RequestSizeLimitExceeded"


def test_oversize_get_is_4000(app, key):
    p = _signed(key, "Encrypt", {"keyId": "x", "plaintext": "A" * 40_000}, method="GET")
    assert _handle(app, p, method="GET")["codeDesc"] == "RequestSizeLimitExceeded"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "get"])
def test_other_methods_are_4600(app, key, method):
    assert _handle(app, _signed(key), method=method)["code"] == 4600


def test_temporary_key_token(app, kms):
    temp = kms.create_temporary_credential(duration=600)
    assert _handle(app, _signed(temp, params={"Token": temp.token}))["code"] == 0
    assert _handle(app, _signed(temp))["code"] == 4105
    assert _handle(app, _signed(temp, params={"Token": temp.token + "x"}))["code"] == 4105


def test_calls_and_refusals_are_recorded_under_the_core_action(app, kms, key):
    p = _signed(key, "GetKeyAttributes", {"keyId": "nope"})
    p["SecretId"] = "AKIDnobody"
    _handle(app, p)
    last = kms.log.records[-1]
    assert (last.action, last.error) == ("DescribeKey", "AuthFailure.SecretIdNotFound")
    _handle(app, _signed(key, "ListKey", {"limit": "3"}))
    last = kms.log.records[-1]
    assert (last.action, last.error, last.uin) == ("ListKeys", "", key.uin)


# -- the error mapping ---------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_kmslab_code_has_a_legacy_code(code):
    legacy = legacy_code(KMSError(code))
    assert legacy in LEGACY_CODES and legacy != 0
    assert (legacy == 6000) == (code in ("InternalError", "ResponseSizeLimitExceeded"))


@pytest.mark.parametrize(
    "code, legacy",
    [
        ("MissingParameter", 4000),
        ("InvalidParameterValue.InvalidAlias", 4000),
        ("AuthFailure.SignatureFailure", 4100),
        ("AuthFailure.SecretIdNotFound", 4104),
        ("RequestLimitExceeded", 4400),
        ("ResourceUnavailable.CmkNotFound", 5000),
        ("ResourceUnavailable.CmkDisabled", 5100),
        ("ResourceUnavailable.CmkShouldBeDisabled", 5100),
        ("FailedOperation.DecryptError", 5100),
        ("InternalError", 6000),
    ],
)
def test_spec_error_mapping(code, legacy):
    assert legacy_code(KMSError(code)) == legacy


@pytest.mark.parametrize("space", ["+", "%20"])
def test_plus_and_percent_20_are_spaces(app, key, space):
    """Python, Java and PHP encode a space as ``+``, C++ as ``%20``: both decode to the
    space that was signed."""
    p = _signed(key, "CreateKey", {"alias": f"sp{len(space)}", "description": "a b+c"})
    body = urlencode(p).replace("a+b", f"a{space}b").encode()
    assert b"%2B" in body  # the literal + of the value stays a +
    answer = _handle(app, p, body=body)
    assert answer["code"] == 0 and answer["keyMetadata"]["description"] == "a b+c"
