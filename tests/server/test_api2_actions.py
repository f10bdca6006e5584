"""The 11 legacy actions over a real socket (issue 16, items 1, 3-6), through the
spec-written client: GET and POST, HmacSHA1 and HmacSHA256, with and without a
Content-Type, every documented error, the same keys as API 3.0, regions by Host."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from legacy_client import LegacyClient
from tencentcloud.kms.v20190118 import models

import kmslab

WAYS = [
    pytest.param(("POST", "HmacSHA1", False, "python"), id="post-sha1-no-content-type"),
    pytest.param(("POST", "HmacSHA256", True, "java"), id="post-sha256-form"),
    pytest.param(("GET", "HmacSHA1", False, "java"), id="get-sha1"),
    pytest.param(("GET", "HmacSHA256", False, "python"), id="get-sha256"),
    pytest.param(("POST", None, False, "python"), id="post-no-signature-method"),
]
_META = {"keyId", "alias", "createTime", "description", "keyState", "keyUsage", "deleteTime"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _alias(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=WAYS)
def client(request, wire_kms, http_endpoint):
    method, sm, ctype, style = request.param
    key = wire_kms.api_keys()[0]
    return LegacyClient(http_endpoint, key, method=method, sm=sm, content_type=ctype, style=style)


def _ok(answer: dict) -> dict:
    assert answer["code"] == 0, answer
    assert answer["message"] == "" and answer["codeDesc"] == "Success"
    return answer


def test_every_action(client, wire_kms):
    """One key's whole legacy life, every action, with the answer fields the spec lists."""
    alias = _alias("life")
    meta = _ok(client.call("CreateKey", alias=alias, description="legacy key"))["keyMetadata"]
    assert set(meta) == _META
    assert meta["alias"] == alias and meta["description"] == "legacy key"
    assert (meta["keyState"], meta["keyUsage"], meta["deleteTime"]) == (
        "Enabled",
        "ENCRYPT/DECRYPT",
        0,
    )
    assert isinstance(meta["createTime"], int) and meta["createTime"] > 0
    key_id = meta["keyId"]

    got = _ok(client.call("GetKeyAttributes", keyId=key_id))["keyMetadata"]
    assert got == meta

    _ok(client.call("SetKeyAttributes", keyId=key_id, alias=alias + "-2"))
    assert client.call("GetKeyAttributes", keyId=key_id)["keyMetadata"]["alias"] == alias + "-2"

    listed = _ok(client.call("ListKey", offset="0", limit="200"))
    assert listed["totalCount"] >= len(listed["keys"]) >= 1
    pages = [
        client.call("ListKey", offset=str(at), limit="200")["keys"]
        for at in range(0, listed["totalCount"], 200)
    ]
    assert key_id in [k["keyId"] for page in pages for k in page]

    ctx = json.dumps({"purpose": "test"})
    blob = _ok(
        client.call("Encrypt", keyId=key_id, plaintext=b64(b"test message data"),
                    encryptionContext=ctx)
    )  # fmt: skip
    assert blob["keyId"] == key_id
    plain = _ok(
        client.call("Decrypt", ciphertextBlob=blob["ciphertextBlob"], encryptionContext=ctx)
    )
    assert base64.b64decode(plain["plaintext"]) == b"test message data"
    assert plain["keyId"] == key_id

    dk = _ok(client.call("GenerateDataKey", keyId=key_id, keySpec="AES_128"))
    assert dk["keyId"] == key_id and len(base64.b64decode(dk["plaintext"])) == 16
    again = _ok(client.call("Decrypt", ciphertextBlob=dk["ciphertextBlob"]))
    assert again["plaintext"] == dk["plaintext"]

    _ok(client.call("DisableKey", keyId=key_id))
    assert client.call("GetKeyAttributes", keyId=key_id)["keyMetadata"]["keyState"] == "Disabled"
    _ok(client.call("EnableKey", keyId=key_id))
    _ok(client.call("DisableKey", keyId=key_id))
    _ok(client.call("ScheduleKeyDeletion", keyId=key_id, pendingWindowInDays="7"))
    meta = client.call("GetKeyAttributes", keyId=key_id)["keyMetadata"]
    assert meta["keyState"] == "PendingDeletion"
    assert meta["deleteTime"] == wire_kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["DeletionDate"]
    assert meta["deleteTime"] > meta["createTime"] + 7 * 86400 - 86400
    _ok(client.call("CancelKeyDeletion", keyId=key_id))
    meta = client.call("GetKeyAttributes", keyId=key_id)["keyMetadata"]
    assert (meta["keyState"], meta["deleteTime"]) == ("Disabled", 0)


