# GENERATED FILE - DO NOT EDIT BY HAND.
# Regenerate from the repository root with: python tools/gen_typed_api.py
"""Typed shapes of every request structure and every response, from the action table.

Annotate code that calls kmslab with them (``r: EncryptResponse = kms.Encrypt(...)``);
``kmslab/core/facade.pyi`` gives each action method its response type.
"""

from __future__ import annotations

from typing import TypedDict


class _DeviceFingerprint(TypedDict):
    pass


class DeviceFingerprint(_DeviceFingerprint, total=False):
    Identity: str
    Description: str


class _MemberAccount(TypedDict):
    pass


class MemberAccount(_MemberAccount, total=False):
    MemberAppId: int
    MemberUin: int


class _Tag(TypedDict):
    pass


class Tag(_Tag, total=False):
    TagKey: str
    TagValue: str


class _TagFilter(TypedDict):
    pass


class TagFilter(_TagFilter, total=False):
    TagKey: str
    TagValue: list[str]


class _AlgorithmInfo(TypedDict):
    pass


class AlgorithmInfo(_AlgorithmInfo, total=False):
    KeyUsage: str
    Algorithm: str


class _DataKey(TypedDict):
    pass


class DataKey(_DataKey, total=False):
    DataKeyId: str


class _DataKeyMetadata(TypedDict):
    pass


class DataKeyMetadata(_DataKeyMetadata, total=False):
    DataKeyId: str
    KeyId: str
    KeyName: str
    DataKeyName: str
    NumberOfBytes: int
    CreateTime: int
    Description: str
    KeyState: str
    CreatorUin: int
    Owner: str
    DeletionDate: int
    Origin: str
    HsmClusterId: str
    ResourceId: str
    IsSyncReplica: int
    SourceRegion: str
    SyncStatus: int
    SyncMessages: str
    SyncStartTime: int
    SyncEndTime: int
    SourceHsmClusterId: str
    AccountAppId: int
    AccountUin: int
    AccountName: str
    CreatorUinString: str


class _DestinationSyncConfig(TypedDict):
    pass


class DestinationSyncConfig(_DestinationSyncConfig, total=False):
    DestinationRegion: str
    HsmClusterId: str


class _ExclusiveHSM(TypedDict):
    pass


class ExclusiveHSM(_ExclusiveHSM, total=False):
    HsmClusterId: str
    HsmClusterName: str


class _Key(TypedDict):
    pass


class Key(_Key, total=False):
    KeyId: str


class _KeyMetadata(TypedDict):
    pass


class KeyMetadata(_KeyMetadata, total=False):
    KeyId: str
    Alias: str
    CreateTime: int
    Description: str
    KeyState: str
    KeyUsage: str
    Type: int
    CreatorUin: int
    KeyRotationEnabled: bool
    Owner: str
    NextRotateTime: int
    DeletionDate: int
    Origin: str
    ValidTo: int
    ResourceId: str
    HsmClusterId: str
    RotateDays: int
    LastRotateTime: int
    IsSyncReplica: int
    SourceRegion: str
    SyncStatus: int
    SyncMessages: str
    SyncStartTime: int
    SyncEndTime: int
    SourceHsmClusterId: str
    AccountAppId: int
    AccountUin: int
    AccountName: str
    CreatorUinString: str


class _RegionQps(TypedDict):
    pass


class RegionQps(_RegionQps, total=False):
    Region: str
    Qps: int


class _WhiteboxKeyInfo(TypedDict):
    pass


class WhiteboxKeyInfo(_WhiteboxKeyInfo, total=False):
    KeyId: str
    Alias: str
    CreatorUin: int
    Description: str
    CreateTime: int
    Status: str
    OwnerUin: int
    Algorithm: str
    EncryptKey: str
    DecryptKey: str
    ResourceId: str
    DeviceFingerprintBind: bool


class ArchiveKeyResponse(TypedDict):
    RequestId: str


class BindCloudResourceResponse(TypedDict):
    RequestId: str


class CancelKeyArchiveResponse(TypedDict):
    RequestId: str


class CancelKeyDeletionResponse(TypedDict):
    KeyId: str
    RequestId: str


class _CreateKeyResponse(TypedDict):
    KeyId: str
    Alias: str
    CreateTime: int
    KeyState: str
    KeyUsage: str
    RequestId: str


class CreateKeyResponse(_CreateKeyResponse, total=False):
    Description: str
    TagCode: int
    TagMsg: str
    HsmClusterId: str


