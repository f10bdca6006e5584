# GENERATED FILE - DO NOT EDIT BY HAND.
# Source: ../shared/spec/api-catalog.md
# Source sha256: 76b4794debffef2f457179954a4fda75c59c48841dd54ca2bbc7e9fbbdf8beea
# Regenerate from the repository root with: python tools/gen_catalog.py
"""The action table exactly as the spec's ``api-catalog.md`` states it, without limits.

Generated so that parameter names, types, required flags, response fields and error
lists cannot drift from the spec. :mod:`kmslab.actions.table` merges in the limits of
:mod:`kmslab.actions.limits`; the rest of kmslab should import that table, not this one.
"""

from __future__ import annotations

from kmslab.actions.spec import (
    INTEGER,
    INTEGER_SIGNED,
    STRING,
    STRING_LIST,
    ActionSpec,
    Param,
    Struct,
)

# The request structures of section 3 (response-only ones are never validated).
STRUCTS: dict[str, Struct] = {
    "DeviceFingerprint": Struct(
        name="DeviceFingerprint",
        fields=(
            Param(
                "Identity",
                STRING,
                required=True,
                doc=(
                    "Fingerprint string produced by the fingerprint collector; must match "
                    "`^[0-9a-f]{8}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{16}$` "
                    "(8-14-14-14-16 lowercase hex groups)."
                ),
            ),
            Param(
                "Description",
                STRING,
                required=False,
                doc="Free text such as IP or device name, at most 1024 bytes.",
            ),
        ),
    ),
    "MemberAccount": Struct(
        name="MemberAccount",
        fields=(
            Param(
                "MemberAppId",
                INTEGER,
                required=False,
                doc="Member account AppId.",
            ),
            Param(
                "MemberUin",
                INTEGER,
                required=False,
                doc="Member account UIN.",
            ),
        ),
    ),
    "Tag": Struct(
        name="Tag",
        fields=(
            Param(
                "TagKey",
                STRING,
                required=True,
                doc="Tag key.",
            ),
            Param(
                "TagValue",
                STRING,
                required=True,
                doc="Tag value (a single string).",
            ),
        ),
    ),
    "TagFilter": Struct(
        name="TagFilter",
        fields=(
            Param(
                "TagKey",
                STRING,
                required=True,
                doc="Tag key.",
            ),
            Param(
                "TagValue",
                STRING_LIST,
                required=False,
                doc="Acceptable values (array of strings); optional.",
            ),
        ),
    ),
}