@pytest.fixture(scope="module")
def post(wire_kms, http_endpoint):
    return LegacyClient(http_endpoint, wire_kms.api_keys()[0])


@pytest.fixture(scope="module")
def legacy_key(post):
    return post.call("CreateKey", alias=_alias("errs"))["keyMetadata"]["keyId"]


@pytest.mark.parametrize(
    "action, params, code, desc",
    [
        ("CreateKey", {"alias": ""}, 4000, "MissingParameter"),
        ("CreateKey", {}, 4000, "MissingParameter"),
        ("CreateKey", {"alias": "a" * 33}, 4000, "InvalidParameterValue.InvalidAlias"),
        ("CreateKey", {"alias": "bad alias!"}, 4000, "InvalidParameterValue.InvalidAlias"),
        ("CreateKey", {"alias": "k1", "keyUsage": "SIGN_VERIFY"}, 4000,
         "InvalidParameterValue.InvalidKeyUsage"),
        ("CreateKey", {"alias": "k2", "type": "2"}, 4000, "InvalidParameterValue.InvalidType"),
        ("CreateKey", {"alias": "k3", "type": "x"}, 4000, "InvalidParameter"),
        ("CreateKey", {"alias": "k4", "description": "d" * 1025}, 4000, None),
        ("GetKeyAttributes", {}, 4000, "MissingParameter"),
        ("GetKeyAttributes", {"keyId": str(uuid.uuid4())}, 5000,
         "ResourceUnavailable.CmkNotFound"),
        ("GetKeyAttributes", {"keyId": "kms-awy8dndb"}, 4000, None),
        ("SetKeyAttributes", {"keyId": "@KEY"}, 4000, "MissingParameter"),
        ("ListKey", {"limit": "201"}, 4000, None),
        ("ListKey", {"offset": "-1"}, 4000, "InvalidParameter"),
        ("EnableKey", {"keyId": str(uuid.uuid4())}, 5000, "ResourceUnavailable.CmkNotFound"),
        ("GenerateDataKey", {"keyId": "@KEY", "numberOfBytes": "1025"}, 4000, None),
        ("GenerateDataKey", {"keyId": "@KEY", "keySpec": "AES_512"}, 4000, None),
        ("GenerateDataKey", {"keyId": "@KEY", "encryptionContext": "not json"}, 4000, None),
        ("Encrypt", {"keyId": "@KEY"}, 4000, "MissingParameter"),
        ("Encrypt", {"keyId": "@KEY", "plaintext": "!!!"}, 4000,
         "InvalidParameterValue.InvalidPlaintext"),
        ("Encrypt", {"keyId": "@KEY", "plaintext": b64(b"x" * 4097)}, 4000, None),
        ("Decrypt", {}, 4000, "MissingParameter"),
        ("Decrypt", {"ciphertextBlob": "AAAA-k-BBBB-k-CCCC"}, 4000, None),
        ("ScheduleKeyDeletion", {"keyId": "@KEY"}, 4000, "MissingParameter"),
        ("ScheduleKeyDeletion", {"keyId": "@KEY", "pendingWindowInDays": "6"}, 4000,
         "InvalidParameter.InvalidPendingWindowInDays"),
        ("ScheduleKeyDeletion", {"keyId": "@KEY", "pendingWindowInDays": "7"}, 5100,
         "ResourceUnavailable.CmkShouldBeDisabled"),
        ("CancelKeyDeletion", {"keyId": "@KEY"}, 5100, "ResourceUnavailable.CmkNotPendingDelete"),
        ("DescribeKey", {"KeyId": "@KEY"}, 4000, "InvalidAction"),
        ("Encrypt", {"keyId": "@KEY", "plaintext": "aGk=", "Plaintext": "aGk="}, 4000,
         "UnknownParameter"),
    ],
)  # fmt: skip
def test_documented_errors(post, legacy_key, action, params, code, desc):
    params = {k: legacy_key if v == "@KEY" else v for k, v in params.items()}
    answer = post.call(action, **params)
    assert answer["code"] == code, answer
    if desc:
        assert answer["codeDesc"] == desc
    assert answer["message"] and "keyMetadata" not in answer


def test_disabled_key_is_5100_and_nothing_changes(post, wire_kms):
    key_id = post.call("CreateKey", alias=_alias("dis"))["keyMetadata"]["keyId"]
    post.call("DisableKey", keyId=key_id)
    for action, params in [
        ("Encrypt", {"plaintext": b64(b"x")}),
        ("GenerateDataKey", {"keySpec": "AES_256"}),
    ]:
        answer = post.call(action, keyId=key_id, **params)
        assert (answer["code"], answer["codeDesc"]) == (5100, "ResourceUnavailable.CmkDisabled")
    assert wire_kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


