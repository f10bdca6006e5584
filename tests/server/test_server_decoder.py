"""The request decoder: flattened parameters rebuild typed values, and no input whatsoever
makes the endpoint answer other than HTTP 200 with the JSON envelope (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kmslab
from kmslab.actions.errors import KMSError
from kmslab.server.app import WireApp
from kmslab.server.flatten import decode_flat, parse_scalar


@pytest.mark.parametrize(
    ("action", "pairs", "expected"),
    [
        ("DescribeKeys", [("KeyIds.1", "b"), ("KeyIds.0", "a")], {"KeyIds": ["a", "b"]}),
        ("DescribeKeys", [("KeyIds.0", "")], {"KeyIds": [""]}),
        (
            "CreateKey",
            [("Alias", "x"), ("Type", "2"), ("Tags.0.TagKey", "k"), ("Tags.0.TagValue", "v")],
            {"Alias": "x", "Type": 2, "Tags": [{"TagKey": "k", "TagValue": "v"}]},
        ),
        (
            "ListKeyDetail",
            [
                ("TagFilters.0.TagKey", "t"),
                ("TagFilters.0.TagValue.1", "prod"),
                ("TagFilters.0.TagValue.0", "dev"),
                ("Limit", "10"),
            ],
            {"TagFilters": [{"TagKey": "t", "TagValue": ["dev", "prod"]}], "Limit": 10},
        ),
        ("DescribeKeys", [("MemberAccount.MemberUin", "5")], {"MemberAccount": {"MemberUin": 5}}),
        ("GetRegions", [("Stray", "1")], {"Stray": "1"}),
    ],
)
def test_decode_flat(action, pairs, expected):
    assert decode_flat(action, pairs) == expected


@pytest.mark.parametrize(
    ("action", "pairs"),
    [
        ("DescribeKeys", [("KeyIds.1", "b")]),  # gap
        ("DescribeKeys", [("KeyIds", "a")]),  # not flattened
        ("DescribeKeys", [("KeyIds.x", "a")]),
        ("GenerateRandom", [("NumberOfBytes", "1e3")]),
        ("GenerateRandom", [("NumberOfBytes", "-1")]),
        ("GenerateRandom", [("NumberOfBytes", "")]),
        ("GenerateRandom", [("NumberOfBytes", "1"), ("NumberOfBytes", "2")]),
        ("CreateKey", [("Tags.0", "x")]),
        ("DescribeKeys", [("KeyIds.99999999", "a")]),
    ],
)
def test_decode_flat_refuses(action, pairs):
    with pytest.raises(KMSError) as info:
        decode_flat(action, pairs)
    assert info.value.code == "InvalidParameter"


@pytest.mark.parametrize(
    ("type_", "text", "value"),
    [
        ("Boolean", "true", True),
        ("Boolean", "True", True),
        ("Boolean", "FALSE", False),
        ("Integer", "0", 0),
        ("Integer", "18446744073709551615", 2**64 - 1),
        ("Integer64", "-5", -5),
        ("String", " a ", " a "),
    ],
)
def test_parse_scalar(type_, text, value):
    assert parse_scalar(type_, text, "X") == value


@pytest.mark.parametrize(
    ("type_", "text"), [("Boolean", "1"), ("Boolean", "yes"), ("Integer", "-5"), ("Integer", "٣")]
)
def test_parse_scalar_refuses(type_, text):
    with pytest.raises(KMSError):
        parse_scalar(type_, text, "X")


@pytest.fixture(scope="module")
def app():
    return WireApp(kmslab.KMS(seed=3))


def _check(payload: bytes) -> None:
    body = json.loads(payload)["Response"]
    assert body["RequestId"]
    if "Error" in body:
        assert body["Error"]["Code"] != "InternalError", body


_names = st.sampled_from(
    [
        "Action",
        "Version",
        "Region",
        "KeyIds.0",
        "Tags.0.TagKey",
        "TagFilters.0.TagValue.1",
        "NumberOfBytes",
        "Signature",
        "SecretId",
        "Nonce",
        "Timestamp",
        "Limit",
        "X",
    ]
)
_text = st.text(max_size=30)
_headers = st.lists(
    st.tuples(
        st.sampled_from(
            [
                b"authorization",
                b"content-type",
                b"x-tc-action",
                b"x-tc-version",
                b"x-tc-timestamp",
                b"x-tc-region",
                b"x-tc-language",
                b"host",
                b"x-tc-token",
                b"x-other",
            ]
        ),
        st.binary(max_size=60)
        | st.sampled_from(
            [
                b"application/json",
                b"multipart/form-data; boundary=b",
                b"TC3-HMAC-SHA256 x",
                b"application/x-www-form-urlencoded",
                b"2019-01-18",
                b"Encrypt",
                b"ap-guangzhou",
            ]
        ),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD", "get"]),
    query=st.binary(max_size=200)
    | st.lists(st.tuples(_names, _text), max_size=6).map(
        lambda kv: "&".join(f"{k}={v}" for k, v in kv).encode("utf-8", "surrogatepass")
    ),
    headers=_headers,
    body=st.binary(max_size=300)
    | st.dictionaries(_names, st.integers() | _text | st.none()).map(
        lambda d: json.dumps(d).encode()
    ),
)
def test_no_input_breaks_the_decoder(app, method, query, headers, body):
    _check(app.handle(method, "/", query, headers, body))


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=400), boundary=st.sampled_from(["b", "xyz", ""]))
def test_no_multipart_body_breaks_the_decoder(app, body, boundary):
    headers = [
        (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
        (b"authorization", b"TC3-HMAC-SHA256 Credential=a/b/kms/tc3_request"),
    ]
    _check(app.handle("POST", "/", b"", headers, b"--" + boundary.encode() + b"\r\n" + body))
