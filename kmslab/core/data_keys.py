"""Hosted data keys: the 15 actions of the data-key hosting group, and their clock job.

A hosted data key is kept as the CMK ciphertext blob of its plaintext, so reading it
back (GetDataKeyPlaintext) is a Decrypt of that blob under a CMK that can still decrypt.
Batches check every key before they change any. Another account's data key is
indistinguishable from a missing one. What hosting shares with GenerateDataKey (quota,
names, lookup, metadata) is in :mod:`kmslab.core.data_key_hosting`; the choices the
documentation leaves open are in ``docs/data-keys.md``.
"""

from __future__ import annotations

from kmslab.actions.errors import KMSError
from kmslab.core.binary import decode_binary
from kmslab.core.context import CallContext
from kmslab.core.data_key_hosting import (
    MAX_DATA_KEY,
    check_name,
    cmk_of,
    data_key,
    host,
    metadata,
    open_stored,
    require_room,
    tag_result,
)
from kmslab.core.datakey import DATA_KEY, DataKey, check, check_cmk, detail_facet, listed_facet
from kmslab.core.groups import ActionGroup, JobKind
from kmslab.core.keys import refuse_hsm_cluster, refuse_member_account, tag_match
from kmslab.core.model import ENABLED, EXTERNAL, PENDING_DELETE, TENCENT_KMS, Key
from kmslab.core.returned_plaintext import returned_plaintext
from kmslab.core.scheduler import Event
from kmslab.core.symmetric import (
    ENCRYPT_DECRYPT,
    find_blob_key,
    open_blob,
    require_symmetric,
    seal,
)

DAY = 86400
_STATE_FILTER = {1: ENABLED, 2: "Disabled", 3: PENDING_DELETE}


# -- reading ---------------------------------------------------------------------------------


def get_data_key_plaintext(ctx: CallContext, params: dict) -> dict:
    dk = data_key(ctx, params["DataKeyId"])
    check("GetDataKeyPlaintext", dk)
    plaintext = open_stored(ctx, dk, cmk_of(ctx, dk, "GetDataKeyPlaintext"))
    return {"Plaintext": returned_plaintext(params, plaintext, ctx.random)}


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
            and (not tag_filters or tag_match(dk.tags, tag_filters))
        ]
        total, page = len(matches), matches[offset : offset + limit]
    else:
        total = repo.facet_size(ctx.scope, facet)
        page = repo.page(ctx.scope, facet, offset, limit, newest_first)
    return {"TotalCount": total, "DataKeyMetadatas": [metadata(ctx, dk) for dk in page]}


# -- creating ----------------------------------------------------------------------------------


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
            cmk_of(ctx, dk, action)
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
        cmk_of(ctx, dk, "CancelDataKeyDeletion")
    require_room(ctx)  # keys pending deletion do not count; this one will again
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
