"""Every documented parameter limit, with the error code its violation gets.

The generated catalog holds the API's shape; the limits are written here by hand because
the spec states them in prose (per-parameter constraints and section 6 of
``api-catalog.md``), and each needs a judgement about which error code applies.
:mod:`kmslab.actions.table` merges them in and refuses names that do not exist.

Not here, on purpose: sizes of Base64 payloads (plaintexts, messages, ciphertexts, IVs),
which only make sense after decoding, the ``kms-`` alias prefix, and key usages, which
depend on the region; the service checks those.
"""

from __future__ import annotations

from kmslab.actions.spec import Limits

# ----------------------------------------------------------------- shared definitions

ALIAS = Limits(
    min_length=1,
    max_length=60,
    pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$",
    error="InvalidParameterValue.InvalidAlias",
)
"""CMK and white-box aliases: 1-60 of letters, digits, ``-`` and ``_``, starting with a
letter or digit; the spec names ``InvalidAlias`` for a bad one."""

DESCRIPTION = Limits(max_bytes=1024)
"""Descriptions of CMKs, white-box keys and device fingerprints: 1024 UTF-8 bytes, so
Chinese text reaches the limit three times sooner than ASCII."""

DATA_KEY_DESCRIPTION = Limits(max_bytes=100, error="InvalidParameterValue.InvalidDataKeyName")
"""Hosted data keys allow a much shorter description than CMKs (100 bytes). The SDK's
error list of UpdateDataKeyDescription gives ``InvalidDataKeyName`` for it (sic), the one
data-key code every action with a Description documents."""

PENDING_WINDOW = Limits(minimum=7, maximum=30, error="InvalidParameter.InvalidPendingWindowInDays")
"""Deletion waiting period of CMKs and hosted data keys, with its own documented code."""

KEY_IDS = Limits(
    max_items=100,
    unique_items=True,
    duplicate_error="InvalidParameterValue.DuplicatedKeyId",
)
"""CMK batches: at most 100 IDs, and a repeated ID has its own documented code."""

WHITE_BOX_KEY_IDS = Limits(
    max_items=50,
    error="InvalidParameter",
    unique_items=True,
    duplicate_error="InvalidParameterValue.DuplicatedKeyId",
)
"""White-box batches are capped at 50 IDs, half the CMK batch size; a longer list gets
``InvalidParameter``, the code these actions document for a bad list."""

DATA_KEY_IDS = Limits(
    max_items=100,
    unique_items=True,
    duplicate_error="InvalidParameterValue.DuplicatedDataKeyId",
)
"""Hosted data key batches: at most 100 IDs; duplicates get the data-key flavour of code."""

CONTEXT_CHARS = Limits(max_length=1024)
"""EncryptionContext on the encrypting side: Encrypt documents 1024 characters."""

CONTEXT_BYTES = Limits(max_bytes=1024)
"""Decrypt documents its EncryptionContext limit in bytes (section 8 notes the mismatch)."""

NUMBER_OF_BYTES = Limits(minimum=1, maximum=1024)
"""Length of a generated data key or of random output, 1-1024 bytes."""

PAGE_LIMIT = Limits(maximum=200)
"""Page size of the list actions (default 10)."""

ROLE = Limits(choices=(0, 1))
"""Creator filter: 0 = created by the user, 1 = created by a cloud product."""

ORDER_TYPE = Limits(choices=(0, 1))
"""Sort by creation time: 0 = newest first, 1 = oldest first."""

ORIGIN_FILTER = Limits(choices=("TENCENT_KMS", "EXTERNAL", "ALL", ""))
"""Material-origin filter, case-sensitive; ``ALL`` and the empty string both mean any."""

WRAP_ALGORITHMS = Limits(
    choices=(
        "SM2",
        "SM2_C1C3C2_ASN1",
        "RSAES_PKCS1_V1_5",
        "RSAES_OAEP_SHA_1",
        "RSAES_OAEP_SHA_256",
    )
)
"""How a returned plaintext is wrapped under the caller's ``EncryptionPublicKey``."""

RSA_ALGORITHMS = Limits(choices=("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"))
"""RSA encryption paddings, for RSA decryption and for wrapping imported material."""

MESSAGE_TYPE = Limits(choices=("RAW", "DIGEST"))
"""Whether a signing input is the message itself or its 32-byte digest."""

# ----------------------------------------------------------------- per parameter

