"""The envelope application's own tests, run against kmslab's in-process mock of the
official SDK: the application code is unchanged; only the test picks the mock."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography.exceptions import InvalidTag
from envelope_app import EnvelopeVault, SealedRecord, client_from_environment
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

import kmslab


@pytest.fixture
def vault(kms_mock):
    """A vault on a new key, through a client built exactly as in production."""
    return EnvelopeVault.create(client_from_environment(), "envelope-app")


@pytest.mark.parametrize("plaintext", [b"", b"hello", bytes(range(256)) * 64])
def test_seal_and_open(vault, plaintext):
    record = vault.seal("invoice-17", plaintext)
    assert record.ciphertext != plaintext or not plaintext
    again = SealedRecord.from_json(record.to_json())
    assert vault.open(again) == plaintext


def test_each_record_gets_its_own_data_key(vault):
    a, b = vault.seal("a", b"same"), vault.seal("b", b"same")
    assert a.wrapped_key != b.wrapped_key and a.ciphertext != b.ciphertext


def test_a_record_cannot_be_opened_under_another_name(vault):
    record = vault.seal("alice", b"salary")
    with pytest.raises(TencentCloudSDKException) as info:
        vault.open(dataclasses.replace(record, name="bob"))
    assert info.value.code == "InvalidParameterValue.InvalidCiphertext"


def test_a_changed_ciphertext_is_detected(vault):
    record = vault.seal("r", b"payload")
    flipped = bytes([record.ciphertext[0] ^ 1]) + record.ciphertext[1:]
    with pytest.raises(InvalidTag):
        vault.open(dataclasses.replace(record, ciphertext=flipped))


def test_small_secrets_through_encrypt(vault):
    blob = vault.protect_secret(b"db-password")
    assert vault.reveal_secret(blob) == b"db-password"
    assert vault.key_state() == "Enabled"


def test_a_disabled_key_stops_sealing(vault, kms_mock):
    kms_mock.DisableKey(KeyId=vault.key_id)  # the test drives the service directly
    assert vault.key_state() == "Disabled"
    with pytest.raises(TencentCloudSDKException) as info:
        vault.seal("late", b"x")
    assert info.value.code == "ResourceUnavailable.CmkDisabled"


@kmslab.mock_kms(accept_any_credentials=True)
def test_with_the_decorator_and_any_credentials(monkeypatch):
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDexample")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "example-key")
    vault = EnvelopeVault.create(client_from_environment("ap-shanghai"), "decorated")
    assert vault.open(vault.seal("x", b"works")) == b"works"


def test_against_a_served_endpoint(kms_endpoint):
    """The same code over HTTP, for code that must be pointed at an endpoint."""
    import os

    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.kms.v20190118.kms_client import KmsClient

    http = HttpProfile(protocol="http", endpoint=os.environ["KMSLAB_ENDPOINT"])
    cred = credential.Credential(
        os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]
    )
    vault = EnvelopeVault.create(
        KmsClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http)), "served"
    )
    assert vault.open(vault.seal("y", b"over http")) == b"over http"