class DecryptResponse(TypedDict):
    KeyId: str
    Plaintext: str
    RequestId: str


class DescribeKeyResponse(TypedDict):
    KeyMetadata: KeyMetadata
    RequestId: str


class DescribeKeysResponse(TypedDict):
    KeyMetadatas: list[KeyMetadata]
    RequestId: str


class DisableKeyResponse(TypedDict):
    RequestId: str


class DisableKeyRotationResponse(TypedDict):
    RequestId: str


class DisableKeysResponse(TypedDict):
    RequestId: str


class EnableKeyResponse(TypedDict):
    RequestId: str


class EnableKeyRotationResponse(TypedDict):
    RequestId: str


class EnableKeysResponse(TypedDict):
    RequestId: str


class EncryptResponse(TypedDict):
    CiphertextBlob: str
    KeyId: str
    RequestId: str


class _GenerateDataKeyResponse(TypedDict):
    KeyId: str
    Plaintext: str
    CiphertextBlob: str
    RequestId: str


class GenerateDataKeyResponse(_GenerateDataKeyResponse, total=False):
    DataKeyId: str
    TagCode: int
    TagMsg: str


class GetKeyRotationStatusResponse(TypedDict):
    KeyRotationEnabled: bool
    RequestId: str


class _ListKeyDetailResponse(TypedDict):
    TotalCount: int
    RequestId: str


class ListKeyDetailResponse(_ListKeyDetailResponse, total=False):
    KeyMetadatas: list[KeyMetadata]


class _ListKeysResponse(TypedDict):
    TotalCount: int
    RequestId: str


class ListKeysResponse(_ListKeysResponse, total=False):
    Keys: list[Key]


class ReEncryptResponse(TypedDict):
    CiphertextBlob: str
    KeyId: str
    SourceKeyId: str
    ReEncrypted: bool
    RequestId: str


class _RotateKeyResponse(TypedDict):
    RequestId: str


class RotateKeyResponse(_RotateKeyResponse, total=False):
    TaskId: str


class ScheduleKeyDeletionResponse(TypedDict):
    DeletionDate: int
    KeyId: str
    RequestId: str


class UnbindCloudResourceResponse(TypedDict):
    RequestId: str


class UpdateAliasResponse(TypedDict):
    RequestId: str


class UpdateKeyDescriptionResponse(TypedDict):
    RequestId: str


class AsymmetricRsaDecryptResponse(TypedDict):
    KeyId: str
    Plaintext: str
    RequestId: str


class AsymmetricSm2DecryptResponse(TypedDict):
    KeyId: str
    Plaintext: str
    RequestId: str


class GetPublicKeyResponse(TypedDict):
    KeyId: str
    PublicKey: str
    PublicKeyPem: str
    RequestId: str


class SignByAsymmetricKeyResponse(TypedDict):
    Signature: str
    RequestId: str


class VerifyByAsymmetricKeyResponse(TypedDict):
    SignatureValid: bool
    RequestId: str


class PostQuantumCryptoDecryptResponse(TypedDict):
    KeyId: str
    PlainText: str
    RequestId: str


class PostQuantumCryptoEncryptResponse(TypedDict):
    CiphertextBlob: str
    KeyId: str
    RequestId: str


class PostQuantumCryptoSignResponse(TypedDict):
    Signature: str
    RequestId: str


class PostQuantumCryptoVerifyResponse(TypedDict):
    SignatureValid: bool
    RequestId: str


class DeleteImportedKeyMaterialResponse(TypedDict):
    RequestId: str


class GetParametersForImportResponse(TypedDict):
    KeyId: str
    ImportToken: str
    PublicKey: str
    ParametersValidTo: int
    RequestId: str


class ImportKeyMaterialResponse(TypedDict):
    RequestId: str


class GenerateRandomResponse(TypedDict):
    Plaintext: str
    RequestId: str


class GetRegionsResponse(TypedDict):
    Regions: list[str]
    RequestId: str


class _GetServiceStatusResponse(TypedDict):
    ServiceEnabled: bool
    InvalidType: int
    UserLevel: int
    ProExpireTime: int
    ProRenewFlag: int
    ProResourceId: str
    ExclusiveVSMEnabled: bool
    ExclusiveHSMEnabled: bool
    SubscriptionInfo: str
    RequestId: str


