"""Hosted data keys: the 15 actions of the data-key hosting group, and their clock job.

A hosted data key is kept as the CMK ciphertext blob of its plaintext, so reading it
back (GetDataKeyPlaintext) is a Decrypt of that blob under a CMK that can still decrypt.
Batches check every key before they change any. Another account's data key is
indistinguishable from a missing one. The choices the documentation leaves open are in
``docs/data-keys.md``.
"""

from __future__ import annotations

import functools
import re

from kmslab.actions.errors import KMSError
from kmslab.core.binary import decode_binary
from kmslab.core.context import KEY_ID_PATTERN, CallContext
from kmslab.core.datakey import (
    COUNTED,
    DATA_KEY,
    DataKey,
    check,
    check_cmk,
    detail_facet,
    listed_facet,
)
from kmslab.core.groups import ActionGroup, JobKind
from kmslab.core.keys import parse_tags, refuse_hsm_cluster, refuse_member_account
from kmslab.core.model import ENABLED, EXTERNAL, PENDING_DELETE, TENCENT_KMS, Key
from kmslab.core.scheduler import Event
from kmslab.core.symmetric import (
    ENCRYPT_DECRYPT,
    find_blob_key,
    open_blob,
    prepared,
    require_symmetric,
    seal,
)
from kmslab.crypto import blob as blobs
from kmslab.crypto.public_wrap import wrap_plaintext
from kmslab.crypto.suites import AuthenticationFailed

DAY = 86400
MAX_DATA_KEY = 1024
DEFAULT_DATA_KEY_LIMIT = 100_000
"""``DataKeyLimit`` of every account unless ``KMS(data_key_limit=...)`` says otherwise."""
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
"""DataKeyName: the CMK alias rule (1-60 of letters, digits, ``_``, ``-``)."""
_STATE_FILTER = {1: ENABLED, 2: "Disabled", 3: PENDING_DELETE}


# -- helpers shared with GenerateDataKey ----------------------------------------------------


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


def _require_room(ctx: CallContext) -> None:
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
    _require_room(ctx)
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


def _cmk_of(ctx: CallContext, dk: DataKey, row: str) -> Key:
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


# -- reading ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> blobs.Blob:
    """A stored blob, parsed once (it holds ciphertext only: nothing secret is cached)."""
    return blobs.decode(text)


def open_stored(ctx: CallContext, dk: DataKey, key: Key) -> bytes:
    """The plaintext of a data key, unwrapped from its stored blob under its CMK."""
    blob = _parsed(dk.blob)
    if 1 <= blob.version <= len(key.versions):
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


def get_data_key_plaintext(ctx: CallContext, params: dict) -> dict:
    dk = data_key(ctx, params["DataKeyId"])
    check("GetDataKeyPlaintext", dk)
    plaintext = open_stored(ctx, dk, _cmk_of(ctx, dk, "GetDataKeyPlaintext"))
    return {"Plaintext": wrap_plaintext(params, plaintext, ctx.random)}


