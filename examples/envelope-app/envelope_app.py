"""A small application that protects records with envelope encryption through Tencent
Cloud KMS, written only against the official SDK (nothing here knows about kmslab).

Each record gets its own data key from ``GenerateDataKey``; the record is sealed locally
with AES-256-GCM under that key, and only the KMS-encrypted data key is stored beside
it. Opening a record asks KMS to ``Decrypt`` the data key. The record's name is bound as
AES-GCM associated data and as the KMS encryption context, so a sealed record cannot be
passed off under another name.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tencentcloud.common import credential
from tencentcloud.kms.v20190118 import models
from tencentcloud.kms.v20190118.kms_client import KmsClient

__all__ = ["EnvelopeVault", "SealedRecord", "client_from_environment"]


def client_from_environment(region: str | None = None) -> KmsClient:
    """The production way to build a client: credentials from TENCENTCLOUD_SECRET_ID and
    TENCENTCLOUD_SECRET_KEY, region from TENCENTCLOUD_REGION (default ap-guangzhou)."""
    cred = credential.Credential(
        os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]
    )
    return KmsClient(cred, region or os.environ.get("TENCENTCLOUD_REGION", "ap-guangzhou"))


@dataclass(frozen=True)
class SealedRecord:
    """What the application stores: the wrapped data key, the nonce and the ciphertext."""

    name: str
    wrapped_key: str
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> str:
        """The record as JSON text (binary fields in base64)."""
        return json.dumps(
            {
                "name": self.name,
                "wrapped_key": self.wrapped_key,
                "nonce": base64.b64encode(self.nonce).decode(),
                "ciphertext": base64.b64encode(self.ciphertext).decode(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> SealedRecord:
        """The record back from :meth:`to_json`."""
        data = json.loads(text)
        return cls(
            data["name"],
            data["wrapped_key"],
            base64.b64decode(data["nonce"]),
            base64.b64decode(data["ciphertext"]),
        )


class EnvelopeVault:
    """Seal and open records under one CMK."""

    def __init__(self, client: KmsClient, key_id: str) -> None:
        self.client = client
        self.key_id = key_id

    @classmethod
    def create(cls, client: KmsClient, alias: str) -> EnvelopeVault:
        """A vault over a new CMK named ``alias``."""
        req = models.CreateKeyRequest()
        req.Alias = alias
        req.Description = "envelope-app master key"
        return cls(client, client.CreateKey(req).KeyId)

    def key_state(self) -> str:
        """The CMK's state as KMS reports it (``Enabled``, ``Disabled``, ...)."""
        req = models.DescribeKeyRequest()
        req.KeyId = self.key_id
        return self.client.DescribeKey(req).KeyMetadata.KeyState

    @staticmethod
    def _context(name: str) -> str:
        return json.dumps({"record": name})

    def seal(self, name: str, plaintext: bytes) -> SealedRecord:
        """Encrypt ``plaintext`` under a fresh data key; the data key leaves only wrapped."""
        req = models.GenerateDataKeyRequest()
        req.KeyId = self.key_id
        req.KeySpec = "AES_256"
        req.EncryptionContext = self._context(name)
        data_key = self.client.GenerateDataKey(req)
        key = base64.b64decode(data_key.Plaintext)
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, plaintext, name.encode())
        return SealedRecord(name, data_key.CiphertextBlob, nonce, ciphertext)

    def open(self, record: SealedRecord) -> bytes:
        """Decrypt the data key with KMS, then the record locally."""
        req = models.DecryptRequest()
        req.CiphertextBlob = record.wrapped_key
        req.EncryptionContext = self._context(record.name)
        key = base64.b64decode(self.client.Decrypt(req).Plaintext)
        return AESGCM(key).decrypt(record.nonce, record.ciphertext, record.name.encode())

    def protect_secret(self, secret: bytes) -> str:
        """A small secret (a database password) encrypted directly by KMS (at most 4 KB)."""
        req = models.EncryptRequest()
        req.KeyId = self.key_id
        req.Plaintext = base64.b64encode(secret).decode()
        return self.client.Encrypt(req).CiphertextBlob

    def reveal_secret(self, blob: str) -> bytes:
        """The secret behind :meth:`protect_secret`'s blob."""
        req = models.DecryptRequest()
        req.CiphertextBlob = blob
        return base64.b64decode(self.client.Decrypt(req).Plaintext)
