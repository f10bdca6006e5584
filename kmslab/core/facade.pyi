# GENERATED FILE - DO NOT EDIT BY HAND.
# Regenerate from the repository root with: python tools/gen_typed_api.py
"""Typed signatures of the Pythonic face: one method per action (see facade.py)."""

from collections.abc import Callable
from typing import Any

from kmslab.actions import responses as r
from kmslab.core.service import KMS

class ActionMethods:
    def call(
        self,
        action: str,
        params: dict[str, Any] | None = None,
        *,
        uin: int | None = None,
        region: str | None = None,
        language: str | None = None,
    ) -> dict[str, Any]: ...
    def ArchiveKey(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.ArchiveKeyResponse:
        """Archive a CMK: it can still decrypt but can no longer encrypt (state `Archived`)."""
        ...
    def BindCloudResource(
        self, *, KeyId: str, ProductId: str, ResourceId: str
    ) -> r.BindCloudResourceResponse:
        """Record that a Tencent Cloud product resource uses this CMK."""
        ...
    def CancelKeyArchive(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.CancelKeyArchiveResponse:
        """Un-archive a CMK; its state returns to `Enabled`."""
        ...
    def CancelKeyDeletion(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.CancelKeyDeletionResponse:
        """Cancel a pending scheduled deletion of a CMK."""
        ...
    def CreateKey(
        self,
        *,
        Alias: str,
        Description: str = ...,
        KeyUsage: str = ...,
        Type: int = ...,
        Tags: list[r.Tag] = ...,
        HsmClusterId: str = ...,
    ) -> r.CreateKeyResponse:
        """Create a customer master key (CMK)."""
        ...
    def Decrypt(
        self,
        *,
        CiphertextBlob: str,
        EncryptionContext: str = ...,
        EncryptionPublicKey: str = ...,
        EncryptionAlgorithm: str = ...,
    ) -> r.DecryptResponse:
        """Decrypt a ciphertext blob produced by Encrypt/GenerateDataKey/ReEncrypt; the CMK is identified from the blob itself."""
        ...
    def DescribeKey(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.DescribeKeyResponse:
        """Return the attributes (KeyMetadata) of one CMK."""
        ...
    def DescribeKeys(
        self, *, KeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.DescribeKeysResponse:
        """Return the attributes of several CMKs in one call."""
        ...
    def DisableKey(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.DisableKeyResponse:
        """Disable one CMK; a disabled key cannot be used to encrypt or decrypt."""
        ...
    def DisableKeyRotation(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.DisableKeyRotationResponse:
        """Turn off automatic rotation for a CMK."""
        ...
    def DisableKeys(
        self, *, KeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.DisableKeysResponse:
        """Disable up to 100 CMKs in one call."""
        ...
    def EnableKey(self, *, KeyId: str, MemberAccount: r.MemberAccount = ...) -> r.EnableKeyResponse:
        """Enable one CMK."""
        ...
    def EnableKeyRotation(
        self, *, KeyId: str, RotateDays: int = ..., MemberAccount: r.MemberAccount = ...
    ) -> r.EnableKeyRotationResponse:
        """Turn on automatic rotation for a CMK."""
        ...
    def EnableKeys(
        self, *, KeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.EnableKeysResponse:
        """Enable up to 100 CMKs in one call."""
        ...
    def Encrypt(
        self, *, KeyId: str, Plaintext: str, EncryptionContext: str = ...
    ) -> r.EncryptResponse:
        """Encrypt up to 4 KB of data under a symmetric CMK; returns an opaque ciphertext blob."""
        ...
    def GenerateDataKey(
        self,
        *,
        KeyId: str,
        KeySpec: str = ...,
        NumberOfBytes: int = ...,
        EncryptionContext: str = ...,
        EncryptionPublicKey: str = ...,
        EncryptionAlgorithm: str = ...,
        IsHostedByKms: int = ...,
        DataKeyName: str = ...,
        Description: str = ...,
        HsmClusterId: str = ...,
        Tags: list[r.Tag] = ...,
    ) -> r.GenerateDataKeyResponse:
        """Generate a data key (DEK) for local envelope encryption; returns it in plaintext and encrypted under the CMK. Optionally the DEK can be hosted (stored) by KMS."""
        ...
    def GetKeyRotationStatus(
        self, *, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.GetKeyRotationStatusResponse:
        """Tell whether automatic rotation is on for a CMK."""
        ...
    def ListKeyDetail(
        self,
        *,
        Offset: int = ...,
        Limit: int = ...,
        Role: int = ...,
        OrderType: int = ...,
        KeyState: int = ...,
        SearchKeyAlias: str = ...,
        Origin: str = ...,
        KeyUsage: str = ...,
        TagFilters: list[r.TagFilter] = ...,
        HsmClusterId: str = ...,
        MemberAccounts: list[r.MemberAccount] = ...,
    ) -> r.ListKeyDetailResponse:
        """List CMKs with full attributes, with filtering, sorting and paging."""
        ...
    def ListKeys(
        self, *, Offset: int = ..., Limit: int = ..., Role: int = ..., HsmClusterId: str = ...
    ) -> r.ListKeysResponse:
        """List CMK IDs of the account (only keys in `Enabled`, `Disabled` or `PendingImport` state)."""
        ...
    def ReEncrypt(
        self,
        *,
        CiphertextBlob: str,
        DestinationKeyId: str = ...,
        SourceEncryptionContext: str = ...,
        DestinationEncryptionContext: str = ...,
    ) -> r.ReEncryptResponse:
        """Re-encrypt an existing ciphertext blob under a (possibly different) CMK without exposing the plaintext."""
        ...
    def RotateKey(self, *, KeyId: str, MemberAccount: r.MemberAccount = ...) -> r.RotateKeyResponse:
        """Rotate a CMK immediately (on-demand rotation). Success can be checked via DescribeKey (LastRotateTime / NextRotateTime)."""
        ...
    def ScheduleKeyDeletion(
        self, *, KeyId: str, PendingWindowInDays: int, MemberAccount: r.MemberAccount = ...
    ) -> r.ScheduleKeyDeletionResponse:
        """Schedule a CMK for deletion after a waiting period of 7-30 days (key goes to `PendingDelete`)."""
        ...
    def UnbindCloudResource(
        self, *, KeyId: str, ProductId: str, ResourceId: str
    ) -> r.UnbindCloudResourceResponse:
        """Remove a (key, product, resource) binding: the resource no longer uses the CMK."""
        ...
    def UpdateAlias(
        self, *, Alias: str, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.UpdateAliasResponse:
        """Change the alias of a CMK."""
        ...
    def UpdateKeyDescription(
        self, *, Description: str, KeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.UpdateKeyDescriptionResponse:
        """Change the description of a CMK."""
        ...
    def AsymmetricRsaDecrypt(
        self, *, KeyId: str, Ciphertext: str, Algorithm: str
    ) -> r.AsymmetricRsaDecryptResponse:
        """Decrypt data that was encrypted with the public key of an RSA CMK (key must be `Enabled`)."""
        ...
    def AsymmetricSm2Decrypt(
        self, *, KeyId: str, Ciphertext: str
    ) -> r.AsymmetricSm2DecryptResponse:
        """Decrypt data that was encrypted with the public key of an SM2 CMK (key must be `Enabled`)."""
        ...
    def GetPublicKey(self, *, KeyId: str) -> r.GetPublicKeyResponse:
        """Return the public half of an asymmetric CMK (key must be `Enabled`)."""
        ...
    def SignByAsymmetricKey(
        self, *, Algorithm: str, Message: str, KeyId: str, MessageType: str = ...
    ) -> r.SignByAsymmetricKeyResponse:
        """Sign a message or a digest with an asymmetric signing CMK (KeyUsage `ASYMMETRIC_SIGN_VERIFY_*`)."""
        ...
    def VerifyByAsymmetricKey(
        self,
        *,
        KeyId: str,
        SignatureValue: str,
        Message: str,
        Algorithm: str,
        MessageType: str = ...,
    ) -> r.VerifyByAsymmetricKeyResponse:
        """Verify a signature with an asymmetric signing CMK."""
        ...
    def PostQuantumCryptoDecrypt(
        self, *, CiphertextBlob: str, EncryptionPublicKey: str = ..., EncryptionAlgorithm: str = ...
    ) -> r.PostQuantumCryptoDecryptResponse:
        """Decrypt a blob produced by PostQuantumCryptoEncrypt."""
        ...
    def PostQuantumCryptoEncrypt(
        self, *, KeyId: str, PlainText: str
    ) -> r.PostQuantumCryptoEncryptResponse:
        """Encrypt up to 4 KB with a post-quantum (PQC) CMK."""
        ...
    def PostQuantumCryptoSign(self, *, Message: str, KeyId: str) -> r.PostQuantumCryptoSignResponse:
        """Sign a message with a PQC signing CMK."""
        ...
    def PostQuantumCryptoVerify(
        self, *, KeyId: str, SignatureValue: str, Message: str
    ) -> r.PostQuantumCryptoVerifyResponse:
        """Verify a PQC signature."""
        ...
    def DeleteImportedKeyMaterial(self, *, KeyId: str) -> r.DeleteImportedKeyMaterialResponse:
        """Delete imported material of an EXTERNAL CMK; the key goes back to `PendingImport` (it is not deleted)."""
        ...
    def GetParametersForImport(
        self, *, KeyId: str, WrappingAlgorithm: str, WrappingKeySpec: str
    ) -> r.GetParametersForImportResponse:
        """Obtain a wrapping public key and import token for importing material into an EXTERNAL CMK (both valid 24 h)."""
        ...
    def ImportKeyMaterial(
        self, *, EncryptedKeyMaterial: str, ImportToken: str, KeyId: str, ValidTo: int = ...
    ) -> r.ImportKeyMaterialResponse:
        """Import (wrapped) key material into an EXTERNAL CMK."""
        ...
    def GenerateRandom(self, *, NumberOfBytes: int) -> r.GenerateRandomResponse:
        """Return cryptographically random bytes."""
        ...
    def GetRegions(self) -> r.GetRegionsResponse:
        """List the regions where KMS is offered."""
        ...
    def GetServiceStatus(self) -> r.GetServiceStatusResponse:
        """Report whether KMS is activated for the account, plus edition, quota and cluster information."""
        ...
    def ListAlgorithms(self) -> r.ListAlgorithmsResponse:
        """List the key usages/algorithms supported in the current region."""
        ...
    def CreateWhiteBoxKey(
        self, *, Alias: str, Algorithm: str, Description: str = ..., Tags: list[r.Tag] = ...
    ) -> r.CreateWhiteBoxKeyResponse:
        """Create a white-box key (returns encrypt/decrypt key material for white-box clients)."""
        ...
    def DeleteWhiteBoxKey(self, *, KeyId: str) -> r.DeleteWhiteBoxKeyResponse:
        """Delete a white-box key; it must be disabled first."""
        ...
    def DescribeWhiteBoxDecryptKey(self, *, KeyId: str) -> r.DescribeWhiteBoxDecryptKeyResponse:
        """Return the white-box decryption key of a white-box key."""
        ...
    def DescribeWhiteBoxDeviceFingerprints(
        self, *, KeyId: str
    ) -> r.DescribeWhiteBoxDeviceFingerprintsResponse:
        """List the device fingerprints bound to a white-box key."""
        ...
    def DescribeWhiteBoxKey(self, *, KeyId: str) -> r.DescribeWhiteBoxKeyResponse:
        """Return the details of one white-box key."""
        ...
    def DescribeWhiteBoxKeyDetails(
        self,
        *,
        KeyStatus: int = ...,
        Offset: int = ...,
        Limit: int = ...,
        TagFilters: list[r.TagFilter] = ...,
    ) -> r.DescribeWhiteBoxKeyDetailsResponse:
        """List white-box keys with filters and paging."""
        ...
    def DescribeWhiteBoxServiceStatus(self) -> r.DescribeWhiteBoxServiceStatusResponse:
        """Tell whether the white-box key service is usable for the account."""
        ...
    def DisableWhiteBoxKey(self, *, KeyId: str) -> r.DisableWhiteBoxKeyResponse:
        """Disable one white-box key."""
        ...
    def DisableWhiteBoxKeys(self, *, KeyIds: list[str]) -> r.DisableWhiteBoxKeysResponse:
        """Disable several white-box keys."""
        ...
    def EnableWhiteBoxKey(self, *, KeyId: str) -> r.EnableWhiteBoxKeyResponse:
        """Enable one white-box key."""
        ...
    def EnableWhiteBoxKeys(self, *, KeyIds: list[str]) -> r.EnableWhiteBoxKeysResponse:
        """Enable several white-box keys."""
        ...
    def EncryptByWhiteBox(
        self, *, KeyId: str, PlainText: str, InitializationVector: str = ...
    ) -> r.EncryptByWhiteBoxResponse:
        """Encrypt data server-side with a white-box key; the IV used must be kept for decryption (decryption presumably happens client-side with the white-box decrypt key; there is no server-side white-box decrypt action)."""
        ...
    def OverwriteWhiteBoxDeviceFingerprints(
        self, *, KeyId: str, DeviceFingerprints: list[r.DeviceFingerprint] = ...
    ) -> r.OverwriteWhiteBoxDeviceFingerprintsResponse:
        """Replace the whole device-fingerprint list of a white-box key."""
        ...
    def CancelDataKeyDeletion(
        self, *, DataKeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.CancelDataKeyDeletionResponse:
        """Cancel the scheduled deletion of a hosted data key."""
        ...
    def DescribeDataKey(
        self, *, DataKeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.DescribeDataKeyResponse:
        """Return the attributes of one hosted data key."""
        ...
    def DescribeDataKeys(
        self, *, DataKeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.DescribeDataKeysResponse:
        """Return the attributes of several hosted data keys."""
        ...
    def DisableDataKey(
        self, *, DataKeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.DisableDataKeyResponse:
        """Disable a hosted data key."""
        ...
    def DisableDataKeys(
        self, *, DataKeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.DisableDataKeysResponse:
        """Disable up to 100 hosted data keys."""
        ...
    def EnableDataKey(
        self, *, DataKeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.EnableDataKeyResponse:
        """Enable a hosted data key."""
        ...
    def EnableDataKeys(
        self, *, DataKeyIds: list[str], MemberAccount: r.MemberAccount = ...
    ) -> r.EnableDataKeysResponse:
        """Enable up to 100 hosted data keys."""
        ...
    def GetDataKeyCiphertextBlob(
        self, *, DataKeyId: str, MemberAccount: r.MemberAccount = ...
    ) -> r.GetDataKeyCiphertextBlobResponse:
        """Download the CMK-encrypted form (CiphertextBlob) of a hosted data key."""
        ...
    def GetDataKeyPlaintext(
        self, *, DataKeyId: str, EncryptionPublicKey: str = ..., EncryptionAlgorithm: str = ...
    ) -> r.GetDataKeyPlaintextResponse:
        """Return the plaintext of a hosted data key (optionally wrapped under a caller public key)."""
        ...
    def ImportDataKey(
        self,
        *,
        DataKeyName: str,
        ImportKeyMaterial: str,
        ImportType: int,
        Description: str = ...,
        KeyId: str = ...,
        HsmClusterId: str = ...,
        Tags: list[r.Tag] = ...,
    ) -> r.ImportDataKeyResponse:
        """Import a data key into KMS hosting (either a ciphertext DEK from GenerateDataKey or a plaintext DEK)."""
        ...
    def ListDataKeyDetail(
        self,
        *,
        Offset: int = ...,
        Limit: int = ...,
        Role: int = ...,
        OrderType: int = ...,
        KeyState: int = ...,
        SearchKeyAlias: str = ...,
        Origin: str = ...,
        HsmClusterId: str = ...,
        KeyId: str = ...,
        DataKeyLen: int = ...,
        TagFilters: list[r.TagFilter] = ...,
        MemberAccounts: list[r.MemberAccount] = ...,
    ) -> r.ListDataKeyDetailResponse:
        """List hosted data keys with full attributes, filters, sorting and paging."""
        ...
    def ListDataKeys(
        self, *, Offset: int = ..., Limit: int = ..., Role: int = ..., HsmClusterId: str = ...
    ) -> r.ListDataKeysResponse:
        """List hosted data key IDs."""
        ...
    def ScheduleDataKeyDeletion(
        self, *, DataKeyId: str, PendingWindowInDays: int, MemberAccount: r.MemberAccount = ...
    ) -> r.ScheduleDataKeyDeletionResponse:
        """Schedule deletion of a hosted data key after 7-30 days (state `PendingDelete`)."""
        ...
    def UpdateDataKeyDescription(
        self, *, DataKeyId: str, Description: str, MemberAccount: r.MemberAccount = ...
    ) -> r.UpdateDataKeyDescriptionResponse:
        """Change the description of a hosted data key."""
        ...
    def UpdateDataKeyName(
        self, *, DataKeyId: str, DataKeyName: str, MemberAccount: r.MemberAccount = ...
    ) -> r.UpdateDataKeyNameResponse:
        """Rename a hosted data key."""
        ...

class AccountView(ActionMethods):
    kms: KMS
    uin: int
    region: str
    language: str
    def __init__(self, kms: KMS, uin: int, region: str, language: str) -> None: ...

def give_direct_methods(cls: type, run: Callable[[Any, str, dict], dict]) -> None: ...
