"""Property tests of the parsers changed for issue 9: the Authorization header (fast and
general paths agree), the scope services, JSON bodies and the EncryptionPublicKey check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.actions.errors import KMSError
from kmslab.crypto import blob, public_wrap
from kmslab.server import auth
from kmslab.server.body import BODY, json_value

_token = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="/,= "),
    min_size=1,
    max_size=40,
)
_hex64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@given(secret_id=_token, date=_token, service=_token, signature=_hex64, space=st.booleans())
def test_authorization_round_trip(secret_id, date, service, signature, space):
    sep = ", " if space else ","
    header = (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request{sep}"
        f"SignedHeaders=content-type;host{sep}Signature={signature}"
    )
    assert auth.parse_authorization(header) == (
        secret_id,
        date,
        service,
        ["content-type", "host"],
        signature,
    )
    # the general path (taken for anything the one-match form does not cover) agrees
    assert auth.parse_authorization(" " + header + " ") == auth.parse_authorization(header)


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_authorization_never_fails_otherwise(text):
    try:
        auth.parse_authorization(text)
    except KMSError as exc:
        assert exc.code == "AuthFailure.InvalidAuthorization"


@given(st.text(max_size=60))
def test_scope_services_always_allow_kms_and_at_most_the_first_label(host):
    services = auth.scope_services(host)
    assert services[0] == "kms" and len(services) <= 2
    assert all(s == "kms" or s == host.split(".")[0] for s in services)


@pytest.mark.parametrize("n", [4300, 4301, 20_000])
def test_integer_digit_limit(n):
    body = ("[" + "9" * n + "]").encode()
    if n <= 4300:
        assert json_value(body, BODY) == [int("9" * n)]
    else:
        with pytest.raises(KMSError) as info:
            json_value(body, BODY)
        assert info.value.code == "InvalidParameter"


@given(st.binary(max_size=200))
def test_json_value_refuses_only_with_invalid_parameter(data):
    try:
        json_value(data, BODY)
    except KMSError as exc:
        assert exc.code == "InvalidParameter"


@given(st.text(max_size=600))
def test_encryption_public_key_check(text):
    try:
        pem = public_wrap._checked_pem(text)
    except public_wrap.BadPublicKey as exc:
        assert exc.why and exc.why_zh  # the service answers InvalidParameter with these
    else:
        assert len(pem) <= public_wrap.MAX_PEM_CHARS and pem.startswith("-----BEGIN")


@pytest.mark.parametrize(
    "junk", ["\nx", "\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"]
)
def test_pem_followed_by_anything_is_refused(junk):
    pem = (
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE\n-----END PUBLIC KEY-----"
    )
    assert public_wrap._checked_pem(pem) == pem
    with pytest.raises(public_wrap.BadPublicKey):
        public_wrap._checked_pem(pem + junk)
    with pytest.raises(public_wrap.BadPublicKey):
        public_wrap._checked_pem(pem + " " * public_wrap.MAX_PEM_CHARS)


@given(head=st.text(alphabet="ABCD", min_size=0, max_size=80))
def test_blob_header_segment_of_another_size_is_refused_uncached(head):
    before = blob._parsed_header.cache_info().currsize
    text = f"{head}-k-{'A' * blob.NONCE_TEXT_SIZE}-k-{'A' * 24}"
    if len(head) != blob.HEADER_TEXT_SIZE:
        with pytest.raises(blob.MalformedBlob):
            blob.decode(text)
        assert blob._parsed_header.cache_info().currsize == before