def get_data_key_ciphertext_blob(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    dk = data_key(ctx, params["DataKeyId"])
    check("GetDataKeyCiphertextBlob", dk)
    return {"CiphertextBlob": dk.blob}


def describe_data_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    return {"DataKeyMetadata": metadata(ctx, data_key(ctx, params["DataKeyId"]))}


def describe_data_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    found = [data_key(ctx, i) for i in params["DataKeyIds"]]
    return {"DataKeyMetadatas": [metadata(ctx, dk) for dk in found]}


def list_data_keys(ctx: CallContext, params: dict) -> dict:
    refuse_hsm_cluster(params)
    repo = ctx.repository(DATA_KEY)
    facet = listed_facet(params.get("Role", 0))
    page = repo.page(ctx.scope, facet, params.get("Offset", 0), params.get("Limit", 10))
    return {
        "DataKeys": [{"DataKeyId": dk.data_key_id} for dk in page],
        "TotalCount": repo.facet_size(ctx.scope, facet),
    }


def _tag_match(dk: DataKey, tag_filters: list[dict]) -> bool:
    for f in tag_filters:
        if f["TagKey"] not in dk.tags:
            return False
        values = f.get("TagValue")
        if values and dk.tags[f["TagKey"]] not in values:
            return False
    return True


def list_data_key_detail(ctx: CallContext, params: dict) -> dict:
    """State, origin, CMK and length filters pick one indexed list (a page costs the
    page); the name search and tag filters scan that list."""
    refuse_hsm_cluster(params)
    refuse_member_account(params)
    key_id = params.get("KeyId") or None
    if key_id is not None:
        ctx.key(key_id)  # InvalidKeyId or CmkNotFound, as documented
    origin = params.get("Origin", "")
    facet = detail_facet(
        params.get("Role", 0),
        _STATE_FILTER.get(params.get("KeyState", 0)),
        None if origin in ("", "ALL") else origin,
        key_id,
        params.get("DataKeyLen") or None,
    )
    newest_first = params.get("OrderType", 0) != 1
    search = params.get("SearchKeyAlias", "")
    tag_filters = params.get("TagFilters", [])
    offset, limit = params.get("Offset", 0), params.get("Limit", 10)
    repo = ctx.repository(DATA_KEY)
    if search or tag_filters:
        matches = [
            dk
            for dk in repo.scan(ctx.scope, facet, newest_first)
            if (not search or search in dk.name or search in dk.data_key_id)
            and (not tag_filters or _tag_match(dk, tag_filters))
        ]
        total, page = len(matches), matches[offset : offset + limit]
    else:
        total = repo.facet_size(ctx.scope, facet)
        page = repo.page(ctx.scope, facet, offset, limit, newest_first)
    return {"TotalCount": total, "DataKeyMetadatas": [metadata(ctx, dk) for dk in page]}


# -- creating ----------------------------------------------------------------------------------


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


def _bad_material(why: str) -> KMSError:
    return KMSError(
        "InvalidParameterValue.InvalidImportKeyMaterial",
        f"ImportKeyMaterial {why}",
        detail_zh=f"ImportKeyMaterial 无效：{why}",
    )


def _import_blob(ctx: CallContext, params: dict) -> tuple[Key, str, int]:
    """ImportType 1: a KMS blob of this account, checked by decrypting it."""
    text = params["ImportKeyMaterial"]
    named = ctx.key(params["KeyId"]) if params.get("KeyId") else None
    try:
        blob, key = find_blob_key(ctx, text)
    except KMSError:  # not a blob, or a key this caller does not have
        raise _bad_material("is not a CiphertextBlob of a CMK of this account") from None
    if named is not None and named.key_id != key.key_id:
        raise KMSError(
            "InvalidParameterValue.InvalidKeyId",
            f"KeyId {named.key_id} is not the CMK of this CiphertextBlob ({key.key_id})",
            detail_zh="KeyId 与密文所属的主密钥不一致",
        )
    if key.usage != ENCRYPT_DECRYPT:
        raise _bad_material("was not made by a symmetric CMK")
    check_cmk("ImportDataKey.blob", key.state, key.key_id)
    try:
        _, _, plaintext = open_blob(ctx, text, b"", "Decrypt")
    except KMSError:  # altered, or bound to an EncryptionContext this action cannot take
        raise _bad_material(
            "does not decrypt (altered, or bound to an EncryptionContext)"
        ) from None
    if not 0 < len(plaintext) <= MAX_DATA_KEY or blob.key_id != key.key_id:
        raise _bad_material(f"holds {len(plaintext)} bytes; a data key has 1 to 1024")
    return key, text, len(plaintext)


def _import_plaintext(ctx: CallContext, params: dict) -> tuple[Key, str, int]:
    """ImportType 2: Base64 plaintext of 1 to 1024 bytes, encrypted under KeyId."""
    if not params.get("KeyId"):
        raise KMSError(
            "InvalidParameter",
            "KeyId is required to import a plaintext data key (ImportType 2)",
            detail_zh="明文导入（ImportType 2）必须提供 KeyId",
        )
    key = ctx.key(params["KeyId"])
    require_symmetric(key)
    check_cmk("ImportDataKey.plaintext", key.state, key.key_id)
    data = decode_binary(
        params["ImportKeyMaterial"],
        "ImportKeyMaterial",
        "InvalidParameterValue.InvalidPlaintext",
        MAX_DATA_KEY,
    )
    return key, seal(ctx, key, data, b""), len(data)


def import_data_key(ctx: CallContext, params: dict) -> dict:
    if params.get("HsmClusterId"):
        raise KMSError(
            "InvalidParameter",
            f"no HSM cluster {params['HsmClusterId']!r}: this service has no exclusive edition",
            detail_zh="当前服务没有独享版 HSM 集群",
        )
    blob_import = params["ImportType"] == 1
    key, blob, size = (_import_blob if blob_import else _import_plaintext)(ctx, params)
    dk = host(
        ctx,
        params,
        key=key,
        blob=blob,
        number_of_bytes=size,
        origin=TENCENT_KMS if blob_import else EXTERNAL,
        codes=("InvalidParameterValue.InvalidDataKeyName",) * 2,
    )
    return {"KeyId": key.key_id, "DataKeyId": dk.data_key_id, **tag_result(params)}


# -- changing ----------------------------------------------------------------------------------


def _set_states(ctx: CallContext, action: str, ids: list[str]) -> None:
    """Check every key (and, where the table asks, its CMK) before changing any."""
    moves = []
    for data_key_id in ids:
        dk = data_key(ctx, data_key_id)
        target = check(action, dk)
        if target == ENABLED:
            _cmk_of(ctx, dk, action)
        moves.append((dk, target))
    for dk, target in moves:
        if target is not None:
            dk.state = target
            ctx.touch(dk, DATA_KEY)


def enable_data_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "EnableDataKey", [params["DataKeyId"]])
    return {}


