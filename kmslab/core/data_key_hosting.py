"""Hosting a data key: the quota and the hosting switch, the name rule, the lookup that
makes another account's data key look missing, DataKeyMetadata, and unwrapping the
stored blob. The data-key actions (:mod:`kmslab.core.data_keys`) and GenerateDataKey's
``IsHostedByKms=1`` (:mod:`kmslab.core.symmetric`) share them.
"""

from __future__ import annotations

import functools
import re

from kmslab.actions.errors import KMSError
from kmslab.core.context import KEY_ID_PATTERN, CallContext
from kmslab.core.datakey import COUNTED, DATA_KEY, DataKey, check_cmk
from kmslab.core.keys import parse_tags
from kmslab.core.model import ENABLED, TENCENT_KMS, Key
from kmslab.core.symmetric import prepared
from kmslab.crypto import blob as blobs
from kmslab.crypto.suites import AuthenticationFailed

MAX_DATA_KEY = 1024
"""A data key has 1 to 1024 bytes."""
DEFAULT_DATA_KEY_LIMIT = 100_000
"""``DataKeyLimit`` of every account unless ``KMS(data_key_limit=...)`` says otherwise."""
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
"""DataKeyName: the CMK alias rule (1-60 of letters, digits, ``_``, ``-``)."""


def data_key_limit(ctx: CallContext) -> int:
    """The account's hosted-data-key quota (``DataKeyLimit``)."""
    return ctx.settings.options.get("data_key_limit", DEFAULT_DATA_KEY_LIMIT)


def free_data_key_limit(ctx: CallContext) -> int:
    """The free part of the quota (``FreeDataKeyLimit``); kmslab charges nothing, so by
    default all of ``DataKeyLimit`` is free."""
    return ctx.settings.options.get("free_data_key_limit", data_key_limit(ctx))


def hosting_allowed(ctx: CallContext) -> bool:
    """Whether data-key hosting is switched on for the calling account."""
    return ctx.uin not in ctx.settings.options.get("data_key_hosting_off", ())


def used_count(ctx: CallContext) -> int:
    """How many hosted data keys count against the quota (those not pending deletion)."""
    return ctx.repository(DATA_KEY).facet_size(ctx.scope, COUNTED)


def require_room(ctx: CallContext) -> None:
    """Refuse one more counted data key when the account is at its ``DataKeyLimit``."""
    limit = data_key_limit(ctx)
    if used_count(ctx) >= limit:
        raise KMSError(
            "LimitExceeded.DataKeyLimitExceeded",
            f"this account already hosts {limit} data keys in {ctx.region} (DataKeyLimit)",
            detail_zh=f"托管数据密钥数量已达上限 {limit}",
        )


def check_name(ctx: CallContext, name: str, bad: str, taken: str, own_id: str = "") -> None:
    """The DataKeyName rule and its uniqueness in the account and region; ``bad`` and
    ``taken`` are the codes the calling action documents for each."""
    if not NAME_PATTERN.fullmatch(name):
        raise KMSError(
            bad,
            f"DataKeyName {name!r} must be 1-60 letters, digits, '_' or '-', starting with a "
            "letter or digit",
            detail_zh="DataKeyName 须为 1-60 个字母、数字、_ 或 -，且以字母或数字开头",
        )
    owner = ctx.name_owner(name, DATA_KEY)
    if owner is not None and owner != own_id:
        raise KMSError(
            taken,
            f"DataKeyName {name!r} is already used by another data key",
            detail_zh=f"数据密钥名称 {name!r} 已被使用",
        )


def host(
    ctx: CallContext,
    params: dict,
    *,
    key: Key,
    blob: str,
    number_of_bytes: int,
    origin: str,
    codes: tuple[str, str],
) -> DataKey:
    """Create the hosted data key ``params`` describe (name, description, tags) for the
    blob ``blob`` under ``key``, after the hosting, name and quota checks."""
    if not hosting_allowed(ctx):
        raise KMSError(
            "UnauthorizedOperation",
            "data-key hosting is not enabled for this account",
            detail_zh="当前账号未开通数据密钥托管",
        )
    name = params.get("DataKeyName", "")
    if not name:
        raise KMSError(
            "MissingParameter",
            "DataKeyName is required for a hosted data key",
            detail_zh="托管数据密钥必须提供 DataKeyName",
        )
    check_name(ctx, name, *codes)
    tags = parse_tags(params.get("Tags", []))
    require_room(ctx)
    data_key = DataKey(
        uin=ctx.uin,
        region=ctx.region,
        data_key_id=ctx.random.uuid1(ctx.now),
        name=name,
        description=params.get("Description", ""),
        key_id=key.key_id,
        create_time=ctx.seconds,
        state=ENABLED,
        origin=origin,
        number_of_bytes=number_of_bytes,
        blob=blob,
        tags=tags,
    )
    ctx.add(data_key, DATA_KEY)
    return data_key