# All actions of the official SDK, in catalog order (sections 1 and 2).
ACTIONS: dict[str, ActionSpec] = {
    "ArchiveKey": ActionSpec(
        name="ArchiveKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Archive a CMK: it can still decrypt but can no longer encrypt (state `Archived`).",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.NotUserCreatedCmk",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "BindCloudResource": ActionSpec(
        name="BindCloudResource",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Record that a Tencent Cloud product resource uses this CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "ProductId",
                STRING,
                required=True,
                doc="Identifier of the cloud product (e.g. `ssm`).",
            ),
            Param(
                "ResourceId",
                STRING,
                required=True,
                doc="Product-defined resource/instance ID, stored as an opaque string.",
            ),
        ),
        response=(),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            (
                "Any automatic-expiry setting on the key is cancelled so the key cannot silently "
                "become invalid."
            ),
            "Idempotent: binding an existing pair again succeeds.",
        ),
    ),
    "CancelKeyArchive": ActionSpec(
        name="CancelKeyArchive",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Un-archive a CMK; its state returns to `Enabled`.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.NotUserCreatedCmk",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "CancelKeyDeletion": ActionSpec(
        name="CancelKeyDeletion",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Cancel a pending scheduled deletion of a CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("KeyId",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkNotPendingDelete",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            (
                "Fails with `ResourceUnavailable.CmkNotPendingDelete` when the key is not in "
                "`PendingDelete`. The resulting state is not stated in the sources."
            ),
        ),
    ),
    "CreateKey": ActionSpec(
        name="CreateKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Create a customer master key (CMK).",
        params=(
            Param(
                "Alias",
                STRING,
                required=True,
                doc=(
                    "Display alias, must be unique per account. 1-60 chars from letters, digits, "
                    "`-`, `_`; first char must be a letter or digit. The `kms-` prefix is reserved "
                    "for keys created by Tencent Cloud products."
                ),
            ),
            Param(
                "Description",
                STRING,
                required=False,
                doc="Free-text description, at most 1024 bytes.",
            ),
            Param(
                "KeyUsage",
                STRING,
                required=False,
                doc=(
                    "Key purpose. Default `ENCRYPT_DECRYPT` (symmetric). Others: "
                    "`ASYMMETRIC_DECRYPT_RSA_2048`, `ASYMMETRIC_DECRYPT_SM2`, "
                    "`ASYMMETRIC_SIGN_VERIFY_SM2`, `ASYMMETRIC_SIGN_VERIFY_ECC`, "
                    "`ASYMMETRIC_SIGN_VERIFY_RSA_2048`, `ASYMMETRIC_SIGN_VERIFY_ECDSA384` (full "
                    "list per region via ListAlgorithms)."
                ),
            ),
            Param(
                "Type",
                INTEGER,
                required=False,
                doc=(
                    "Key material origin. Default 1 = material generated by KMS (Origin "
                    "`TENCENT_KMS`); 2 = EXTERNAL, material imported by the user (Origin "
                    "`EXTERNAL`). NOTE: not the same meaning as `KeyMetadata.Type`."
                ),
            ),
            Param(
                "Tags",
                "Array of Tag",
                required=False,
                doc="Tags to attach (array of Tag).",
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "HSM cluster ID (`cls-hsm-...`); only meaningful for Exclusive/Managed KMS "
                    "editions."
                ),
            ),
        ),
        response=(
            "KeyId",
            "Alias",
            "CreateTime",
            "Description",
            "KeyState",
            "KeyUsage",
            "TagCode",
            "TagMsg",
            "HsmClusterId",
        ),
        errors=(
            "FailedOperation.TaggingError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.AliasAlreadyExists",
            "InvalidParameterValue.InvalidAlias",
            "InvalidParameterValue.InvalidHsmClusterId",
            "InvalidParameterValue.InvalidKeyUsage",
            "InvalidParameterValue.InvalidType",
            "InvalidParameterValue.TagKeysDuplicated",
            "InvalidParameterValue.TagsNotExisted",
            "LimitExceeded.CmkLimitExceeded",
            "UnauthorizedOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
            "UnsupportedOperation.UnsupportedKeyUsageInCurrentRegion",
        ),
        notes=(
            (
                "Type=2 creates an EXTERNAL CMK whose material must be imported "
                "(GetParametersForImport + ImportKeyMaterial); such a key presumably sits in "
                "`PendingImport` until then (inferred from ListKeys/DeleteImportedKeyMaterial; the "
                "sources do not say it for CreateKey)."
            ),
            (
                "Doc text mislabels `ASYMMETRIC_SIGN_VERIFY_ECC` as an RSA-2048 key and omits "
                "`ASYMMETRIC_SIGN_VERIFY_RSA_2048`; the SDK comment lists ECC as ECC and includes "
                "RSA_2048 signing. ListAlgorithms is the authoritative per-region list."
            ),
            (
                "Response echoes the stored attributes; example shows `KeyState`=`Enabled` for a "
                "Type=1 key."
            ),
        ),
    ),
    "Decrypt": ActionSpec(
        name="Decrypt",
        group="key",
        in_doc="yes",
        qps=300,
        summary=(
            "Decrypt a ciphertext blob produced by Encrypt/GenerateDataKey/ReEncrypt; the CMK is "
            "identified from the blob itself."
        ),
        params=(
            Param(
                "CiphertextBlob",
                STRING,
                required=True,
                doc="Ciphertext blob to decrypt.",
            ),
            Param(
                "EncryptionContext",
                STRING,
                required=False,
                doc=(
                    "The same JSON string that was given at encryption time (if any); at most 1024 "
                    "bytes."
                ),
            ),
            Param(
                "EncryptionPublicKey",
                STRING,
                required=False,
                doc=(
                    "PEM public key (RSA-2048 or SM2). If given, the returned plaintext is "
                    "encrypted with this key before being returned (so it is not exposed in the "
                    "response); if absent the plaintext is returned Base64-encoded only."
                ),
            ),
            Param(
                "EncryptionAlgorithm",
                STRING,
                required=False,
                doc=(
                    "Algorithm for wrapping the returned plaintext with `EncryptionPublicKey`: "
                    "`SM2` (default; raw C1C3C2 output), `SM2_C1C3C2_ASN1` (DER/ASN.1 C1C3C2), "
                    "`RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256`. Only meaningful "
                    "together with `EncryptionPublicKey`."
                ),
            ),
        ),
        response=(
            "KeyId",
            "Plaintext",
        ),
        errors=(
            "FailedOperation.EncryptionError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidCiphertext",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
        ),
        notes=(
            "There is no KeyId input: the blob must be self-describing.",
            "The EncryptionContext must be exactly the one used at encryption time.",
        ),
    ),
    "DescribeKey": ActionSpec(
        name="DescribeKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Return the attributes (KeyMetadata) of one CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("KeyMetadata",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DescribeKeys": ActionSpec(
        name="DescribeKeys",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Return the attributes of several CMKs in one call.",
        params=(
            Param(
                "KeyIds",
                STRING_LIST,
                required=True,
                doc=(
                    "IDs to look up; at most 100 per call. Duplicates are rejected "
                    "(`InvalidParameterValue.DuplicatedKeyId`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("KeyMetadatas",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DuplicatedKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DisableKey": ActionSpec(
        name="DisableKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Disable one CMK; a disabled key cannot be used to encrypt or decrypt.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            (
                "Refused with `FailedOperation.CmkUsedByCloudProduct` if a cloud product depends "
                "on the key."
            ),
        ),
    ),
    "DisableKeyRotation": ActionSpec(
        name="DisableKeyRotation",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Turn off automatic rotation for a CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DisableKeys": ActionSpec(
        name="DisableKeys",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Disable up to 100 CMKs in one call.",
        params=(
            Param(
                "KeyIds",
                STRING_LIST,
                required=True,
                doc="IDs to disable; at most 100; no duplicates.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DuplicatedKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "EnableKey": ActionSpec(
        name="EnableKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Enable one CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "EnableKeyRotation": ActionSpec(
        name="EnableKeyRotation",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Turn on automatic rotation for a CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "RotateDays",
                INTEGER,
                required=False,
                doc="Rotation period in days, 7-365; default 365.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.ExternalCmkCanNotRotate",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            (
                "EXTERNAL (imported) keys cannot be rotated "
                "(`UnsupportedOperation.ExternalCmkCanNotRotate`)."
            ),
        ),
    ),
    "EnableKeys": ActionSpec(
        name="EnableKeys",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Enable up to 100 CMKs in one call.",
        params=(
            Param(
                "KeyIds",
                STRING_LIST,
                required=True,
                doc="IDs to enable; at most 100; no duplicates.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DuplicatedKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "Encrypt": ActionSpec(
        name="Encrypt",
        group="key",
        in_doc="yes",
        qps=300,
        summary=(
            "Encrypt up to 4 KB of data under a symmetric CMK; returns an opaque ciphertext blob."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="CMK to encrypt under (ID returned by CreateKey).",
            ),
            Param(
                "Plaintext",
                STRING,
                required=True,
                doc="Data to encrypt, Base64-encoded; the decoded data may be at most 4 KB.",
            ),
            Param(
                "EncryptionContext",
                STRING,
                required=False,
                doc=(
                    "Optional JSON object serialised as a string (key/value pairs, e.g. "
                    '`{"key1":"value1"}`), at most 1024 characters. The identical string must be '
                    "passed to Decrypt."
                ),
            ),
        ),
        response=(
            "CiphertextBlob",
            "KeyId",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidPlaintext",
            "ResourceUnavailable.CmkArchived",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "Intended for small secrets; bulk data should use GenerateDataKey (envelope "
                "encryption)."
            ),
            "Archived or Disabled keys are refused.",
        ),
    ),
    "GenerateDataKey": ActionSpec(
        name="GenerateDataKey",
        group="key",
        in_doc="yes",
        qps=100,
        summary=(
            "Generate a data key (DEK) for local envelope encryption; returns it in plaintext and "
            "encrypted under the CMK. Optionally the DEK can be hosted (stored) by KMS."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="CMK that protects the data key.",
            ),
            Param(
                "KeySpec",
                STRING,
                required=False,
                doc="Data key type/size: `AES_128` (16 bytes) or `AES_256` (32 bytes).",
            ),
            Param(
                "NumberOfBytes",
                INTEGER,
                required=False,
                doc="Data key length in bytes, 1-1024. Overrides KeySpec.",
            ),
            Param(
                "EncryptionContext",
                STRING,
                required=False,
                doc=(
                    "Optional JSON-object string bound to the encrypted DEK; must be repeated on "
                    "Decrypt."
                ),
            ),
            Param(
                "EncryptionPublicKey",
                STRING,
                required=False,
                doc=(
                    "PEM public key (RSA-2048 or SM2). If given, the returned plaintext is "
                    "encrypted with this key before being returned (so it is not exposed in the "
                    "response); if absent the plaintext is returned Base64-encoded only."
                ),
            ),
            Param(
                "EncryptionAlgorithm",
                STRING,
                required=False,
                doc=(
                    "Algorithm for wrapping the returned plaintext with `EncryptionPublicKey`: "
                    "`SM2` (default; raw C1C3C2 output), `SM2_C1C3C2_ASN1` (DER/ASN.1 C1C3C2), "
                    "`RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256`. Only meaningful "
                    "together with `EncryptionPublicKey`."
                ),
            ),
            Param(
                "IsHostedByKms",
                INTEGER,
                required=False,
                doc=(
                    "1 = KMS keeps (hosts) the generated data key and returns a DataKeyId; 0 = not "
                    "hosted (classic behaviour)."
                ),
            ),
            Param(
                "DataKeyName",
                STRING,
                required=False,
                doc=(
                    "Name of the hosted data key; mandatory when IsHostedByKms=1, ignored "
                    "otherwise."
                ),
            ),
            Param(
                "Description",
                STRING,
                required=False,
                doc="Description of the hosted data key, at most 100 bytes.",
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "Exclusive-edition HSM cluster. If set, KMS checks that KeyId belongs to this "
                    "cluster."
                ),
            ),
            Param(
                "Tags",
                "Array of Tag",
                required=False,
                doc="Tags for the hosted data key (only used when IsHostedByKms=1).",
            ),
        ),
        response=(
            "KeyId",
            "Plaintext",
            "CiphertextBlob",
            "DataKeyId",
            "TagCode",
            "TagMsg",
        ),
        errors=(
            "FailedOperation.EncryptionError",
            "FailedOperation.TaggingError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DataKeyNameAlreadyExists",
            "InvalidParameterValue.InvalidDataKeyName",
            "InvalidParameterValue.InvalidHsmClusterId",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidKeyUsage",
            "InvalidParameterValue.InvalidType",
            "InvalidParameterValue.TagKeysDuplicated",
            "InvalidParameterValue.TagsNotExisted",
            "LimitExceeded.CmkLimitExceeded",
            "LimitExceeded.DataKeyLimitExceeded",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.KeyPendingDelete",
            "UnauthorizedOperation",
        ),
        notes=(
            "Either `KeySpec` or `NumberOfBytes` must be given; `NumberOfBytes` wins if both are.",
            (
                "Hosting fields (`IsHostedByKms`, `DataKeyName`, `Description`, `HsmClusterId`, "
                "`Tags`; response `DataKeyId`, `TagCode`, `TagMsg`) exist only in the SDK, not in "
                "the doc text."
            ),
            (
                "The doc example combines an SM2 `EncryptionPublicKey` with "
                "`EncryptionAlgorithm`=`SM2`; the returned Plaintext is then 128 bytes = 64-byte "
                "C1 (no 0x04 prefix) + 32-byte C3 + 32-byte C2 for a 32-byte DEK."
            ),
        ),
    ),
    "GetKeyRotationStatus": ActionSpec(
        name="GetKeyRotationStatus",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Tell whether automatic rotation is on for a CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("KeyRotationEnabled",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=("Only a boolean is returned; the period is in KeyMetadata.RotateDays.",),
    ),
    "ListKeyDetail": ActionSpec(
        name="ListKeyDetail",
        group="key",
        in_doc="yes",
        qps=100,
        summary="List CMKs with full attributes, with filtering, sorting and paging.",
        params=(
            Param(
                "Offset",
                INTEGER,
                required=False,
                doc="Pagination start index (SQL-OFFSET semantics). Default 0.",
            ),
            Param(
                "Limit",
                INTEGER,
                required=False,
                doc="Page size (SQL-LIMIT semantics). Default 10, maximum 200.",
            ),
            Param(
                "Role",
                INTEGER,
                required=False,
                doc=(
                    "Creator filter: 0 (default) user-created; 1 created by an authorised cloud "
                    "product."
                ),
            ),
            Param(
                "OrderType",
                INTEGER,
                required=False,
                doc=(
                    "Sort by creation time: 0 = newest first (descending), 1 = oldest first "
                    "(ascending)."
                ),
            ),
            Param(
                "KeyState",
                INTEGER,
                required=False,
                doc=(
                    "State filter: 0 all; 1 Enabled; 2 Disabled; 3 PendingDelete; 4 PendingImport; "
                    "5 Archived."
                ),
            ),
            Param(
                "SearchKeyAlias",
                STRING,
                required=False,
                doc="Fuzzy match against KeyId or Alias.",
            ),
            Param(
                "Origin",
                STRING,
                required=False,
                doc=(
                    "Material-origin filter, case-sensitive: `TENCENT_KMS`, `EXTERNAL`, or "
                    "`ALL`/empty for both."
                ),
            ),
            Param(
                "KeyUsage",
                STRING,
                required=False,
                doc=(
                    "Usage filter: `ALL`, `ENCRYPT_DECRYPT` (the default when empty), "
                    "`ASYMMETRIC_DECRYPT_RSA_2048`, `ASYMMETRIC_DECRYPT_SM2`, "
                    "`ASYMMETRIC_SIGN_VERIFY_SM2`, `ASYMMETRIC_SIGN_VERIFY_RSA_2048`, "
                    "`ASYMMETRIC_SIGN_VERIFY_ECC`."
                ),
            ),
            Param(
                "TagFilters",
                "Array of TagFilter",
                required=False,
                doc="Tag filter conditions (array of TagFilter).",
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "HSM cluster ID (`cls-hsm-...`); only meaningful for Exclusive/Managed KMS "
                    "editions."
                ),
            ),
            Param(
                "MemberAccounts",
                "Array of MemberAccount",
                required=False,
                doc=(
                    "Optional list of member accounts (MemberAccount) whose keys should be listed "
                    "(multi-account scenario)."
                ),
            ),
        ),
        response=(
            "TotalCount",
            "KeyMetadatas",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidHsmClusterId",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(
            (
                "If `KeyUsage` is omitted/empty only `ENCRYPT_DECRYPT` keys are returned; pass "
                "`ALL` to get every usage."
            ),
        ),
    ),
    "ListKeys": ActionSpec(
        name="ListKeys",
        group="key",
        in_doc="yes",
        qps=100,
        summary=(
            "List CMK IDs of the account (only keys in `Enabled`, `Disabled` or `PendingImport` "
            "state)."
        ),
        params=(
            Param(
                "Offset",
                INTEGER,
                required=False,
                doc="Pagination start index (SQL-OFFSET semantics). Default 0.",
            ),
            Param(
                "Limit",
                INTEGER,
                required=False,
                doc="Page size (SQL-LIMIT semantics). Default 10, maximum 200.",
            ),
            Param(
                "Role",
                INTEGER,
                required=False,
                doc=(
                    "Creator filter: 0 (default) = keys created by the user; 1 = keys created "
                    "automatically by an authorised Tencent Cloud product."
                ),
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "HSM cluster ID (`cls-hsm-...`); only meaningful for Exclusive/Managed KMS "
                    "editions."
                ),
            ),
        ),
        response=(
            "Keys",
            "TotalCount",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidHsmClusterId",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "Keys in `PendingDelete` or `Archived` are not listed here (use ListKeyDetail with "
                "KeyState filter)."
            ),
        ),
    ),
    "ReEncrypt": ActionSpec(
        name="ReEncrypt",
        group="key",
        in_doc="yes",
        qps=100,
        summary=(
            "Re-encrypt an existing ciphertext blob under a (possibly different) CMK without "
            "exposing the plaintext."
        ),
        params=(
            Param(
                "CiphertextBlob",
                STRING,
                required=True,
                doc="Blob to re-encrypt.",
            ),
            Param(
                "DestinationKeyId",
                STRING,
                required=False,
                doc=(
                    "Target CMK. If empty the blob's own CMK is used (only useful after a "
                    "rotation)."
                ),
            ),
            Param(
                "SourceEncryptionContext",
                STRING,
                required=False,
                doc="Encryption context used when the blob was created (empty if none).",
            ),
            Param(
                "DestinationEncryptionContext",
                STRING,
                required=False,
                doc="Encryption context to bind to the new blob; must then be supplied to Decrypt.",
            ),
        ),
        response=(
            "CiphertextBlob",
            "KeyId",
            "SourceKeyId",
            "ReEncrypted",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidCiphertext",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "If the destination key is the original key and it has not rotated, no work is "
                "done: the original blob is returned and `ReEncrypted` tells the caller."
            ),
        ),
    ),
    "RotateKey": ActionSpec(
        name="RotateKey",
        group="key",
        in_doc="no",
        qps=None,
        summary=(
            "Rotate a CMK immediately (on-demand rotation). Success can be checked via DescribeKey "
            "(LastRotateTime / NextRotateTime)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("TaskId",),
        errors=(
            "FailedOperation.RotateTaskRunning",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "RequestLimitExceeded.RotateRateLimited",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.RotateNotSupported",
        ),
        notes=(
            "Not in the documentation text; SDK/CLI only.",
            (
                "Errors show a rate limit (by default one rotation per 24 h: "
                "`RequestLimitExceeded.RotateRateLimited`), a single running task "
                "(`FailedOperation.RotateTaskRunning`) and unsupported cases (rotation disabled, "
                "external key, replica key: `UnsupportedOperation.RotateNotSupported`)."
            ),
        ),
    ),
    "ScheduleKeyDeletion": ActionSpec(
        name="ScheduleKeyDeletion",
        group="key",
        in_doc="yes",
        qps=100,
        summary=(
            "Schedule a CMK for deletion after a waiting period of 7-30 days (key goes to "
            "`PendingDelete`)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "PendingWindowInDays",
                INTEGER,
                required=True,
                doc="Waiting period in days, inclusive range [7, 30].",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(
            "DeletionDate",
            "KeyId",
        ),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter.InvalidPendingWindowInDays",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkShouldBeDisabled",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            (
                "An `Enabled` key is refused (`ResourceUnavailable.CmkShouldBeDisabled`): disable "
                "it first."
            ),
            (
                'Doc example sends `PendingWindowInDays` as a JSON string ("7") and a KeyId '
                "wrapped in escaped quotes: documentation artefacts; the Go SDK always sends a "
                "JSON number."
            ),
        ),
    ),
    "UnbindCloudResource": ActionSpec(
        name="UnbindCloudResource",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Remove a (key, product, resource) binding: the resource no longer uses the CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "ProductId",
                STRING,
                required=True,
                doc="Identifier of the cloud product (e.g. `ssm`).",
            ),
            Param(
                "ResourceId",
                STRING,
                required=True,
                doc="Product-defined resource/instance ID.",
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CloudResourceBindingNotFound",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=("Missing binding -> `ResourceUnavailable.CloudResourceBindingNotFound`.",),
    ),
    "UpdateAlias": ActionSpec(
        name="UpdateAlias",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Change the alias of a CMK.",
        params=(
            Param(
                "Alias",
                STRING,
                required=True,
                doc="New alias, 1-60 characters (same character rules as CreateKey.Alias).",
            ),
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.AliasAlreadyExists",
            "InvalidParameterValue.InvalidAlias",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            "Not allowed while the key is `PendingDelete`.",
            (
                "Uniqueness/format rules as for CreateKey.Alias (errors AliasAlreadyExists / "
                "InvalidAlias)."
            ),
        ),
    ),
    "UpdateKeyDescription": ActionSpec(
        name="UpdateKeyDescription",
        group="key",
        in_doc="yes",
        qps=100,
        summary="Change the description of a CMK.",
        params=(
            Param(
                "Description",
                STRING,
                required=True,
                doc="New description, at most 1024 bytes.",
            ),
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=("Not allowed while the key is `PendingDelete`.",),
    ),
    "AsymmetricRsaDecrypt": ActionSpec(
        name="AsymmetricRsaDecrypt",
        group="asymmetric",
        in_doc="yes",
        qps=200,
        summary=(
            "Decrypt data that was encrypted with the public key of an RSA CMK (key must be "
            "`Enabled`)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "Ciphertext",
                STRING,
                required=True,
                doc="Base64 of the RSA ciphertext (256 bytes for RSA-2048).",
            ),
            Param(
                "Algorithm",
                STRING,
                required=True,
                doc=(
                    "Padding scheme used at encryption: `RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1` or "
                    "`RSAES_OAEP_SHA_256`."
                ),
            ),
        ),
        response=(
            "KeyId",
            "Plaintext",
        ),
        errors=(
            "FailedOperation.DecryptError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidKeyUsage",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "AsymmetricSm2Decrypt": ActionSpec(
        name="AsymmetricSm2Decrypt",
        group="asymmetric",
        in_doc="yes",
        qps=200,
        summary=(
            "Decrypt data that was encrypted with the public key of an SM2 CMK (key must be "
            "`Enabled`)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "Ciphertext",
                STRING,
                required=True,
                doc=(
                    "Base64 of the SM2 ciphertext in C1C3C2 ASN.1 (DER) form; the raw ciphertext "
                    "may be at most 256 bytes."
                ),
            ),
        ),
        response=(
            "KeyId",
            "Plaintext",
        ),
        errors=(
            "FailedOperation.DecryptError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidKeyUsage",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
            "UnsupportedOperation.UnsupportedKeyUsageInCurrentRegion",
        ),
        notes=(),
    ),
    "GetPublicKey": ActionSpec(
        name="GetPublicKey",
        group="asymmetric",
        in_doc="yes",
        qps=100,
        summary="Return the public half of an asymmetric CMK (key must be `Enabled`).",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
        ),
        response=(
            "KeyId",
            "PublicKey",
            "PublicKeyPem",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "SignByAsymmetricKey": ActionSpec(
        name="SignByAsymmetricKey",
        group="asymmetric",
        in_doc="yes",
        qps=100,
        summary=(
            "Sign a message or a digest with an asymmetric signing CMK (KeyUsage "
            "`ASYMMETRIC_SIGN_VERIFY_*`)."
        ),
        params=(
            Param(
                "Algorithm",
                STRING,
                required=True,
                doc=(
                    "Signature algorithm, e.g. `SM2DSA`, `ECC_P256_R1`, `RSA_PSS_SHA_256`, "
                    "`RSA_PKCS1_SHA_256` (more via ListAlgorithms)."
                ),
            ),
            Param(
                "Message",
                STRING,
                required=True,
                doc=(
                    "Base64 of the data to sign. For MessageType RAW the decoded message may be at "
                    "most 4096 bytes; for DIGEST it must be exactly 32 bytes."
                ),
            ),
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "MessageType",
                STRING,
                required=False,
                doc=(
                    "`RAW` (default when absent) = Message is the full message; `DIGEST` = Message "
                    "is a pre-computed 32-byte digest."
                ),
            ),
        ),
        response=("Signature",),
        errors=(
            "AuthFailure",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "MissingParameter",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
        ),
        notes=(),
    ),
    "VerifyByAsymmetricKey": ActionSpec(
        name="VerifyByAsymmetricKey",
        group="asymmetric",
        in_doc="yes",
        qps=100,
        summary="Verify a signature with an asymmetric signing CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc=(
                    "CMK ID (globally unique, UUID-style, e.g. "
                    "`23e80852-1e38-11e9-b129-5cb9019b4b01`)."
                ),
            ),
            Param(
                "SignatureValue",
                STRING,
                required=True,
                doc="Base64 signature as produced by SignByAsymmetricKey.",
            ),
            Param(
                "Message",
                STRING,
                required=True,
                doc=(
                    "Base64 of the message (RAW, <=4096 bytes decoded) or digest (DIGEST, exactly "
                    "32 bytes decoded)."
                ),
            ),
            Param(
                "Algorithm",
                STRING,
                required=True,
                doc=(
                    "Signature algorithm (`SM2DSA`, `ECC_P256_R1`, `RSA_PSS_SHA_256`, "
                    "`RSA_PKCS1_SHA_256`, ...)."
                ),
            ),
            Param(
                "MessageType",
                STRING,
                required=False,
                doc="`RAW` (default) or `DIGEST`.",
            ),
        ),
        response=("SignatureValid",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
        ),
        notes=("A bad signature is reported as `SignatureValid`=false, not as an error.",),
    ),
    "PostQuantumCryptoDecrypt": ActionSpec(
        name="PostQuantumCryptoDecrypt",
        group="PQC",
        in_doc="yes",
        qps=20,
        summary="Decrypt a blob produced by PostQuantumCryptoEncrypt.",
        params=(
            Param(
                "CiphertextBlob",
                STRING,
                required=True,
                doc="Blob to decrypt.",
            ),
            Param(
                "EncryptionPublicKey",
                STRING,
                required=False,
                doc=(
                    "PEM public key (RSA-2048 or SM2). If given, the returned plaintext is "
                    "encrypted with this key before being returned (so it is not exposed in the "
                    "response); if absent the plaintext is returned Base64-encoded only."
                ),
            ),
            Param(
                "EncryptionAlgorithm",
                STRING,
                required=False,
                doc=(
                    "Algorithm for wrapping the returned plaintext with `EncryptionPublicKey`: "
                    "`SM2` (default; raw C1C3C2 output), `SM2_C1C3C2_ASN1` (DER/ASN.1 C1C3C2), "
                    "`RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256`. Only meaningful "
                    "together with `EncryptionPublicKey`."
                ),
            ),
        ),
        response=(
            "KeyId",
            "PlainText",
        ),
        errors=(
            "FailedOperation.EncryptionError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidCiphertext",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
        ),
        notes=("Response field is `PlainText` (capital T).",),
    ),
    "PostQuantumCryptoEncrypt": ActionSpec(
        name="PostQuantumCryptoEncrypt",
        group="PQC",
        in_doc="yes",
        qps=20,
        summary="Encrypt up to 4 KB with a post-quantum (PQC) CMK.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="PQC CMK ID.",
            ),
            Param(
                "PlainText",
                STRING,
                required=True,
                doc="Base64 data to encrypt; decoded size at most 4 KB.",
            ),
        ),
        response=(
            "CiphertextBlob",
            "KeyId",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidPlaintext",
            "ResourceUnavailable.CmkArchived",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
        ),
        notes=("Note the capital T in `PlainText` (unlike Encrypt's `Plaintext`).",),
    ),
    "PostQuantumCryptoSign": ActionSpec(
        name="PostQuantumCryptoSign",
        group="PQC",
        in_doc="yes",
        qps=20,
        summary="Sign a message with a PQC signing CMK.",
        params=(
            Param(
                "Message",
                STRING,
                required=True,
                doc="Base64 of the message; decoded length at most 4096 bytes.",
            ),
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="PQC CMK ID.",
            ),
        ),
        response=("Signature",),
        errors=(
            "AuthFailure",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "MissingParameter",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
        ),
        notes=("No MessageType/Algorithm parameters: raw message only.",),
    ),
    "PostQuantumCryptoVerify": ActionSpec(
        name="PostQuantumCryptoVerify",
        group="PQC",
        in_doc="yes",
        qps=20,
        summary="Verify a PQC signature.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="PQC CMK ID.",
            ),
            Param(
                "SignatureValue",
                STRING,
                required=True,
                doc="Base64 signature from PostQuantumCryptoSign.",
            ),
            Param(
                "Message",
                STRING,
                required=True,
                doc="Base64 of the message; decoded length at most 4096 bytes.",
            ),
        ),
        response=("SignatureValid",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
        ),
        notes=(),
    ),
    "DeleteImportedKeyMaterial": ActionSpec(
        name="DeleteImportedKeyMaterial",
        group="import",
        in_doc="yes",
        qps=100,
        summary=(
            "Delete imported material of an EXTERNAL CMK; the key goes back to `PendingImport` (it "
            "is not deleted)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="EXTERNAL CMK whose material is removed.",
            ),
        ),
        response=(),
        errors=(
            "FailedOperation.CmkUsedByCloudProduct",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "UnsupportedOperation.NotExternalCmk",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=("To delete the key itself use ScheduleKeyDeletion.",),
    ),
    "GetParametersForImport": ActionSpec(
        name="GetParametersForImport",
        group="import",
        in_doc="yes",
        qps=100,
        summary=(
            "Obtain a wrapping public key and import token for importing material into an EXTERNAL "
            "CMK (both valid 24 h)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="EXTERNAL CMK (created with CreateKey Type=2).",
            ),
            Param(
                "WrappingAlgorithm",
                STRING,
                required=True,
                doc=(
                    "How the material will be wrapped: `RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1` or "
                    "`RSAES_OAEP_SHA_256`."
                ),
            ),
            Param(
                "WrappingKeySpec",
                STRING,
                required=True,
                doc="Wrapping key type; only `RSA_2048`.",
            ),
        ),
        response=(
            "KeyId",
            "ImportToken",
            "PublicKey",
            "ParametersValidTo",
        ),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnsupportedOperation.NotExternalCmk",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(),
    ),
    "ImportKeyMaterial": ActionSpec(
        name="ImportKeyMaterial",
        group="import",
        in_doc="yes",
        qps=100,
        summary="Import (wrapped) key material into an EXTERNAL CMK.",
        params=(
            Param(
                "EncryptedKeyMaterial",
                STRING,
                required=True,
                doc=(
                    "Base64 of the key material wrapped with the PublicKey from "
                    "GetParametersForImport. Material must be 128 bits in SM-crypto (national "
                    "standard) regions and 256 bits in FIPS regions."
                ),
            ),
            Param(
                "ImportToken",
                STRING,
                required=True,
                doc="Token from GetParametersForImport.",
            ),
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="Same CMK as passed to GetParametersForImport.",
            ),
            Param(
                "ValidTo",
                INTEGER,
                required=False,
                doc=(
                    "Material expiry, Unix seconds. 0/absent = never expires; otherwise must be in "
                    "the future; maximum 2147443200."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameter.DecryptMaterialError",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.MaterialNotMatch",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.TokenExpired",
            "UnsupportedOperation.NotExternalCmk",
            "UnsupportedOperation.ServiceTemporaryUnavailable",
        ),
        notes=(
            "Only keys in `Enabled` or `PendingImport` state accept material.",
            (
                "Once imported, material can only be re-imported if identical "
                "(`InvalidParameterValue.MaterialNotMatch` otherwise); re-import may set a new "
                "expiry."
            ),
            (
                "After expiry or DeleteImportedKeyMaterial the key is unusable until the same "
                "material is imported again."
            ),
            (
                "The same material may be imported into several CMKs, but they are still "
                "independent (cannot decrypt each other's ciphertexts)."
            ),
            'Doc example sends `ValidTo` as the JSON string "0" (artefact).',
        ),
    ),
    "GenerateRandom": ActionSpec(
        name="GenerateRandom",
        group="service",
        in_doc="yes",
        qps=150,
        summary="Return cryptographically random bytes.",
        params=(
            Param(
                "NumberOfBytes",
                INTEGER,
                required=True,
                doc="Number of random bytes, 1-1024.",
            ),
        ),
        response=("Plaintext",),
        errors=(
            "InternalError",
            "InvalidParameter",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "GetRegions": ActionSpec(
        name="GetRegions",
        group="service",
        in_doc="yes",
        qps=100,
        summary="List the regions where KMS is offered.",
        params=(),
        response=("Regions",),
        errors=("InternalError",),
        notes=(),
    ),
    "GetServiceStatus": ActionSpec(
        name="GetServiceStatus",
        group="service",
        in_doc="yes",
        qps=100,
        summary=(
            "Report whether KMS is activated for the account, plus edition, quota and cluster "
            "information."
        ),
        params=(),
        response=(
            "ServiceEnabled",
            "InvalidType",
            "UserLevel",
            "ProExpireTime",
            "ProRenewFlag",
            "ProResourceId",
            "ExclusiveVSMEnabled",
            "ExclusiveHSMEnabled",
            "SubscriptionInfo",
            "CmkUserCount",
            "CmkLimit",
            "ExclusiveHSMList",
            "IsAllowedDataKeyHosted",
            "DataKeyLimit",
            "FreeDataKeyLimit",
            "DataKeyUsedCount",
            "SyncTaskList",
            "IsAllowedSync",
            "QpsLimit",
            "QpsTotalLimit",
            "RegionsQps",
            "ResourceZone",
            "ResourceRegion",
        ),
        errors=(
            "InternalError",
            "UnauthorizedOperation",
            "UnsupportedOperation",
        ),
        notes=(
            (
                "Doc lists fields up to `ExclusiveHSMList`; the data-key, sync and QPS fields "
                "exist only in the SDK."
            ),
            (
                "Doc says ProResourceId is null when the flagship edition is enabled; the SDK "
                "comment says it is empty when it is NOT enabled (doc mistranslation)."
            ),
        ),
    ),
    "ListAlgorithms": ActionSpec(
        name="ListAlgorithms",
        group="service",
        in_doc="yes",
        qps=100,
        summary="List the key usages/algorithms supported in the current region.",
        params=(),
        response=(
            "SymmetricAlgorithms",
            "AsymmetricAlgorithms",
            "AsymmetricSignVerifyAlgorithms",
        ),
        errors=(
            "InternalError",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "Doc example omits `AsymmetricSignVerifyAlgorithms`; CLI metadata examples show it "
                "plus PQC entries (section 6)."
            ),
        ),
    ),
    "CreateWhiteBoxKey": ActionSpec(
        name="CreateWhiteBoxKey",
        group="white-box",
        in_doc="listed only",
        qps=100,
        summary=(
            "Create a white-box key (returns encrypt/decrypt key material for white-box clients)."
        ),
        params=(
            Param(
                "Alias",
                STRING,
                required=True,
                doc=(
                    "Alias, unique; 1-60 chars of letters, digits, `-`, `_`; first char letter or "
                    "digit."
                ),
            ),
            Param(
                "Algorithm",
                STRING,
                required=True,
                doc="`AES_256` or `SM4`.",
            ),
            Param(
                "Description",
                STRING,
                required=False,
                doc="Description, at most 1024 bytes.",
            ),
            Param(
                "Tags",
                "Array of Tag",
                required=False,
                doc="Tags (array of Tag).",
            ),
        ),
        response=(
            "EncryptKey",
            "DecryptKey",
            "KeyId",
            "TagCode",
            "TagMsg",
        ),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.AliasAlreadyExists",
            "InvalidParameterValue.InvalidAlias",
            "InvalidParameterValue.TagKeysDuplicated",
            "InvalidParameterValue.TagsNotExisted",
            "LimitExceeded.KeyLimitExceeded",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "At most 50 white-box keys per account (`LimitExceeded.KeyLimitExceeded`); service "
                "must be purchased (`ResourceUnavailable.NotPurchased`)."
            ),
        ),
    ),
    "DeleteWhiteBoxKey": ActionSpec(
        name="DeleteWhiteBoxKey",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Delete a white-box key; it must be disabled first.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=(),
        errors=(
            "FailedOperation",
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DescribeWhiteBoxDecryptKey": ActionSpec(
        name="DescribeWhiteBoxDecryptKey",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Return the white-box decryption key of a white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=("DecryptKey",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DescribeWhiteBoxDeviceFingerprints": ActionSpec(
        name="DescribeWhiteBoxDeviceFingerprints",
        group="white-box",
        in_doc="listed only",
        qps=100,
        summary="List the device fingerprints bound to a white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=("DeviceFingerprints",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DescribeWhiteBoxKey": ActionSpec(
        name="DescribeWhiteBoxKey",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Return the details of one white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=("KeyInfo",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DescribeWhiteBoxKeyDetails": ActionSpec(
        name="DescribeWhiteBoxKeyDetails",
        group="white-box",
        in_doc="listed only",
        qps=100,
        summary="List white-box keys with filters and paging.",
        params=(
            Param(
                "KeyStatus",
                INTEGER_SIGNED,
                required=False,
                doc=(
                    "State filter: 0 = disabled, 1 = enabled (when absent, presumably no state "
                    "filter; not stated)."
                ),
            ),
            Param(
                "Offset",
                INTEGER,
                required=False,
                doc="Pagination start index (SQL-OFFSET semantics). Default 0.",
            ),
            Param(
                "Limit",
                INTEGER,
                required=False,
                doc="Page size; default 0 = no paging.",
            ),
            Param(
                "TagFilters",
                "Array of TagFilter",
                required=False,
                doc="Tag filters (array of TagFilter).",
            ),
        ),
        response=(
            "KeyInfos",
            "TotalCount",
        ),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=("Unlike other list calls, `Limit` defaults to 0 meaning no paging (return all).",),
    ),
    "DescribeWhiteBoxServiceStatus": ActionSpec(
        name="DescribeWhiteBoxServiceStatus",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Tell whether the white-box key service is usable for the account.",
        params=(),
        response=("ServiceEnabled",),
        errors=(
            "InternalError",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DisableWhiteBoxKey": ActionSpec(
        name="DisableWhiteBoxKey",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Disable one white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "DisableWhiteBoxKeys": ActionSpec(
        name="DisableWhiteBoxKeys",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Disable several white-box keys.",
        params=(
            Param(
                "KeyIds",
                STRING_LIST,
                required=True,
                doc="White-box key IDs; all must be well-formed, unique and existing; at most 50.",
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DuplicatedKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "EnableWhiteBoxKey": ActionSpec(
        name="EnableWhiteBoxKey",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Enable one white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "EnableWhiteBoxKeys": ActionSpec(
        name="EnableWhiteBoxKeys",
        group="white-box",
        in_doc="listed only",
        qps=200,
        summary="Enable several white-box keys.",
        params=(
            Param(
                "KeyIds",
                STRING_LIST,
                required=True,
                doc="White-box key IDs; all must be well-formed, unique and existing; at most 50.",
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.DuplicatedKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "EncryptByWhiteBox": ActionSpec(
        name="EncryptByWhiteBox",
        group="white-box",
        in_doc="listed only",
        qps=100,
        summary=(
            "Encrypt data server-side with a white-box key; the IV used must be kept for "
            "decryption (decryption presumably happens client-side with the white-box decrypt key; "
            "there is no server-side white-box decrypt action)."
        ),
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
            Param(
                "PlainText",
                STRING,
                required=True,
                doc="Base64 data; decoded size at most 4 KB.",
            ),
            Param(
                "InitializationVector",
                STRING,
                required=False,
                doc=(
                    "Base64 of a 16-byte IV. If absent the service generates a random one; the "
                    "caller must keep it for decryption."
                ),
            ),
        ),
        response=(
            "InitializationVector",
            "CipherText",
        ),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceNotFound",
            "ResourceUnavailable.KeyDisabled",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=(
            (
                "Field casing: `PlainText`, `CipherText`, `InitializationVector`. Disabled key -> "
                "`ResourceUnavailable.KeyDisabled`."
            ),
        ),
    ),
    "OverwriteWhiteBoxDeviceFingerprints": ActionSpec(
        name="OverwriteWhiteBoxDeviceFingerprints",
        group="white-box",
        in_doc="listed only",
        qps=100,
        summary="Replace the whole device-fingerprint list of a white-box key.",
        params=(
            Param(
                "KeyId",
                STRING,
                required=True,
                doc="White-box key ID (UUID-style).",
            ),
            Param(
                "DeviceFingerprints",
                "Array of DeviceFingerprint",
                required=False,
                doc=(
                    "New list, at most 200 entries. Empty/absent list removes all fingerprints of "
                    "the key."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidKeyId",
            "LimitExceeded.FingerprintsLimitExceeded",
            "ResourceNotFound",
            "ResourceUnavailable.NotPurchased",
            "UnauthorizedOperation",
        ),
        notes=("Too many fingerprints -> `LimitExceeded.FingerprintsLimitExceeded`.",),
    ),
    "CancelDataKeyDeletion": ActionSpec(
        name="CancelDataKeyDeletion",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Cancel the scheduled deletion of a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("DataKeyId",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "LimitExceeded.DataKeyLimitExceeded",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyNotPendingDelete",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=("Not pending -> `ResourceUnavailable.DataKeyNotPendingDelete`.",),
    ),
    "DescribeDataKey": ActionSpec(
        name="DescribeDataKey",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Return the attributes of one hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("DataKeyMetadata",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DescribeDataKeys": ActionSpec(
        name="DescribeDataKeys",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Return the attributes of several hosted data keys.",
        params=(
            Param(
                "DataKeyIds",
                STRING_LIST,
                required=True,
                doc="IDs; at most 100; no duplicates.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("DataKeyMetadatas",),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.DuplicatedDataKeyId",
            "InvalidParameterValue.InvalidDataKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DisableDataKey": ActionSpec(
        name="DisableDataKey",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Disable a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyStateNotSupport",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "DisableDataKeys": ActionSpec(
        name="DisableDataKeys",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Disable up to 100 hosted data keys.",
        params=(
            Param(
                "DataKeyIds",
                STRING_LIST,
                required=True,
                doc="IDs; at most 100; no duplicates.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.DuplicatedDataKeyId",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyStateNotSupport",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "EnableDataKey": ActionSpec(
        name="EnableDataKey",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Enable a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.DataKeyNotFound",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "EnableDataKeys": ActionSpec(
        name="EnableDataKeys",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Enable up to 100 hosted data keys.",
        params=(
            Param(
                "DataKeyIds",
                STRING_LIST,
                required=True,
                doc="IDs; at most 100; no duplicates.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.DuplicatedDataKeyId",
            "InvalidParameterValue.InvalidDataKeyId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyStateNotSupport",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "GetDataKeyCiphertextBlob": ActionSpec(
        name="GetDataKeyCiphertextBlob",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Download the CMK-encrypted form (CiphertextBlob) of a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=("CiphertextBlob",),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyStateNotSupport",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "GetDataKeyPlaintext": ActionSpec(
        name="GetDataKeyPlaintext",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary=(
            "Return the plaintext of a hosted data key (optionally wrapped under a caller public "
            "key)."
        ),
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "EncryptionPublicKey",
                STRING,
                required=False,
                doc=(
                    "PEM public key (RSA-2048 or SM2). If given, the returned plaintext is "
                    "encrypted with this key before being returned (so it is not exposed in the "
                    "response); if absent the plaintext is returned Base64-encoded only."
                ),
            ),
            Param(
                "EncryptionAlgorithm",
                STRING,
                required=False,
                doc=(
                    "Algorithm for wrapping the returned plaintext with `EncryptionPublicKey`: "
                    "`SM2` (default; raw C1C3C2 output), `SM2_C1C3C2_ASN1` (DER/ASN.1 C1C3C2), "
                    "`RSAES_PKCS1_V1_5`, `RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256`. Only meaningful "
                    "together with `EncryptionPublicKey`."
                ),
            ),
        ),
        response=("Plaintext",),
        errors=(
            "AuthFailure.UnauthorizedOperation",
            "FailedOperation.EncryptionError",
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidDataKeyId",
            "InvalidParameterValue.InvalidType",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.DataKeyDisabled",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyPendingDelete",
            "UnauthorizedOperation",
        ),
        notes=("No MemberAccount parameter on this action.",),
    ),
    "ImportDataKey": ActionSpec(
        name="ImportDataKey",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary=(
            "Import a data key into KMS hosting (either a ciphertext DEK from GenerateDataKey or a "
            "plaintext DEK)."
        ),
        params=(
            Param(
                "DataKeyName",
                STRING,
                required=True,
                doc="Name of the hosted data key.",
            ),
            Param(
                "ImportKeyMaterial",
                STRING,
                required=True,
                doc=(
                    "ImportType 2: Base64 of the plaintext data key. ImportType 1: a "
                    "CiphertextBlob previously produced by GenerateDataKey."
                ),
            ),
            Param(
                "ImportType",
                INTEGER,
                required=True,
                doc="1 = ciphertext import (blob from KMS); 2 = plaintext import.",
            ),
            Param(
                "Description",
                STRING,
                required=False,
                doc="Description, at most 100 bytes.",
            ),
            Param(
                "KeyId",
                STRING,
                required=False,
                doc=(
                    "Root CMK. Not needed for ciphertext import (if given it must match the CMK "
                    "inside the blob); mandatory for plaintext import (the DEK is encrypted under "
                    "it)."
                ),
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc="Exclusive-edition HSM cluster; if set, KMS checks KeyId belongs to it.",
            ),
            Param(
                "Tags",
                "Array of Tag",
                required=False,
                doc="Tags (array of Tag).",
            ),
        ),
        response=(
            "KeyId",
            "DataKeyId",
            "TagCode",
            "TagMsg",
        ),
        errors=(
            "AuthFailure.UnauthorizedOperation",
            "FailedOperation.TaggingError",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidDataKeyName",
            "InvalidParameterValue.InvalidImportKeyMaterial",
            "InvalidParameterValue.InvalidKeyId",
            "InvalidParameterValue.InvalidKeyUsage",
            "InvalidParameterValue.InvalidPlaintext",
            "InvalidParameterValue.InvalidType",
            "InvalidParameterValue.TagKeysDuplicated",
            "InvalidParameterValue.TagsNotExisted",
            "LimitExceeded.CmkLimitExceeded",
            "LimitExceeded.DataKeyLimitExceeded",
            "ResourceUnavailable.CmkArchived",
            "ResourceUnavailable.CmkDisabled",
            "ResourceUnavailable.CmkNotFound",
            "ResourceUnavailable.CmkStateNotSupport",
            "ResourceUnavailable.KeyPendingDelete",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "ListDataKeyDetail": ActionSpec(
        name="ListDataKeyDetail",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="List hosted data keys with full attributes, filters, sorting and paging.",
        params=(
            Param(
                "Offset",
                INTEGER,
                required=False,
                doc="Pagination start index (SQL-OFFSET semantics). Default 0.",
            ),
            Param(
                "Limit",
                INTEGER,
                required=False,
                doc="Page size (SQL-LIMIT semantics). Default 10, maximum 200.",
            ),
            Param(
                "Role",
                INTEGER,
                required=False,
                doc="0 (default) user-created; 1 created by cloud products.",
            ),
            Param(
                "OrderType",
                INTEGER,
                required=False,
                doc="Sort by creation time: 0 descending, 1 ascending.",
            ),
            Param(
                "KeyState",
                INTEGER,
                required=False,
                doc="State filter: 0 all; 1 Enabled; 2 Disabled; 3 PendingDelete.",
            ),
            Param(
                "SearchKeyAlias",
                STRING,
                required=False,
                doc="Fuzzy match on DataKeyId or DataKeyName.",
            ),
            Param(
                "Origin",
                STRING,
                required=False,
                doc="Origin filter (case-sensitive): `TENCENT_KMS`, `EXTERNAL`, `ALL`/empty.",
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "HSM cluster ID (`cls-hsm-...`); only meaningful for Exclusive/Managed KMS "
                    "editions."
                ),
            ),
            Param(
                "KeyId",
                STRING,
                required=False,
                doc="Only data keys under this root CMK.",
            ),
            Param(
                "DataKeyLen",
                INTEGER,
                required=False,
                doc="Only data keys of this length (bytes).",
            ),
            Param(
                "TagFilters",
                "Array of TagFilter",
                required=False,
                doc="Tag filters (array of TagFilter).",
            ),
            Param(
                "MemberAccounts",
                "Array of MemberAccount",
                required=False,
                doc="Member accounts to include (array of MemberAccount).",
            ),
        ),
        response=(
            "DataKeyMetadatas",
            "TotalCount",
        ),
        errors=(
            "AuthFailure.UnauthorizedOperation",
            "InternalError",
            "InvalidParameter",
            "InvalidParameterValue.InvalidHsmClusterId",
            "InvalidParameterValue.InvalidKeyId",
            "ResourceUnavailable.CmkNotFound",
            "UnauthorizedOperation",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "ListDataKeys": ActionSpec(
        name="ListDataKeys",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="List hosted data key IDs.",
        params=(
            Param(
                "Offset",
                INTEGER,
                required=False,
                doc="Pagination start index (SQL-OFFSET semantics). Default 0.",
            ),
            Param(
                "Limit",
                INTEGER,
                required=False,
                doc="Page size (SQL-LIMIT semantics). Default 10, maximum 200.",
            ),
            Param(
                "Role",
                INTEGER,
                required=False,
                doc="0 (default) created by the user; 1 created by other cloud products.",
            ),
            Param(
                "HsmClusterId",
                STRING,
                required=False,
                doc=(
                    "HSM cluster ID (`cls-hsm-...`); only meaningful for Exclusive/Managed KMS "
                    "editions."
                ),
            ),
        ),
        response=(
            "DataKeys",
            "TotalCount",
        ),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidHsmClusterId",
            "UnauthorizedOperation",
        ),
        notes=(),
    ),
    "ScheduleDataKeyDeletion": ActionSpec(
        name="ScheduleDataKeyDeletion",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Schedule deletion of a hosted data key after 7-30 days (state `PendingDelete`).",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "PendingWindowInDays",
                INTEGER,
                required=True,
                doc="Waiting period in days, [7, 30].",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(
            "DeletionDate",
            "DataKeyId",
        ),
        errors=(
            "InternalError",
            "InvalidParameter.InvalidPendingWindowInDays",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "ResourceUnavailable.DataKeyStateNotSupport",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "UpdateDataKeyDescription": ActionSpec(
        name="UpdateDataKeyDescription",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Change the description of a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "Description",
                STRING,
                required=True,
                doc="New description, at most 100 bytes.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue.InvalidDataKeyId",
            "InvalidParameterValue.InvalidDataKeyName",
            "ResourceUnavailable.DataKeyNotFound",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
    "UpdateDataKeyName": ActionSpec(
        name="UpdateDataKeyName",
        group="data-key hosting",
        in_doc="no",
        qps=None,
        summary="Rename a hosted data key.",
        params=(
            Param(
                "DataKeyId",
                STRING,
                required=True,
                doc="Hosted data key ID (UUID-style).",
            ),
            Param(
                "DataKeyName",
                STRING,
                required=True,
                doc="New name.",
            ),
            Param(
                "MemberAccount",
                "MemberAccount",
                required=False,
                doc=(
                    "Optional multi-account selector (trusted-service scenario): when the caller "
                    "is an organisation admin or delegated admin, act on this member account's "
                    "resource. See MemberAccount."
                ),
            ),
        ),
        response=(),
        errors=(
            "InternalError",
            "InvalidParameterValue",
            "InvalidParameterValue.InvalidDataKeyId",
            "ResourceUnavailable.DataKeyNotFound",
            "UnsupportedOperation.NotRoleOperation",
        ),
        notes=(),
    ),
}