def enable_data_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "EnableDataKeys", params["DataKeyIds"])
    return {}


def disable_data_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "DisableDataKey", [params["DataKeyId"]])
    return {}


def disable_data_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "DisableDataKeys", params["DataKeyIds"])
    return {}


def schedule_data_key_deletion(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    dk = data_key(ctx, params["DataKeyId"])
    dk.state_before_deletion = dk.state
    dk.state = check("ScheduleDataKeyDeletion", dk) or dk.state
    # Tencent's example is exactly N days after the call (not the end of a day, as CMKs).
    dk.deletion_date = ctx.seconds + params["PendingWindowInDays"] * DAY
    ctx.touch(dk, DATA_KEY)
    return {"DeletionDate": dk.deletion_date, "DataKeyId": dk.data_key_id}


def cancel_data_key_deletion(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    dk = data_key(ctx, params["DataKeyId"])
    target = check("CancelDataKeyDeletion", dk) or dk.state
    if target == ENABLED:
        _cmk_of(ctx, dk, "CancelDataKeyDeletion")
    _require_room(ctx)  # keys pending deletion do not count; this one will again
    dk.state = target
    dk.deletion_date = 0
    dk.state_before_deletion = ""
    ctx.touch(dk, DATA_KEY)
    return {"DataKeyId": dk.data_key_id}


def update_data_key_name(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    dk = data_key(ctx, params["DataKeyId"])
    check("UpdateDataKeyName", dk)
    generic = "InvalidParameterValue"  # the only code UpdateDataKeyName documents for a name
    check_name(ctx, params["DataKeyName"], generic, generic, dk.data_key_id)
    dk.name = params["DataKeyName"]
    ctx.touch(dk, DATA_KEY)
    return {}


def update_data_key_description(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    dk = data_key(ctx, params["DataKeyId"])
    check("UpdateDataKeyDescription", dk)
    dk.description = params["Description"]
    ctx.touch(dk, DATA_KEY)
    return {}


# -- the clock -------------------------------------------------------------------------------


def _deletion_due(dk: DataKey) -> int:
    return dk.deletion_date if dk.state == PENDING_DELETE else 0


def run_deletion(ctx: CallContext, dk: DataKey, due: float) -> Event | None:
    """A deletion that fell due purges the data key (and its blob) for good."""
    if _deletion_due(dk) != due:
        return None
    ctx.remove(dk, DATA_KEY)
    return Event(int(due), "deleted", dk.data_key_id, f"data key {dk.name}")


GROUP = ActionGroup(
    name="data keys",
    actions={
        "ImportDataKey": import_data_key,
        "GetDataKeyPlaintext": get_data_key_plaintext,
        "GetDataKeyCiphertextBlob": get_data_key_ciphertext_blob,
        "DescribeDataKey": describe_data_key,
        "DescribeDataKeys": describe_data_keys,
        "ListDataKeys": list_data_keys,
        "ListDataKeyDetail": list_data_key_detail,
        "EnableDataKey": enable_data_key,
        "EnableDataKeys": enable_data_keys,
        "DisableDataKey": disable_data_key,
        "DisableDataKeys": disable_data_keys,
        "ScheduleDataKeyDeletion": schedule_data_key_deletion,
        "CancelDataKeyDeletion": cancel_data_key_deletion,
        "UpdateDataKeyName": update_data_key_name,
        "UpdateDataKeyDescription": update_data_key_description,
    },
    read_only=frozenset(
        [
            "GetDataKeyPlaintext",
            "GetDataKeyCiphertextBlob",
            "DescribeDataKey",
            "DescribeDataKeys",
            "ListDataKeys",
            "ListDataKeyDetail",
        ]
    ),
    jobs=(JobKind("delete data key", DATA_KEY, _deletion_due, run_deletion),),
    resources=(DATA_KEY,),
)
"""Hosted data keys: import, read back, describe, list, enable/disable, delete, rename."""
