"""The 13 white-box key actions: create, describe, list, enable, disable, delete, bind
devices and EncryptByWhiteBox, over the service's white-box library.

Every action first checks that the caller's account has the white-box service
(``ResourceUnavailable.NotPurchased`` otherwise) and, in strict-region mode, that the
region is one of the four the documentation lists. Batches check every key before
changing any. The real key never leaves the service: actions return only the blobs of
the library (``kmslab.whitebox``) and ciphertexts made with ``cryptography``.
"""

from __future__ import annotations

import base64

from kmslab.actions.errors import KMSError
from kmslab.core.binary import decode_binary
from kmslab.core.context import KEY_ID_PATTERN, CallContext
from kmslab.core.groups import ActionGroup
from kmslab.core.keys import parse_tags, tag_match
from kmslab.core.model import DISABLED, ENABLED
from kmslab.core.whitebox_key import LIBRARY_SEED, WHITE_BOX_KEY, WhiteBoxKey, status_facet
from kmslab.core.whitebox_library import key_blobs, real_key, seal_key, seal_mask, service_library
from kmslab.whitebox import Library, encrypt_cbc

WHITE_BOX_REGIONS = ("ap-beijing", "ap-guangzhou", "ap-hongkong", "ap-shanghai")
"""The regions where Tencent documents the white-box APIs (enforced in strict mode)."""
DEFAULT_KEY_LIMIT = 50
"""White-box keys per account (and region), as documented."""
KEY_BYTES = {"AES_256": 32, "SM4": 16}
"""Real key length per algorithm."""
MAX_PLAINTEXT = 4096
"""EncryptByWhiteBox's documented plaintext limit, in decoded bytes."""
IV_BYTES = 16
"""The IV length of AES and SM4 CBC."""
PURCHASE_OFF = "whitebox_not_purchased"
"""``Settings.options`` entry: the set of Uins whose white-box service is switched off."""
REGIONS_STRICT = "whitebox_regions_strict"
"""``Settings.options`` entry: True to refuse the actions outside ``WHITE_BOX_REGIONS``."""
KEY_LIMIT = "whitebox_key_limit"
"""``Settings.options`` entry: white-box keys per account and region."""
_STATUS_FILTER = {0: DISABLED, 1: ENABLED}


def _gate(ctx: CallContext) -> None:
    """The purchase and region checks every white-box action makes first."""
    options = ctx.settings.options
    if ctx.uin in options.get(PURCHASE_OFF, ()):
        raise KMSError(
            "ResourceUnavailable.NotPurchased",
            "the white-box key service is not purchased for this account",
            detail_zh="当前账号未购买白盒密钥服务",
        )
    if options.get(REGIONS_STRICT) and ctx.region not in WHITE_BOX_REGIONS:
        raise KMSError(
            "UnsupportedRegion",
            f"white-box keys are offered only in {', '.join(WHITE_BOX_REGIONS)}",
            detail_zh=f"白盒密钥仅在以下地域提供：{'、'.join(WHITE_BOX_REGIONS)}",
        )


def _key(ctx: CallContext, key_id: str) -> WhiteBoxKey:
    """The caller's white-box key; InvalidKeyId if malformed, else ResourceNotFound."""
    key = ctx.find(key_id, WHITE_BOX_KEY)
    if key is not None:
        return key
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise KMSError(
            "InvalidParameterValue.InvalidKeyId",
            f"{key_id!r} is not a white-box key id",
            detail_zh=f"{key_id!r} 不是合法的白盒密钥 ID",
        )
    raise KMSError(
        "ResourceNotFound",
        f"no white-box key {key_id} in this account and region",
        detail_zh=f"当前账号和地域下不存在白盒密钥 {key_id}",
    )


def _batch(ctx: CallContext, key_ids: list[str]) -> list[WhiteBoxKey]:
    if not key_ids:
        raise KMSError(
            "InvalidParameter", "KeyIds must name at least one key", detail_zh="KeyIds 不能为空"
        )
    return [_key(ctx, key_id) for key_id in key_ids]


def _library(ctx: CallContext) -> Library:
    library = service_library(ctx.uow, ctx.root, ctx.random, ctx.secrets, ctx.now, create=False)
    if library is None:  # a key exists only with its library's seed
        raise RuntimeError("a white-box key exists but the library seed does not")
    return library


def key_info(ctx: CallContext, key: WhiteBoxKey) -> dict:
    """The documented ``WhiteboxKeyInfo`` of a key, every field present."""
    blobs = key_blobs(_library(ctx), ctx.root, ctx.secrets, key)
    return {
        "KeyId": key.key_id,
        "Alias": key.alias,
        "CreatorUin": key.uin,
        "Description": key.description,
        "CreateTime": key.create_time,
        "Status": key.status,
        "OwnerUin": key.uin,
        "Algorithm": key.algorithm,
        "EncryptKey": blobs.encrypt_key,
        "DecryptKey": blobs.decrypt_key,
        "ResourceId": key.resource_id,
        "DeviceFingerprintBind": key.bound,
    }


