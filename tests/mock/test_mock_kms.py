"""``mock_kms`` answers the official SDK's ``KmsClient`` in process: every endpoint, region
and signing profile; signatures verified; errors as the SDK's own exception; the SDK
restored exactly on exit; other services' clients never intercepted."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import unittest

import pytest
from tencentcloud.common import credential
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import models as cvm_models
from tencentcloud.cvm.v20170312.cvm_client import CvmClient
from tencentcloud.kms.v20190118 import models
from tencentcloud.kms.v20190118.kms_client import KmsClient

import kmslab
from kmslab.testing import active, mock_kms

DEAD = "127.0.0.1:1"  # nothing listens here: a request that leaves the process fails


def client(
    sid: str,
    skey: str,
    region: str = "ap-guangzhou",
    *,
    endpoint: str = "",
    sign: str = "TC3-HMAC-SHA256",
    method: str = "POST",
    token: str | None = None,
):
    http = HttpProfile(endpoint=endpoint or None, reqMethod=method)
    profile = ClientProfile(signMethod=sign, httpProfile=http)
    return KmsClient(credential.Credential(sid, skey, token), region, profile)


def req(cls, **fields):
    r = cls()
    for k, v in fields.items():
        setattr(r, k, v)
    return r


def roundtrip(c, alias: str = "app") -> str:
    """CreateKey, DescribeKey, Encrypt, Decrypt and GenerateDataKey through ``c``."""
    key_id = c.CreateKey(req(models.CreateKeyRequest, Alias=alias)).KeyId
    assert c.DescribeKey(req(models.DescribeKeyRequest, KeyId=key_id)).KeyMetadata.KeyId == key_id
    plain = base64.b64encode(b"attack at dawn").decode()
    blob = c.Encrypt(req(models.EncryptRequest, KeyId=key_id, Plaintext=plain)).CiphertextBlob
    assert c.Decrypt(req(models.DecryptRequest, CiphertextBlob=blob)).Plaintext == plain
    dk = c.GenerateDataKey(req(models.GenerateDataKeyRequest, KeyId=key_id, KeySpec="AES_256"))
    back = c.Decrypt(req(models.DecryptRequest, CiphertextBlob=dk.CiphertextBlob)).Plaintext
    assert back == dk.Plaintext and len(base64.b64decode(back)) == 32
    return key_id


@pytest.fixture
def no_network(monkeypatch):
    """Any socket connection fails the test: the mock must not open one."""

    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    ("endpoint", "region", "sign", "method"),
    [
        ("", "ap-guangzhou", "TC3-HMAC-SHA256", "POST"),  # kms.tencentcloudapi.com
        ("", "ap-shanghai", "TC3-HMAC-SHA256", "GET"),
        ("kms.ap-beijing.tencentcloudapi.com", "ap-beijing", "HmacSHA256", "POST"),
        ("kms.internal.tencentcloudapi.com", "ap-guangzhou", "HmacSHA1", "GET"),
        (DEAD, "ap-guangzhou", "TC3-HMAC-SHA256", "POST"),
    ],
)
def test_unchanged_code_works_in_process(no_network, endpoint, region, sign, method):
    with mock_kms() as m:
        c = client(m.secret_id, m.secret_key, region, endpoint=endpoint, sign=sign, method=method)
        key_id = roundtrip(c)
        assert m.kms.in_region(region).DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyId"] == key_id


@pytest.mark.parametrize(
    ("sid", "skey", "code"),
    [
        ("AKIDnobody", "whatever", "AuthFailure.SecretIdNotFound"),
        (None, "wrong-key", "AuthFailure.SignatureFailure"),
    ],
)
def test_signatures_are_checked_against_the_mock_credentials(sid, skey, code):
    with mock_kms() as m:
        c = client(sid or m.secret_id, skey, endpoint=DEAD)
        with pytest.raises(TencentCloudSDKException) as info:
            c.ListKeys(models.ListKeysRequest())
        assert info.value.code == code
        assert info.value.requestId


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (req(models.DescribeKeyRequest, KeyId="not-a-key"), "InvalidParameterValue.InvalidKeyId"),
        (
            req(models.DecryptRequest, CiphertextBlob="!!"),
            "InvalidParameterValue.InvalidCiphertext",
        ),
        (req(models.CreateKeyRequest, Alias="kms-reserved"), "InvalidParameterValue.InvalidAlias"),
    ],
)
def test_errors_reach_the_caller_as_the_sdk_exception(request_, code):
    with mock_kms() as m:
        c = client(m.secret_id, m.secret_key)
        name = type(request_).__name__.removesuffix("Request")
        with pytest.raises(TencentCloudSDKException) as info:
            getattr(c, name)(request_)
        assert info.value.code == code


def test_accept_any_credentials_takes_any_pair_as_the_default_account():
    with mock_kms(accept_any_credentials=True) as m:
        c = client("AKIDanything", "any-secret")
        key_id = c.CreateKey(req(models.CreateKeyRequest, Alias="moto-style")).KeyId
        assert m.kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "moto-style"
        temp = client("AKIDtemporary", "temp-secret", token="session-token")
        assert temp.ListKeys(models.ListKeysRequest()).TotalCount == 1
    with mock_kms() as m:  # the default is strict
        with pytest.raises(TencentCloudSDKException) as info:
            client("AKIDanything", "any-secret").ListKeys(models.ListKeysRequest())
        assert info.value.code == "AuthFailure.SecretIdNotFound"


@pytest.mark.parametrize("accept_any", [False, True])
def test_a_request_changed_after_signing_is_refused(monkeypatch, accept_any):
    """Attack: the body is altered after the SDK signed it; even with any credentials
    accepted the signature is checked against the sender's own key."""
    original = AbstractClient._build_req_inter

    def tamper(self, action, params, req_inter, options=None):
        original(self, action, params, req_inter, options)
        req_inter.data = req_inter.data.replace('"Limit": 1', '"Limit": 2')

    with mock_kms(accept_any_credentials=accept_any) as m:
        c = client(m.secret_id, m.secret_key)
        assert c.ListKeys(req(models.ListKeysRequest, Limit=1)).TotalCount == 0
        monkeypatch.setattr(AbstractClient, "_build_req_inter", tamper)
        with pytest.raises(TencentCloudSDKException) as info:
            c.ListKeys(req(models.ListKeysRequest, Limit=1))
        assert info.value.code == "AuthFailure.SignatureFailure"