LIMITS: dict[tuple[str, str], Limits] = {
    # CMK life cycle
    ("CreateKey", "Alias"): ALIAS,
    ("CreateKey", "Description"): DESCRIPTION,
    ("CreateKey", "Type"): Limits(choices=(1, 2), error="InvalidParameterValue.InvalidType"),
    ("UpdateAlias", "Alias"): ALIAS,
    ("UpdateKeyDescription", "Description"): DESCRIPTION,
    ("ScheduleKeyDeletion", "PendingWindowInDays"): PENDING_WINDOW,
    ("EnableKeyRotation", "RotateDays"): Limits(minimum=7, maximum=365),
    ("DescribeKeys", "KeyIds"): KEY_IDS,
    ("EnableKeys", "KeyIds"): KEY_IDS,
    ("DisableKeys", "KeyIds"): KEY_IDS,
    # Listing
    ("ListKeys", "Limit"): PAGE_LIMIT,
    ("ListKeys", "Role"): ROLE,
    ("ListKeyDetail", "Limit"): PAGE_LIMIT,
    ("ListKeyDetail", "Role"): ROLE,
    ("ListKeyDetail", "OrderType"): ORDER_TYPE,
    ("ListKeyDetail", "KeyState"): Limits(choices=(0, 1, 2, 3, 4, 5)),
    ("ListKeyDetail", "Origin"): ORIGIN_FILTER,
    # Symmetric cryptography
    ("Encrypt", "EncryptionContext"): CONTEXT_CHARS,
    ("Decrypt", "EncryptionContext"): CONTEXT_BYTES,
    ("Decrypt", "EncryptionAlgorithm"): WRAP_ALGORITHMS,
    ("ReEncrypt", "SourceEncryptionContext"): CONTEXT_CHARS,
    ("ReEncrypt", "DestinationEncryptionContext"): CONTEXT_CHARS,
    ("GenerateDataKey", "KeySpec"): Limits(choices=("AES_128", "AES_256")),
    ("GenerateDataKey", "NumberOfBytes"): NUMBER_OF_BYTES,
    ("GenerateDataKey", "EncryptionContext"): CONTEXT_CHARS,
    ("GenerateDataKey", "EncryptionAlgorithm"): WRAP_ALGORITHMS,
    ("GenerateDataKey", "IsHostedByKms"): Limits(choices=(0, 1)),
    ("GenerateDataKey", "Description"): DATA_KEY_DESCRIPTION,
    ("GenerateRandom", "NumberOfBytes"): NUMBER_OF_BYTES,
    # Asymmetric and post-quantum cryptography
    ("AsymmetricRsaDecrypt", "Algorithm"): RSA_ALGORITHMS,
    ("SignByAsymmetricKey", "MessageType"): MESSAGE_TYPE,
    ("VerifyByAsymmetricKey", "MessageType"): MESSAGE_TYPE,
    ("PostQuantumCryptoDecrypt", "EncryptionAlgorithm"): WRAP_ALGORITHMS,
    # Key material import
    ("GetParametersForImport", "WrappingAlgorithm"): RSA_ALGORITHMS,
    ("GetParametersForImport", "WrappingKeySpec"): Limits(choices=("RSA_2048",)),
    ("ImportKeyMaterial", "ValidTo"): Limits(maximum=2147443200),
    # White-box keys
    ("CreateWhiteBoxKey", "Alias"): ALIAS,
    ("CreateWhiteBoxKey", "Algorithm"): Limits(choices=("AES_256", "SM4")),
    ("CreateWhiteBoxKey", "Description"): DESCRIPTION,
    ("DescribeWhiteBoxKeyDetails", "KeyStatus"): Limits(choices=(0, 1)),
    ("EnableWhiteBoxKeys", "KeyIds"): WHITE_BOX_KEY_IDS,
    ("DisableWhiteBoxKeys", "KeyIds"): WHITE_BOX_KEY_IDS,
    ("OverwriteWhiteBoxDeviceFingerprints", "DeviceFingerprints"): Limits(
        max_items=200, error="LimitExceeded.FingerprintsLimitExceeded"
    ),
    # Hosted data keys
    ("DescribeDataKeys", "DataKeyIds"): DATA_KEY_IDS,
    ("EnableDataKeys", "DataKeyIds"): DATA_KEY_IDS,
    ("DisableDataKeys", "DataKeyIds"): DATA_KEY_IDS,
    ("ScheduleDataKeyDeletion", "PendingWindowInDays"): PENDING_WINDOW,
    ("UpdateDataKeyDescription", "Description"): DATA_KEY_DESCRIPTION,
    ("ImportDataKey", "Description"): DATA_KEY_DESCRIPTION,
    ("ImportDataKey", "ImportType"): Limits(
        choices=(1, 2), error="InvalidParameterValue.InvalidType"
    ),
    ("GetDataKeyPlaintext", "EncryptionAlgorithm"): WRAP_ALGORITHMS,
    ("ListDataKeys", "Limit"): PAGE_LIMIT,
    ("ListDataKeys", "Role"): ROLE,
    ("ListDataKeyDetail", "Limit"): PAGE_LIMIT,
    ("ListDataKeyDetail", "Role"): ROLE,
    ("ListDataKeyDetail", "OrderType"): ORDER_TYPE,
    ("ListDataKeyDetail", "KeyState"): Limits(choices=(0, 1, 2, 3)),
    ("ListDataKeyDetail", "Origin"): ORIGIN_FILTER,
}
"""Limits keyed by (action, parameter). Values without a documented code get the common
``InvalidParameterValue``."""

STRUCT_LIMITS: dict[tuple[str, str], Limits] = {
    ("DeviceFingerprint", "Identity"): Limits(
        pattern=r"^[0-9a-f]{8}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{16}$"
    ),
    ("DeviceFingerprint", "Description"): DESCRIPTION,
}
"""Limits of request-structure fields keyed by (structure, field): they apply wherever
the structure appears."""

RESEARCHED_QPS: dict[str, int] = {
    "ScheduleDataKeyDeletion": 20,
    "CancelDataKeyDeletion": 20,
    "UpdateDataKeyName": 20,
    "UpdateDataKeyDescription": 20,
    "GetDataKeyPlaintext": 300,
    "ListDataKeys": 100,
    "ListDataKeyDetail": 100,
    "ImportDataKey": 100,
    "GetDataKeyCiphertextBlob": 100,
    "DescribeDataKey": 100,
    "DescribeDataKeys": 100,
    "EnableDataKey": 100,
    "EnableDataKeys": 100,
    "DisableDataKey": 100,
    "DisableDataKeys": 100,
}
"""Per-second limits of actions the catalogue gives none for, from Tencent's international
API pages (research/whitebox-and-data-keys.md section 2.1). EnableDataKey's page was not
seen: it is taken to be like its neighbours. A documented catalogue figure always wins."""