def create_white_box_key(ctx: CallContext, params: dict) -> dict:
    """A new Enabled key with fresh real key material; the first one makes the library."""
    _gate(ctx)
    alias = params["Alias"]
    if ctx.name_owner(alias, WHITE_BOX_KEY) is not None:
        raise KMSError(
            "InvalidParameterValue.AliasAlreadyExists",
            f"alias {alias!r} is already used by another white-box key",
            detail_zh=f"别名 {alias!r} 已被其他白盒密钥使用",
        )
    tags = parse_tags(params.get("Tags", []))
    limit = ctx.settings.options.get(KEY_LIMIT, DEFAULT_KEY_LIMIT)
    if ctx.count(WHITE_BOX_KEY) >= limit:
        raise KMSError(
            "LimitExceeded.KeyLimitExceeded",
            f"this account already has {limit} white-box keys in {ctx.region}",
            detail_zh=f"白盒密钥数量已达上限 {limit}",
        )
    algorithm = params["Algorithm"]
    library = service_library(ctx.uow, ctx.root, ctx.random, ctx.secrets, ctx.now, create=True)
    assert library is not None
    key = WhiteBoxKey(
        uin=ctx.uin,
        region=ctx.region,
        key_id=ctx.random.uuid1(ctx.now),
        alias=alias,
        description=params.get("Description", ""),
        create_time=ctx.seconds,
        status=ENABLED,
        algorithm=algorithm,
        wrapped_key=b"",
        tags=tags,
    )
    material = ctx.random.bytes(KEY_BYTES[algorithm])
    key.wrapped_key = seal_key(ctx.root, key, material)
    blobs = library.encode_key(algorithm, material, key.key_id)
    ctx.add(key, WHITE_BOX_KEY)
    return {
        "EncryptKey": blobs.encrypt_key,
        "DecryptKey": blobs.decrypt_key,
        "KeyId": key.key_id,
        "TagCode": 0,
        "TagMsg": "ok" if tags else "no tags to save",
    }


def describe_white_box_key(ctx: CallContext, params: dict) -> dict:
    """The key's ``WhiteboxKeyInfo``, with its current blobs."""
    _gate(ctx)
    return {"KeyInfo": key_info(ctx, _key(ctx, params["KeyId"]))}


def describe_white_box_decrypt_key(ctx: CallContext, params: dict) -> dict:
    """The current DecryptKey (bound to the devices, if any are)."""
    _gate(ctx)
    key = _key(ctx, params["KeyId"])
    return {"DecryptKey": key_blobs(_library(ctx), ctx.root, ctx.secrets, key).decrypt_key}


def describe_white_box_key_details(ctx: CallContext, params: dict) -> dict:
    """Newest first; ``Limit`` 0 (the default) returns every key from ``Offset`` on."""
    _gate(ctx)
    facet = status_facet(_STATUS_FILTER.get(params["KeyStatus"]) if "KeyStatus" in params else None)
    repo = ctx.repository(WHITE_BOX_KEY)
    offset, limit = params.get("Offset", 0), params.get("Limit", 0)
    tag_filters = params.get("TagFilters", [])
    if tag_filters:
        matches = [k for k in repo.scan(ctx.scope, facet) if tag_match(k.tags, tag_filters)]
        total = len(matches)
        page = matches[offset : offset + limit] if limit else matches[offset:]
    else:
        total = repo.facet_size(ctx.scope, facet)
        page = repo.page(ctx.scope, facet, offset, limit or max(0, total - offset))
    return {"KeyInfos": [key_info(ctx, k) for k in page], "TotalCount": total}


def describe_white_box_service_status(ctx: CallContext, params: dict) -> dict:
    """Answers only when the service is usable (else NotPurchased), so always true."""
    _gate(ctx)
    return {"ServiceEnabled": True}


def describe_white_box_device_fingerprints(ctx: CallContext, params: dict) -> dict:
    """The bound devices, in the order they were given."""
    _gate(ctx)
    key = _key(ctx, params["KeyId"])
    return {
        "DeviceFingerprints": [
            {"Identity": fp["Identity"], "Description": fp.get("Description", "")}
            for fp in key.fingerprints
        ]
    }


def _set_status(ctx: CallContext, keys: list[WhiteBoxKey], status: str) -> None:
    for key in keys:
        if key.status != status:
            key.status = status
            ctx.touch(key, WHITE_BOX_KEY)


def enable_white_box_key(ctx: CallContext, params: dict) -> dict:
    """Enable one key (a no-op if it is Enabled)."""
    _gate(ctx)
    _set_status(ctx, [_key(ctx, params["KeyId"])], ENABLED)
    return {}


def disable_white_box_key(ctx: CallContext, params: dict) -> dict:
    """Disable one key (a no-op if it is Disabled)."""
    _gate(ctx)
    _set_status(ctx, [_key(ctx, params["KeyId"])], DISABLED)
    return {}