def test_chosen_credentials():
    with mock_kms(secret_id="AKIDci0000000000000000000000000000", secret_key="ci-secret") as m:
        assert m.secret_id == "AKIDci0000000000000000000000000000"
        c = client("AKIDci0000000000000000000000000000", "ci-secret")
        assert c.ListKeys(models.ListKeysRequest()).TotalCount == 0
        own = m.kms.api_keys()[0]
        assert client(own.secret_id, own.secret_key).ListKeys(models.ListKeysRequest())
    with pytest.raises(ValueError):
        mock_kms(secret_id="AKIDonly")
    service = kmslab.KMS()
    own = service.api_keys()[0]
    with mock_kms(kms=service, secret_id=own.secret_id, secret_key=own.secret_key) as m:
        assert m.secret_key == own.secret_key  # an existing pair is reused
    with pytest.raises(ValueError, match="has another key"):
        mock_kms(kms=service, secret_id=own.secret_id, secret_key="not-its-key").start()
    assert active() is None


def test_leaving_restores_the_sdk_exactly():
    before_class = dict(vars(KmsClient))
    before_common = dict(vars(CommonClient))
    early = client("AKIDx", "y", endpoint=DEAD)
    early_request = early.request
    with mock_kms() as m:
        assert early.request is not early_request  # answered by the mock while active
        c = client(m.secret_id, m.secret_key, endpoint=DEAD)
        c.ListKeys(models.ListKeysRequest())
        answered = client(m.secret_id, m.secret_key, endpoint=DEAD)
    assert dict(vars(KmsClient)) == before_class
    assert dict(vars(CommonClient)) == before_common
    assert early.request is early_request
    assert type(answered.request).__name__ == "ApiRequest"
    with pytest.raises(TencentCloudSDKException) as info:  # to the network again
        answered.ListKeys(models.ListKeysRequest())
    assert info.value.code == "ClientNetworkError"
    assert active() is None


def test_a_client_made_before_the_mock_is_answered():
    service = kmslab.KMS()
    key = service.api_keys()[0]
    c = client(key.secret_id, key.secret_key)
    with mock_kms(kms=service):
        key_id = roundtrip(c)
    assert service.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_nested_mocks_answer_with_the_innermost():
    with mock_kms() as outer:
        c = client(outer.secret_id, outer.secret_key)
        c.CreateKey(req(models.CreateKeyRequest, Alias="outer"))
        with mock_kms(accept_any_credentials=True) as inner:
            assert c.ListKeys(models.ListKeysRequest()).TotalCount == 0
            assert active() is inner
        assert c.ListKeys(models.ListKeysRequest()).TotalCount == 1
        assert "request" in vars(KmsClient)
    assert "request" not in vars(KmsClient)


