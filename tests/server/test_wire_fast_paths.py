"""The per-request fast paths of the wire endpoint refuse exactly what the general paths
refuse: TC3 verification of what every SDK sends (timestamp, window, scope, signed
headers, token and the signing-key cache), the JSON body reader, the answer encoder and
the header decoding. Each attack below is answered as it was before these paths existed.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.actions.errors import KMSError
from kmslab.server import auth
from kmslab.server.api3 import encode_response
from kmslab.server.app import asgi_headers
from kmslab.server.body import BODY, json_value

NOW = 1_764_600_000  # 2025-12-01T14:40:00Z
HOST = "127.0.0.1:8080"
BODY_BYTES = b'{"KeyId":"k","Plaintext":"eA=="}'


class _Key:
    def __init__(self, secret_id: str, secret_key: str, token: str = "", expires: int = 0):
        self.uin = 7
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.token = token
        self.expires = expires


KEYS = {
    "AKIDalice": _Key("AKIDalice", "alice-secret-key-0123456789abcdef"),
    "AKIDbob": _Key("AKIDbob", "bob-secret-key-0123456789abcdefgh"),
    "AKIDtemp": _Key("AKIDtemp", "temp-secret-key-0123456789abcdef", "tok-1", NOW + 600),
}


def _date(ts: int) -> str:
    return auth.utc_date(ts)


def _signature(secret_key: str, date: str, service: str, sts: str) -> str:
    """TC3 signing, computed here independently of kmslab's cached keys."""
    k = hmac.new(("TC3" + secret_key).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, service.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()


def _headers(
    *,
    secret_id: str = "AKIDalice",
    secret_key: str | None = None,
    ts: int = NOW,
    ts_text: str | None = None,
    date: str | None = None,
    scope_date: str | None = None,
    service: str = "kms",
    scope_service: str | None = None,
    body: bytes = BODY_BYTES,
    host: str = HOST,
    ct: str = "application/json",
    token: str | None = None,
) -> dict[str, str]:
    """Headers of a TC3 POST as the Python SDK sends it; the keyword arguments make the
    signature (secret, date, service) and the claims (scope, timestamp) disagree."""
    secret_key = KEYS[secret_id].secret_key if secret_key is None else secret_key
    date = _date(ts) if date is None else date
    scope_date = date if scope_date is None else scope_date
    scope_service = service if scope_service is None else scope_service
    canonical = (
        f"POST\n/\n\ncontent-type:{ct}\nhost:{host}\n\ncontent-type;host\n"
        + hashlib.sha256(body).hexdigest()
    )
    sts = f"TC3-HMAC-SHA256\n{ts}\n{scope_date}/{scope_service}/tc3_request\n" + (
        hashlib.sha256(canonical.encode()).hexdigest()
    )
    sig = _signature(secret_key, date, service, sts)
    headers = {
        "authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/{scope_date}/"
        f"{scope_service}/tc3_request, SignedHeaders=content-type;host, Signature={sig}",
        "content-type": ct,
        "host": host,
        "x-tc-timestamp": str(ts) if ts_text is None else ts_text,
    }
    if token is not None:
        headers["x-tc-token"] = token
    return headers


def _verify(headers: dict[str, str], body: bytes = BODY_BYTES, now: float = NOW):
    return auth.verify_tc3(
        method="POST",
        path="/",
        query="",
        headers=headers,
        body=body,
        lookup=KEYS.get,
        now=now,
    )


def _code(headers: dict[str, str], body: bytes = BODY_BYTES, now: float = NOW) -> str:
    with pytest.raises(KMSError) as info:
        _verify(headers, body, now)
    return info.value.code


def test_what_the_sdk_sends_verifies():
    who = _verify(_headers())
    assert who == auth.Identity(7, "AKIDalice", "TC3-HMAC-SHA256")
    assert type(who) is auth.Identity and who.uin == 7


# -- the signing-key cache: keyed by secret, date and service, all checked first -----


def test_cached_key_of_one_service_does_not_verify_another():
    assert _verify(_headers(service="kms"))  # caches alice's key for (date, kms)
    # signed under the key of service "127" but claiming scope "kms"
    assert _code(_headers(service="127", scope_service="kms")) == "AuthFailure.SignatureFailure"
    # and the other way round, once "127" is cached too
    assert _verify(_headers(service="127", host="127.0.0.1:8080"))
    assert _code(_headers(service="kms", scope_service="127")) == "AuthFailure.SignatureFailure"


def test_cached_key_of_one_day_does_not_verify_another():
    assert _verify(_headers())
    yesterday = _date(NOW - 86_400)
    forged = _headers(date=yesterday, scope_date=_date(NOW))
    assert _code(forged) == "AuthFailure.SignatureFailure"


def test_cached_key_of_one_secret_does_not_verify_another_secret_id():
    assert _verify(_headers(secret_id="AKIDalice"))
    assert _verify(_headers(secret_id="AKIDbob"))
    # bob's SecretId, signed with alice's (cached) secret key
    forged = _headers(secret_id="AKIDbob", secret_key=KEYS["AKIDalice"].secret_key)
    assert _code(forged) == "AuthFailure.SignatureFailure"


def test_a_scope_service_that_is_not_allowed_is_refused_before_any_key_is_derived():
    info = auth._tc3_mac.cache_info()
    assert _code(_headers(service="cvm")) == "AuthFailure.SignatureFailure"
    assert auth._tc3_mac.cache_info().currsize == info.currsize


def test_the_cache_is_bounded():
    assert auth._tc3_mac.cache_info().maxsize is not None
    assert auth._tc3_key.cache_info().maxsize is not None


# -- the timestamp, the window and the credential date ------------------------------


@pytest.mark.parametrize(
    ("ts_text", "code"),
    [
        ("", "MissingParameter"),
        (" ", "InvalidParameter"),
        ("１７６４６０００００", "InvalidParameter"),  # Unicode digits are not Unix seconds
        ("1764600000.5", "InvalidParameter"),
        ("-1764600000", "InvalidParameter"),
        ("1" * 13, "InvalidParameter"),
    ],
)
def test_timestamps_that_are_not_unix_seconds(ts_text, code):
    assert _code(_headers(ts_text=ts_text)) == code


def test_a_timestamp_with_spaces_is_read_as_its_digits():
    assert _verify(_headers(ts_text=f" {NOW} "))


@pytest.mark.parametrize("skew", [-301, 301, -(10**6)])
def test_the_window_still_applies(skew):
    assert _code(_headers(ts=NOW + skew)) == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize("skew", [-300, 300])
def test_the_window_edges_are_inside(skew):
    assert _verify(_headers(ts=NOW + skew))


def test_the_signature_covers_the_timestamp():
    headers = _headers()
    headers["x-tc-timestamp"] = str(NOW + 1)  # same signature, another (valid) instant
    assert _code(headers) == "AuthFailure.SignatureFailure"


def test_the_credential_date_must_be_the_timestamps():
    wrong = _date(NOW + 86_400)
    assert _code(_headers(date=wrong)) == "AuthFailure.SignatureFailure"


# -- signed headers, the body, the token ---------------------------------------------


def test_a_signed_header_that_is_not_sent():
    headers = _headers()
    del headers["content-type"]
    assert _code(headers) == "AuthFailure.InvalidAuthorization"


def test_the_signature_covers_the_body_and_the_signed_headers():
    assert _code(_headers(), body=BODY_BYTES + b" ") == "AuthFailure.SignatureFailure"
    headers = _headers()
    headers["host"] = "127.0.0.2:8080"
    assert _code(headers) == "AuthFailure.SignatureFailure"
    headers = _headers()
    headers["content-type"] = "application/x-www-form-urlencoded"
    assert _code(headers) == "AuthFailure.SignatureFailure"


def test_unknown_secret_id():
    headers = _headers(secret_id="AKIDalice")
    headers["authorization"] = headers["authorization"].replace("AKIDalice", "AKIDnobody")
    assert _code(headers) == "AuthFailure.SecretIdNotFound"


def test_a_token_with_a_permanent_key_is_refused():
    assert _code(_headers(token="tok-1")) == "AuthFailure.TokenFailure"


def test_a_temporary_key_needs_its_token_unexpired():
    assert _code(_headers(secret_id="AKIDtemp")) == "AuthFailure.TokenFailure"
    assert _code(_headers(secret_id="AKIDtemp", token="tok-2")) == "AuthFailure.TokenFailure"
    assert _verify(_headers(secret_id="AKIDtemp", token="tok-1"))
    late = NOW + 600
    assert _code(_headers(secret_id="AKIDtemp", token="tok-1", ts=late), now=late) == (
        "AuthFailure.TokenFailure"
    )


# -- the canonical request, the JSON body, the answer, the headers --------------------

_text = st.text(st.characters(codec="utf-8"), max_size=40)


@given(k1=_text, v1=_text, k2=_text, v2=_text, query=_text, payload=_text)
def test_two_header_canonical_request_is_the_documented_one(k1, v1, k2, v2, query, payload):
    headers = [(k1, v1), (k2, v2)]
    expected = (
        f"POST\n/\n{query}\n"
        + "".join(f"{k}:{v}\n" for k, v in headers)
        + "\n"
        + ";".join(k for k, _ in headers)
        + "\n"
        + payload
    )
    assert auth.tc3_canonical_request("POST", "/", query, headers, payload) == expected


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(_text, _text, max_size=8) | st.dictionaries(_text, _json, max_size=6))
def test_encode_response_is_compact_json(result):
    expected = json.dumps({"Response": result}, ensure_ascii=False, separators=(",", ":"))
    assert encode_response(result) == expected.encode("utf-8")