def tag_result(params: dict) -> dict:
    """TagCode and TagMsg of a call that created a tagged resource."""
    return {"TagCode": 0, "TagMsg": "ok" if params.get("Tags") else "no tags to save"}


def data_key(ctx: CallContext, data_key_id: str) -> DataKey:
    """The caller's data key; InvalidDataKeyId for a malformed id, else DataKeyNotFound."""
    found = ctx.find(data_key_id, DATA_KEY)
    if found is not None:
        return found
    if not KEY_ID_PATTERN.fullmatch(data_key_id):
        raise KMSError(
            "InvalidParameterValue.InvalidDataKeyId",
            f"{data_key_id!r} is not a data key id",
            detail_zh=f"{data_key_id!r} 不是合法的数据密钥 ID",
        )
    raise KMSError(
        "ResourceUnavailable.DataKeyNotFound",
        f"no data key {data_key_id} in this account and region",
        detail_zh=f"当前账号和地域下不存在数据密钥 {data_key_id}",
    )


def cmk_of(ctx: CallContext, dk: DataKey, row: str) -> Key:
    """The data key's CMK, checked against the CMK row ``row``; CmkNotFound if gone."""
    key = ctx.find(dk.key_id)
    if key is None:
        raise KMSError(
            "ResourceUnavailable.CmkNotFound",
            f"the CMK {dk.key_id} of data key {dk.data_key_id} no longer exists",
            detail_zh=f"数据密钥 {dk.data_key_id} 的主密钥 {dk.key_id} 已不存在",
        )
    check_cmk(row, key.state, key.key_id)
    return key


def metadata(ctx: CallContext, dk: DataKey) -> dict:
    """The ``DataKeyMetadata`` of a data key, every field the official SDK's model has
    (the catalogue's 18 and the account and sync fields newer SDKs add, as KeyMetadata)."""
    cmk = ctx.find(dk.key_id)
    account = ctx.settings.accounts[dk.uin]
    return {
        "DataKeyId": dk.data_key_id,
        "KeyId": dk.key_id,
        "KeyName": cmk.alias if cmk is not None else "",
        "DataKeyName": dk.name,
        "NumberOfBytes": dk.number_of_bytes,
        "CreateTime": dk.create_time,
        "Description": dk.description,
        "KeyState": dk.state,
        "CreatorUin": dk.uin,
        "Owner": dk.owner,
        "DeletionDate": dk.deletion_date,
        "Origin": dk.origin,
        "HsmClusterId": "",
        "ResourceId": dk.resource_id,
        "IsSyncReplica": 0,
        "SourceRegion": "",
        "SyncStatus": 0,
        "SyncMessages": "",
        "SyncStartTime": 0,
        "SyncEndTime": 0,
        "SourceHsmClusterId": "",
        "AccountAppId": account.app_id,
        "AccountUin": dk.uin,
        "AccountName": account.name,
        "CreatorUinString": str(dk.uin),
    }


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> blobs.Blob:
    """A stored blob, parsed once (it holds ciphertext only: nothing secret is cached)."""
    return blobs.decode(text)


def open_stored(ctx: CallContext, dk: DataKey, key: Key) -> bytes:
    """The plaintext of a data key, unwrapped from its stored blob under its CMK."""
    try:
        blob = _parsed(dk.blob)
    except blobs.MalformedBlob:
        blob = None
    if blob is not None and 1 <= blob.version <= len(key.versions):
        aad = blobs.associated_data(blob.header, str(ctx.uin), ctx.region, b"")
        try:
            return prepared(ctx, key, blob.version).open(blob.nonce, blob.sealed, aad)
        except AuthenticationFailed:
            pass
    # Unreachable through the API (imported material can only come back unchanged); a
    # store whose records were altered ends here rather than in a traceback.
    raise KMSError(
        "ResourceUnavailable.CmkStateNotSupport",
        f"the material of CMK {key.key_id} no longer decrypts data key {dk.data_key_id}",
        detail_zh=f"主密钥 {key.key_id} 当前的密钥材料无法解密该数据密钥",
    )


def generate_hosted(ctx: CallContext, params: dict, key: Key, data: bytes, blob: str) -> dict:
    """The hosting half of GenerateDataKey(IsHostedByKms=1): keep ``blob`` as a new
    hosted data key and return the response fields hosting adds."""
    dk = host(
        ctx,
        params,
        key=key,
        blob=blob,
        number_of_bytes=len(data),
        origin=TENCENT_KMS,
        codes=(
            "InvalidParameterValue.InvalidDataKeyName",
            "InvalidParameterValue.DataKeyNameAlreadyExists",
        ),
    )
    return {"DataKeyId": dk.data_key_id, **tag_result(params)}