def test_other_services_are_never_intercepted():
    http = HttpProfile(endpoint=DEAD)
    cvm = CvmClient(
        credential.Credential("AKIDx", "y"), "ap-guangzhou", ClientProfile(httpProfile=http)
    )
    with mock_kms(accept_any_credentials=True):
        with pytest.raises(TencentCloudSDKException) as info:
            cvm.DescribeRegions(cvm_models.DescribeRegionsRequest())
        assert info.value.code == "ClientNetworkError"


def test_clients_in_other_threads_are_answered():
    with mock_kms() as m:
        c = client(m.secret_id, m.secret_key)
        results: list = []
        threads = [
            threading.Thread(target=lambda i=i: results.append(roundtrip(c, f"t{i}")))
            for i in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(results)) == 3


@mock_kms(accept_any_credentials=True)
def _decorated() -> int:
    c = client("AKIDdeco", "k")
    count = c.ListKeys(models.ListKeysRequest()).TotalCount
    c.CreateKey(req(models.CreateKeyRequest, Alias="deco"))
    return count


def test_decorated_function_gets_a_fresh_service_per_call():
    assert _decorated() == 0
    assert _decorated() == 0  # the key of the first call is gone
    assert active() is None


@mock_kms
def test_bare_decorator_on_a_test():
    m = active()
    assert m is not None
    assert client(m.secret_id, m.secret_key).ListKeys(models.ListKeysRequest()).TotalCount == 0


def test_decorated_coroutine_function():
    @mock_kms()
    async def go() -> int:
        m = active()
        return client(m.secret_id, m.secret_key).ListKeys(models.ListKeysRequest()).TotalCount

    assert asyncio.run(go()) == 0
    assert active() is None


@mock_kms(accept_any_credentials=True)
class TestDecoratedClass:
    def test_first(self):
        assert active() is not None
        client("AKIDa", "b").CreateKey(req(models.CreateKeyRequest, Alias="first"))

    def test_second_is_fresh(self):
        assert client("AKIDa", "b").ListKeys(models.ListKeysRequest()).TotalCount == 0


@mock_kms(accept_any_credentials=True)
class DecoratedCase(unittest.TestCase):
    def setUp(self):
        self.client = client("AKIDa", "b")
        self.key_id = self.client.CreateKey(req(models.CreateKeyRequest, Alias="setup")).KeyId

    def test_setup_and_test_share_one_mock(self):
        meta = self.client.DescribeKey(req(models.DescribeKeyRequest, KeyId=self.key_id))
        self.assertEqual(meta.KeyMetadata.Alias, "setup")
        self.assertIs(self.kms_mock, active())


def test_product_keys_through_the_sdk_with_role_1(kms_mock):
    """The Terraform provider's data-source scenario: a key made by a cloud product is
    listed by ListKeys/ListKeyDetail with Role=1, and only there."""
    made = kms_mock.create_product_key("cos")["KeyId"]
    kms_mock.CreateKey(Alias="user-key")
    c = client(kms_mock.api_keys()[0].secret_id, kms_mock.api_keys()[0].secret_key)
    listed = c.ListKeys(req(models.ListKeysRequest, Role=1))
    assert [k.KeyId for k in listed.Keys] == [made]
    detail = c.ListKeyDetail(req(models.ListKeyDetailRequest, Role=1))
    assert [(m.KeyId, m.Owner) for m in detail.KeyMetadatas] == [(made, "cos")]
    mine = c.ListKeyDetail(req(models.ListKeyDetailRequest, Role=0)).KeyMetadatas
    assert [m.Owner for m in mine] == ["user"]


def test_accept_any_still_refuses_a_known_secret_id_with_the_wrong_key():
    """Attack: accepting unknown SecretIds must not let a known one be used without its key."""
    with mock_kms(accept_any_credentials=True) as m:
        with pytest.raises(TencentCloudSDKException) as info:
            client(m.secret_id, "guessed").ListKeys(models.ListKeysRequest())
        assert info.value.code == "AuthFailure.SignatureFailure"


def test_a_common_client_for_kms_is_answered_and_for_cvm_is_not(no_network):
    with mock_kms() as m:
        cred = credential.Credential(m.secret_id, m.secret_key)
        kms = CommonClient("kms", "2019-01-18", cred, "ap-guangzhou")
        made = kms.call_json("CreateKey", {"Alias": "common"})["Response"]["KeyId"]
        assert m.kms.DescribeKey(KeyId=made)["KeyMetadata"]["Alias"] == "common"
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=DEAD))
        cvm = CommonClient("cvm", "2017-03-12", cred, "ap-guangzhou", profile)
        with pytest.raises(TencentCloudSDKException) as info:
            cvm.call_json("DescribeRegions", {})
        assert info.value.code == "ClientNetworkError"  # it went for the network