def _loads(text: str):
    try:
        return "ok", json.loads(text)
    except (ValueError, RecursionError):
        return "refused", None


@given(
    st.one_of(
        _json.map(json.dumps),
        st.tuples(_json.map(json.dumps), st.sampled_from(["", " ", "\n", "x", "}", "{}"])).map(
            "".join
        ),
        st.text(alphabet='{}[]":, 0123456789aetrufln\\', max_size=30),
    )
)
@settings(max_examples=400)
def test_json_value_reads_what_json_loads_reads(text):
    expected = _loads(text)
    try:
        got = ("ok", json_value(text.encode(), BODY))
    except KMSError as exc:
        assert exc.code == "InvalidParameter"
        got = ("refused", None)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert json.dumps(got[1], sort_keys=True) == json.dumps(expected[1], sort_keys=True)


_header_bytes = st.binary(max_size=30)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([b"host", b"authorization", b"x-tc-action", b"content-type"])
            | _header_bytes,
            _header_bytes,
        ),
        max_size=12,
    )
)
def test_asgi_headers_decode_every_name_and_value_as_latin1(raw):
    assert asgi_headers(raw) == {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}


# -- the common parameters of a TC3 request -----------------------------------------


def _decoded(body: dict, **headers: str):
    from kmslab.server.api3 import Api3Dialect
    from kmslab.server.dialect import WireRequest

    hdrs = {
        "authorization": "TC3-HMAC-SHA256 ...",
        "content-type": "application/json",
        "x-tc-action": "Encrypt",
        "x-tc-version": "2019-01-18",
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    req = WireRequest("POST", "/", b"", hdrs, json.dumps(body).encode())
    Api3Dialect().decode(req)
    return req


@pytest.mark.parametrize("name", ["Region", "Nonce", "Timestamp", "Token", "RequestClient"])
def test_a_common_parameter_in_the_body_must_be_a_string(name):
    with pytest.raises(KMSError) as info:
        _decoded({name: 5})
    assert info.value.code == "InvalidParameter" and f"{name} must be a String" in str(info.value)


@pytest.mark.parametrize("name", ["Region", "Nonce", "Timestamp", "Token", "RequestClient"])
def test_its_header_wins_over_the_body(name):
    req = _decoded({name: 5, "KeyId": "k"}, **{f"x_tc_{name.lower()}": "from-header"})
    assert "KeyId" in req.state.typed and name not in req.state.typed


def test_headers_and_body_give_action_region_and_language():
    req = _decoded({"Region": "ap-shanghai", "Language": "en-US"})
    assert (req.action, req.state.common["Region"], req.language) == (
        "Encrypt",
        "ap-shanghai",
        "en-US",
    )
    req = _decoded({"Region": "ap-shanghai"}, x_tc_region="ap-guangzhou", x_tc_language="en-US")
    assert (req.state.common["Region"], req.language) == ("ap-guangzhou", "en-US")