class GetServiceStatusResponse(_GetServiceStatusResponse, total=False):
    CmkUserCount: int
    CmkLimit: int
    ExclusiveHSMList: list[ExclusiveHSM]
    IsAllowedDataKeyHosted: bool
    DataKeyLimit: int
    FreeDataKeyLimit: int
    DataKeyUsedCount: int
    SyncTaskList: list[DestinationSyncConfig]
    IsAllowedSync: bool
    QpsLimit: int
    QpsTotalLimit: int
    RegionsQps: list[RegionQps]
    ResourceZone: int
    ResourceRegion: int


class ListAlgorithmsResponse(TypedDict):
    SymmetricAlgorithms: list[AlgorithmInfo]
    AsymmetricAlgorithms: list[AlgorithmInfo]
    AsymmetricSignVerifyAlgorithms: list[AlgorithmInfo]
    RequestId: str


class _CreateWhiteBoxKeyResponse(TypedDict):
    EncryptKey: str
    DecryptKey: str
    KeyId: str
    RequestId: str


class CreateWhiteBoxKeyResponse(_CreateWhiteBoxKeyResponse, total=False):
    TagCode: int
    TagMsg: str


class DeleteWhiteBoxKeyResponse(TypedDict):
    RequestId: str


class DescribeWhiteBoxDecryptKeyResponse(TypedDict):
    DecryptKey: str
    RequestId: str


class DescribeWhiteBoxDeviceFingerprintsResponse(TypedDict):
    DeviceFingerprints: list[DeviceFingerprint]
    RequestId: str


class DescribeWhiteBoxKeyResponse(TypedDict):
    KeyInfo: WhiteboxKeyInfo
    RequestId: str


class DescribeWhiteBoxKeyDetailsResponse(TypedDict):
    KeyInfos: list[WhiteboxKeyInfo]
    TotalCount: int
    RequestId: str


class DescribeWhiteBoxServiceStatusResponse(TypedDict):
    ServiceEnabled: bool
    RequestId: str


class DisableWhiteBoxKeyResponse(TypedDict):
    RequestId: str


class DisableWhiteBoxKeysResponse(TypedDict):
    RequestId: str


class EnableWhiteBoxKeyResponse(TypedDict):
    RequestId: str


class EnableWhiteBoxKeysResponse(TypedDict):
    RequestId: str


class EncryptByWhiteBoxResponse(TypedDict):
    InitializationVector: str
    CipherText: str
    RequestId: str


class OverwriteWhiteBoxDeviceFingerprintsResponse(TypedDict):
    RequestId: str


class _CancelDataKeyDeletionResponse(TypedDict):
    RequestId: str


class CancelDataKeyDeletionResponse(_CancelDataKeyDeletionResponse, total=False):
    DataKeyId: str


class DescribeDataKeyResponse(TypedDict):
    DataKeyMetadata: DataKeyMetadata
    RequestId: str


class DescribeDataKeysResponse(TypedDict):
    DataKeyMetadatas: list[DataKeyMetadata]
    RequestId: str


class DisableDataKeyResponse(TypedDict):
    RequestId: str


class DisableDataKeysResponse(TypedDict):
    RequestId: str


class EnableDataKeyResponse(TypedDict):
    RequestId: str


class EnableDataKeysResponse(TypedDict):
    RequestId: str


class GetDataKeyCiphertextBlobResponse(TypedDict):
    CiphertextBlob: str
    RequestId: str


class GetDataKeyPlaintextResponse(TypedDict):
    Plaintext: str
    RequestId: str


class _ImportDataKeyResponse(TypedDict):
    KeyId: str
    DataKeyId: str
    RequestId: str


class ImportDataKeyResponse(_ImportDataKeyResponse, total=False):
    TagCode: int
    TagMsg: str


class _ListDataKeyDetailResponse(TypedDict):
    TotalCount: int
    RequestId: str


class ListDataKeyDetailResponse(_ListDataKeyDetailResponse, total=False):
    DataKeyMetadatas: list[DataKeyMetadata]


class _ListDataKeysResponse(TypedDict):
    TotalCount: int
    RequestId: str


class ListDataKeysResponse(_ListDataKeysResponse, total=False):
    DataKeys: list[DataKey]


class ScheduleDataKeyDeletionResponse(TypedDict):
    DeletionDate: int
    DataKeyId: str
    RequestId: str


class UpdateDataKeyDescriptionResponse(TypedDict):
    RequestId: str


class UpdateDataKeyNameResponse(TypedDict):
    RequestId: str
