"""Property tests through the mock: any plaintext survives Encrypt/Decrypt, and any alias
text (ASCII or not, through JSON POST or a form-encoded GET) ends in success or a code
CreateKey documents, never InternalError or a client-side failure of the transport."""

from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.kms.v20190118 import models
from tencentcloud.kms.v20190118.kms_client import KmsClient

from kmslab.actions.table import ACTIONS
from kmslab.testing import mock_kms

_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _client(mock, sign: str, method: str) -> KmsClient:
    profile = ClientProfile(signMethod=sign, httpProfile=HttpProfile(reqMethod=method))
    return KmsClient(
        credential.Credential(mock.secret_id, mock.secret_key), "ap-guangzhou", profile
    )


@_FAST
@given(data=st.binary(min_size=1, max_size=4096))
def test_any_plaintext_round_trips(data):
    with mock_kms() as mock:
        key_id = mock.kms.CreateKey(Alias="p")["KeyId"]
        c = _client(mock, "TC3-HMAC-SHA256", "POST")
        enc = models.EncryptRequest()
        enc.KeyId = key_id
        enc.Plaintext = base64.b64encode(data).decode()
        dec = models.DecryptRequest()
        dec.CiphertextBlob = c.Encrypt(enc).CiphertextBlob
        assert base64.b64decode(c.Decrypt(dec).Plaintext) == data


@_FAST
@given(
    alias=st.text(max_size=70),
    profile=st.sampled_from(
        [
            ("TC3-HMAC-SHA256", "POST"),
            ("TC3-HMAC-SHA256", "GET"),
            ("HmacSHA1", "GET"),
            ("HmacSHA256", "POST"),
        ]
    ),
)
def test_any_alias_gets_success_or_a_documented_code(alias, profile):
    documented = set(ACTIONS["CreateKey"].errors) - {"InternalError"}
    with mock_kms() as mock:
        req = models.CreateKeyRequest()
        req.Alias = alias
        try:
            key_id = _client(mock, *profile).CreateKey(req).KeyId
        except TencentCloudSDKException as exc:
            assert exc.code in documented, (exc.code, exc.message)
            assert mock.kms.ListKeys()["TotalCount"] == 0
        else:
            assert mock.kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == alias