def enable_white_box_keys(ctx: CallContext, params: dict) -> dict:
    """Enable 1-50 keys, all or none."""
    _gate(ctx)
    _set_status(ctx, _batch(ctx, params["KeyIds"]), ENABLED)
    return {}


def disable_white_box_keys(ctx: CallContext, params: dict) -> dict:
    """Disable 1-50 keys, all or none."""
    _gate(ctx)
    _set_status(ctx, _batch(ctx, params["KeyIds"]), DISABLED)
    return {}


def delete_white_box_key(ctx: CallContext, params: dict) -> dict:
    """Immediate (white-box keys have no pending window), and only once Disabled."""
    _gate(ctx)
    key = _key(ctx, params["KeyId"])
    if key.status != DISABLED:
        raise KMSError(
            "FailedOperation",
            f"white-box key {key.key_id} is {key.status}: disable it before deleting it",
            detail_zh=f"白盒密钥 {key.key_id} 未禁用，请先禁用再删除",
        )
    ctx.remove(key, WHITE_BOX_KEY)
    return {}


def overwrite_white_box_device_fingerprints(ctx: CallContext, params: dict) -> dict:
    """Replace the bound devices and re-issue the DecryptKey (a fresh binding mask); a
    DecryptKey read before keeps working, as Tencent documents."""
    _gate(ctx)
    key = _key(ctx, params["KeyId"])
    given = params.get("DeviceFingerprints", [])
    identities = [fp["Identity"] for fp in given]
    if len(set(identities)) != len(identities):
        raise KMSError(
            "InvalidParameterValue",
            "DeviceFingerprints names a device twice",
            detail_zh="DeviceFingerprints 中有重复的设备指纹",
        )
    key.fingerprints = [
        {"Identity": fp["Identity"], "Description": fp.get("Description", "")} for fp in given
    ]
    key.generation += 1
    key.wrapped_mask = seal_mask(ctx.root, key, ctx.random.bytes(32)) if given else b""
    ctx.touch(key, WHITE_BOX_KEY)
    return {}


def encrypt_by_white_box(ctx: CallContext, params: dict) -> dict:
    """AES-256-CBC or SM4-CBC with PKCS#7 under the real key, in ``cryptography``."""
    _gate(ctx)
    key = _key(ctx, params["KeyId"])
    if key.status != ENABLED:
        raise KMSError(
            "ResourceUnavailable.KeyDisabled",
            f"white-box key {key.key_id} is disabled",
            detail_zh=f"白盒密钥 {key.key_id} 已禁用",
        )
    plaintext = decode_binary(
        params["PlainText"], "PlainText", "InvalidParameterValue", MAX_PLAINTEXT
    )
    given_iv = params.get("InitializationVector")
    if given_iv is not None:
        iv = decode_binary(given_iv, "InitializationVector", "InvalidParameterValue")
        if len(iv) != IV_BYTES:
            raise KMSError(
                "InvalidParameterValue",
                f"InitializationVector must decode to 16 bytes, not {len(iv)}",
                detail_zh="InitializationVector 解码后必须为 16 字节",
            )
    else:
        iv = ctx.random.bytes(IV_BYTES)
    ciphertext = encrypt_cbc(key.algorithm, real_key(ctx.root, ctx.secrets, key), iv, plaintext)
    return {
        "InitializationVector": base64_text(iv),
        "CipherText": base64_text(ciphertext),
    }


def base64_text(data: bytes) -> str:
    """Bytes as the Base64 text the API returns."""
    return base64.b64encode(data).decode()


GROUP = ActionGroup(
    name="whitebox",
    actions={
        "CreateWhiteBoxKey": create_white_box_key,
        "DeleteWhiteBoxKey": delete_white_box_key,
        "DescribeWhiteBoxDecryptKey": describe_white_box_decrypt_key,
        "DescribeWhiteBoxDeviceFingerprints": describe_white_box_device_fingerprints,
        "DescribeWhiteBoxKey": describe_white_box_key,
        "DescribeWhiteBoxKeyDetails": describe_white_box_key_details,
        "DescribeWhiteBoxServiceStatus": describe_white_box_service_status,
        "DisableWhiteBoxKey": disable_white_box_key,
        "DisableWhiteBoxKeys": disable_white_box_keys,
        "EnableWhiteBoxKey": enable_white_box_key,
        "EnableWhiteBoxKeys": enable_white_box_keys,
        "EncryptByWhiteBox": encrypt_by_white_box,
        "OverwriteWhiteBoxDeviceFingerprints": overwrite_white_box_device_fingerprints,
    },
    read_only=frozenset(
        [
            "DescribeWhiteBoxDecryptKey",
            "DescribeWhiteBoxDeviceFingerprints",
            "DescribeWhiteBoxKey",
            "DescribeWhiteBoxKeyDetails",
            "DescribeWhiteBoxServiceStatus",
            "EncryptByWhiteBox",
        ]
    ),
    resources=(WHITE_BOX_KEY, LIBRARY_SEED),
)
"""White-box keys: the 13 actions over the service's white-box library."""