def test_wrong_encryption_context_is_refused(post, legacy_key):
    blob = post.call(
        "Encrypt", keyId=legacy_key, plaintext=b64(b"x"), encryptionContext='{"a":"1"}'
    )
    answer = post.call(
        "Decrypt", ciphertextBlob=blob["ciphertextBlob"], encryptionContext='{"a":"2"}'
    )
    assert answer["code"] in (4000, 5100) and "plaintext" not in answer


@pytest.mark.parametrize(
    "params, size",
    [
        ({"keySpec": "AES_256"}, 32),
        ({"keySpec": "AES_128"}, 16),
        ({"numberOfBytes": "1024", "keySpec": "AES_128"}, 1024),  # the Java sample
        ({"numberOfBytes": "0", "keySpec": "AES_128"}, 16),  # 0 means "not given"
        ({"numberOfBytes": "5"}, 5),
        ({}, 32),  # neither: AES_256 (inferred default)
        ({"keySpec": "", "numberOfBytes": "1024"}, 1024),  # PHP's defaults
    ],
)
def test_data_key_sizes(post, legacy_key, params, size):
    answer = post.call("GenerateDataKey", keyId=legacy_key, **params)
    assert answer["code"] == 0 and len(base64.b64decode(answer["plaintext"])) == size


def test_list_key_pages(wire_kms, http_endpoint):
    kms = kmslab.KMS()
    with kms.serve() as endpoint:
        client = LegacyClient(endpoint, kms.api_keys()[0])
        ids = [kms.CreateKey(Alias=f"p{i}")["KeyId"] for i in range(13)]
        first = client.call("ListKey")  # default page: 10
        assert (first["totalCount"], len(first["keys"]), first["limit"]) == (13, 10, 10)
        rest = client.call("ListKey", offset="10", limit="10")
        listed = [k["keyId"] for k in first["keys"] + rest["keys"]]
        assert sorted(listed) == sorted(ids)
        assert client.call("ListKey", limit="0")["limit"] == 10  # PHP always sends limit


def test_cross_api(wire_kms, http_endpoint, https_endpoint, post):
    """Create with API 2.0, use with API 3.0 (the official SDK), and back."""
    alias = _alias("cross")
    key_id = post.call("CreateKey", alias=alias, description="from v2")["keyMetadata"]["keyId"]
    sdk = https_endpoint.sdk_client()
    req = models.DescribeKeyRequest()
    req.KeyId = key_id
    meta = sdk.DescribeKey(req).KeyMetadata
    assert (meta.Alias, meta.Description, meta.KeyUsage) == (alias, "from v2", "ENCRYPT_DECRYPT")
    blob = post.call("Encrypt", keyId=key_id, plaintext=b64(b"v2 to v3"))["ciphertextBlob"]
    dec = models.DecryptRequest()
    dec.CiphertextBlob = blob
    assert base64.b64decode(sdk.Decrypt(dec).Plaintext) == b"v2 to v3"

    made = models.CreateKeyRequest()
    made.Alias = _alias("from-v3")
    v3_key = sdk.CreateKey(made).KeyId
    enc = models.EncryptRequest()
    enc.KeyId, enc.Plaintext = v3_key, b64(b"v3 to v2")
    v3_blob = sdk.Encrypt(enc).CiphertextBlob
    assert post.call("GetKeyAttributes", keyId=v3_key)["keyMetadata"]["alias"] == made.Alias
    back = post.call("Decrypt", ciphertextBlob=v3_blob)
    assert base64.b64decode(back["plaintext"]) == b"v3 to v2"
    dis = models.DisableKeyRequest()
    dis.KeyId = key_id
    sdk.DisableKey(dis)
    assert post.call("GetKeyAttributes", keyId=key_id)["keyMetadata"]["keyState"] == "Disabled"


def test_rotation_and_clock_apply():
    """A legacy key rotates on the virtual clock (rotation enabled through API 3.0); its
    older ciphertext still decrypts; the clock's scheduled deletion removes it."""
    kms = kmslab.KMS(seed=16)
    with kms.serve(wall_clock=True) as endpoint:
        client = LegacyClient(endpoint, kms.api_keys()[0])
        key_id = client.call("CreateKey", alias="rot")["keyMetadata"]["keyId"]
        old = client.call("Encrypt", keyId=key_id, plaintext=b64(b"v1"))["ciphertextBlob"]
        kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
        kms.clock.advance(days=8)
        assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["LastRotateTime"] > 0
        new = client.call("Encrypt", keyId=key_id, plaintext=b64(b"v2"))["ciphertextBlob"]
        assert client.call("Decrypt", ciphertextBlob=old)["plaintext"] == b64(b"v1")
        assert client.call("Decrypt", ciphertextBlob=new)["plaintext"] == b64(b"v2")
        client.call("DisableKey", keyId=key_id)
        client.call("ScheduleKeyDeletion", keyId=key_id, pendingWindowInDays="7")
        kms.clock.advance(days=8)
        assert client.call("GetKeyAttributes", keyId=key_id)["code"] == 5000


