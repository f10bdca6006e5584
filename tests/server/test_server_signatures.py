"""Known-answer tests: the verifiers reproduce the documentation's worked signature examples.

The documentation masks its example keys as asterisks, and its published signatures are
exactly those of the masked strings, so they serve as test vectors as printed.
"""

from __future__ import annotations

import hashlib

import pytest

from kmslab.server import auth

SECRET_ID = "AKID" + "*" * 32
SECRET_KEY = "*" * 32


def test_tc3_worked_example():
    payload = b'{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}'
    payload_hash = hashlib.sha256(payload).hexdigest()
    assert payload_hash == "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907"
    canonical = auth.tc3_canonical_request(
        "POST",
        "/",
        "",
        [("content-type", "application/json; charset=utf-8"), ("host", "cvm.tencentcloudapi.com")],
        payload_hash,
    )
    sts = auth.tc3_string_to_sign("1551113065", "2019-02-25", "cvm", canonical)
    assert sts.endswith("2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a")
    assert auth.tc3_signature(SECRET_KEY, "2019-02-25", "cvm", sts) == (
        "a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2"
    )


EXAMPLE_PARAMS = {
    "Action": "DescribeInstances",
    "InstanceIds.0": "ins-09dx96dg",
    "Limit": "20",
    "Nonce": "11886",
    "Offset": "0",
    "Region": "ap-guangzhou",
    "SecretId": SECRET_ID,
    "Timestamp": "1465185768",
    "Version": "2017-03-12",
}


def test_hmac_sha1_worked_example():
    sts = auth.hmac_string_to_sign("GET", "cvm.tencentcloudapi.com", "/", EXAMPLE_PARAMS)
    assert sts == (
        "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg"
        "&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId="
        + SECRET_ID
        + "&Timestamp=1465185768&Version=2017-03-12"
    )
    assert auth.hmac_signature(SECRET_KEY, sts, "HmacSHA1") == "7RAM2xfNMO9EiVTNmPg06MRnCvQ="


class _Key:
    uin = 7
    secret_id = SECRET_ID
    secret_key = SECRET_KEY
    token = ""
    expires = 0


@pytest.mark.parametrize(
    ("signature", "ok"),
    [
        ("7RAM2xfNMO9EiVTNmPg06MRnCvQ=", True),
        ("7RAM2xfNMO9EiVTNmPg06MRnCvQ", False),
        ("8RAM2xfNMO9EiVTNmPg06MRnCvQ=", False),
        ("签名", False),
    ],
)
def test_hmac_verifier_on_the_example(signature, ok):
    params = {**EXAMPLE_PARAMS, "Signature": signature}
    kwargs = dict(
        method="GET",
        host="cvm.tencentcloudapi.com",
        path="/",
        params=params,
        lookup=lambda sid: _Key() if sid == SECRET_ID else None,
        now=1465185768 + 100,
        nonces=auth.NonceCache(),
    )
    if ok:
        assert auth.verify_hmac(**kwargs).uin == 7
    else:
        with pytest.raises(auth.KMSError) as info:
            auth.verify_hmac(**kwargs)
        assert info.value.code == "AuthFailure.SignatureFailure"


def test_tc3_verifier_on_a_kms_example():
    body = b'{"KeyId":"k"}'
    date, ts = "2019-02-25", "1551113065"
    headers = {"content-type": "application/json", "host": "kms.tencentcloudapi.com"}
    canonical = auth.tc3_canonical_request(
        "POST", "/", "", sorted(headers.items()), hashlib.sha256(body).hexdigest()
    )
    sig = auth.tc3_signature(
        SECRET_KEY, date, "kms", auth.tc3_string_to_sign(ts, date, "kms", canonical)
    )
    headers.update(
        {
            "authorization": f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/kms/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={sig}",
            "x-tc-timestamp": ts,
        }
    )
    who = auth.verify_tc3(
        method="POST",
        path="/",
        query="",
        headers=headers,
        body=body,
        lookup=lambda sid: _Key(),
        now=int(ts),
    )
    assert who.secret_id == SECRET_ID
    with pytest.raises(auth.KMSError) as info:
        auth.verify_tc3(
            method="POST",
            path="/",
            query="",
            headers=headers,
            body=body + b" ",
            lookup=lambda sid: _Key(),
            now=int(ts),
        )
    assert info.value.code == "AuthFailure.SignatureFailure"


def test_nonce_cache_forgets_only_outside_the_window():
    cache = auth.NonceCache()
    assert cache.add("id", 1000, "1", now=1000)
    assert not cache.add("id", 1000, "1", now=1200)
    assert cache.add("id", 1000, "2", now=1200)
    assert cache.add("other", 1000, "1", now=1200)
    assert cache.add("id", 1400, "9", now=1400)  # 1000 is now outside: evicted
    assert len(cache._seen) == 1