def test_qps_limits_apply():
    """A virtual clock that stands still puts all 130 calls in one second (on a real clock
    a slow machine spreads them over two windows of under 100 each, and nothing throttles)."""
    kms = kmslab.KMS(seed=17, qps="documented")
    with kms.serve(wall_clock=True) as endpoint:
        client = LegacyClient(endpoint, kms.api_keys()[0])
        key_id = kms.CreateKey(Alias="qps")["KeyId"]
        codes = {client.call("GetKeyAttributes", keyId=key_id)["code"] for _ in range(130)}
    assert 4400 in codes and 0 in codes


def test_regions_by_host():
    kms = kmslab.KMS()
    with kms.serve(legacy_regions={"sh": "ap-singapore"}) as endpoint:
        key = kms.api_keys()[0]
        gz = LegacyClient(endpoint, key, host=f"kms-gz.api.qcloud.com:{endpoint.port}")
        sh = LegacyClient(endpoint, key, host="kms-sh.api.tencentyun.com")
        loop = LegacyClient(endpoint, key)
        in_gz = gz.call("CreateKey", alias="in-gz")["keyMetadata"]["keyId"]
        in_sh = sh.call("CreateKey", alias="in-sh")["keyMetadata"]["keyId"]
        in_default = loop.call("CreateKey", alias="in-default")["keyMetadata"]["keyId"]
        guangzhou = {k["KeyId"] for k in kms.in_region("ap-guangzhou").ListKeys()["Keys"]}
        singapore = {k["KeyId"] for k in kms.in_region("ap-singapore").ListKeys()["Keys"]}
        assert guangzhou == {in_gz, in_default} and singapore == {in_sh}
        assert sh.call("GetKeyAttributes", keyId=in_gz)["code"] == 5000  # another region
        sdk = endpoint.sdk_client("ap-singapore")
        req = models.DescribeKeyRequest()
        req.KeyId = in_sh
        assert sdk.DescribeKey(req).KeyMetadata.Alias == "in-sh"
        region_param = gz.call("ListKey", Region="sh")  # the Host wins (spec section 1)
        assert {k["keyId"] for k in region_param["keys"]} == {in_gz, in_default}


def test_bad_region_mapping_is_refused_before_serving():
    kms = kmslab.KMS()
    with pytest.raises(ValueError, match="not a region"):
        kms.serve(legacy_regions={"gz": "mars-1"})
    with pytest.raises(ValueError, match="legacy region names"):
        kms.serve(legacy_regions={"GZ!": "ap-guangzhou"})


def test_https_every_way(wire_kms, https_endpoint):
    key = wire_kms.api_keys()[0]
    for method in ("GET", "POST"):
        client = LegacyClient(https_endpoint, key, method=method)
        assert client.call("ListKey")["code"] == 0


def test_english_messages_on_request(post):
    answer = post.call("GetKeyAttributes", keyId=str(uuid.uuid4()), Language="en-US")
    assert answer["code"] == 5000 and answer["message"].isascii()
    zh = post.call("GetKeyAttributes", keyId=str(uuid.uuid4()))
    assert not zh["message"].isascii()  # zh-CN by default, as API 3.0


def _raw(endpoint, request: bytes) -> tuple[bytes, dict]:
    import socket

    with socket.create_connection((endpoint.host, endpoint.port), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), out[:200]
    return head, json.loads(body)


@pytest.mark.parametrize(
    "request_bytes, desc",
    [
        (b"GET /v2/index.php?Action=ListKey HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n",
         "InvalidParameter"),
        (b"GET /v2/index.php?" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
         "RequestSizeLimitExceeded"),
        (b"POST /v2/index.php HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n",
         "InvalidParameter"),
    ],
)  # fmt: skip
def test_unparseable_http_on_the_legacy_path_gets_the_legacy_envelope(
    http_endpoint, request_bytes, desc
):
    head, body = _raw(http_endpoint, request_bytes)
    assert b"content-type: application/json" in head.lower()
    assert (body["code"], body["codeDesc"]) == (4000, desc) and body["requestId"], body


def test_unparseable_http_elsewhere_keeps_the_api3_envelope(http_endpoint):
    _, body = _raw(http_endpoint, b"GET /?x HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n")
    assert body["Response"]["Error"]["Code"] == "InvalidParameter"
