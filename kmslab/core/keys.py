"""Creating, describing, listing, renaming, enabling and disabling CMKs.

Batch actions check every key before they change any, so a refused batch leaves every
key as it was.
"""

from __future__ import annotations

import re

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.cmk import detail_facet, listed_facet
from kmslab.core.context import CallContext
from kmslab.core.groups import KNOWN_USAGES, ActionGroup, KeyUsage
from kmslab.core.model import (
    ARCHIVED,
    DISABLED,
    ENABLED,
    EXTERNAL,
    PENDING_DELETE,
    PENDING_IMPORT,
    TENCENT_KMS,
    Key,
)

ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
EXTENSION_PREFIX = "KMSLAB_EXT_"
"""Key usages of kmslab's opt-in extensions (``KMS(extensions=[...])``), never Tencent's."""
_PRODUCT = re.compile(r"[a-z][a-z0-9_-]{0,31}")
"""A cloud product's name as ``Owner`` shows it (``cos``, ``cbs``, ``cdb``)."""
_STATE_FILTER = {1: ENABLED, 2: DISABLED, 3: PENDING_DELETE, 4: PENDING_IMPORT, 5: ARCHIVED}


def key_metadata(ctx: CallContext, key: Key) -> dict:
    """The documented ``KeyMetadata`` of a key, every field present."""
    account = ctx.settings.accounts[key.uin]
    return {
        "KeyId": key.key_id,
        "Alias": key.alias,
        "CreateTime": key.create_time,
        "Description": key.description,
        "KeyState": key.state,
        "KeyUsage": key.usage,
        "Type": key.metadata_type,
        "CreatorUin": key.uin,
        "KeyRotationEnabled": key.rotation_enabled,
        "Owner": key.owner,
        "NextRotateTime": key.next_rotate_time,
        "DeletionDate": key.deletion_date,
        "Origin": key.origin,
        "ValidTo": key.valid_to,
        "ResourceId": key.resource_id,
        "HsmClusterId": "",
        "RotateDays": key.rotate_days,
        "LastRotateTime": key.last_rotate_time,
        "IsSyncReplica": 0,
        "SourceRegion": "",
        "SyncStatus": 0,
        "SyncMessages": "",
        "SyncStartTime": 0,
        "SyncEndTime": 0,
        "SourceHsmClusterId": "",
        "AccountAppId": account.app_id,
        "AccountUin": key.uin,
        "AccountName": account.name,
        "CreatorUinString": str(key.uin),
    }


def refuse_member_account(params: dict) -> None:
    """``MemberAccount(s)`` acts for an organisation member; kmslab has no organisations,
    so, as for any caller who is not an organisation admin, the role check refuses it."""
    if params.get("MemberAccount") or params.get("MemberAccounts"):
        raise KMSError(
            "UnsupportedOperation.NotRoleOperation",
            "this account is not an organisation admin, so it cannot act for member accounts",
            detail_zh="当前账号不是集团管理员，不能操作成员账号的资源",
        )


def refuse_hsm_cluster(params: dict, *, shared: str = "") -> None:
    """kmslab simulates the shared public-cloud edition, which has no HSM clusters.

    ``shared`` is a cluster name that an action documents as meaning that edition
    (``default`` for ListKeyDetail, per Tencent's API metadata); it is accepted.
    """
    cluster = params.get("HsmClusterId")
    if cluster and cluster != shared:
        raise KMSError(
            "InvalidParameterValue.InvalidHsmClusterId",
            f"no HSM cluster {params['HsmClusterId']!r}: this service has no exclusive edition",
            detail_zh="当前服务没有独享版 HSM 集群",
        )


def check_alias(ctx: CallContext, alias: str, key_id: str = "", *, product: bool = False) -> None:
    """The rules beyond the format: the ``kms-`` prefix reserved for cloud products'
    keys (``product``) and uniqueness."""
    if alias.startswith("kms-") and not product:
        raise KMSError(
            "InvalidParameterValue.InvalidAlias",
            "the kms- prefix is reserved for keys that cloud products create",
            detail_zh="kms- 前缀保留给云产品创建的密钥",
        )
    owner = ctx.name_owner(alias)
    if owner is not None and owner != key_id:
        raise KMSError(
            "InvalidParameterValue.AliasAlreadyExists",
            f"alias {alias!r} is already used by another key",
            detail_zh=f"别名 {alias!r} 已被其他密钥使用",
        )


def parse_tags(tags: list[dict]) -> dict[str, str]:
    """Tags as a dict, refusing duplicate or empty tag keys."""
    out: dict[str, str] = {}
    for tag in tags:
        name = tag["TagKey"]
        if not name:
            raise KMSError("InvalidParameterValue", "a TagKey must not be empty")
        if name in out:
            raise KMSError(
                "InvalidParameterValue.TagKeysDuplicated",
                f"tag key {name!r} is given twice",
                detail_zh=f"标签键 {name!r} 重复",
            )
        out[name] = tag["TagValue"]
    return out


def resolve_usage(ctx: CallContext, usage: str) -> KeyUsage:
    """The service's usage, or the documented error for an unknown or unavailable one."""
    info = ctx.settings.usages.get(usage)
    if info is None:
        if usage.startswith(EXTENSION_PREFIX):
            raise KMSError(
                "InvalidParameterValue.InvalidKeyUsage",
                f"{usage} is a kmslab extension; create the service with KMS(extensions=['pqc'])",
                detail_zh=f"{usage} 是 kmslab 扩展算法，需以 KMS(extensions=['pqc']) 创建服务",
            )
        if usage in KNOWN_USAGES:
            raise KMSError(
                "UnsupportedOperation",
                f"KeyUsage {usage} is not built in this version of kmslab yet",
                detail_zh=f"kmslab 当前版本尚未实现 {usage}",
            )
        raise KMSError(
            "InvalidParameterValue.InvalidKeyUsage",
            f"{usage!r} is not a KeyUsage",
            detail_zh=f"{usage!r} 不是合法的 KeyUsage",
        )
    if ctx.profile not in info.profiles:
        raise KMSError(
            "UnsupportedOperation.UnsupportedKeyUsageInCurrentRegion",
            f"{usage} is not offered in {ctx.region} ({ctx.profile} profile)",
            detail_zh=f"{ctx.region} 地域不支持 {usage}",
        )
    return info


def create_key(ctx: CallContext, params: dict) -> dict:
    return _create_key(ctx, params, "user")


def check_product(product: object) -> None:
    """Refuse what is not a cloud product's name (the ``Owner`` of its keys)."""
    if not isinstance(product, str) or not _PRODUCT.fullmatch(product) or product == "user":
        raise KMSError(
            "InvalidParameterValue",
            f"{product!r} is not a cloud product name: 1-32 lower-case letters, digits, "
            "'-' or '_', starting with a letter, and not 'user'",
            detail_zh=f"云产品名称 {product!r} 无效：1-32 位小写字母、数字、'-' 或 '_'，"
            "以字母开头，且不能为 user",
        )


def product_key_handler(product: str):
    """The CreateKey handler of a cloud product: the key's ``Owner`` is ``product``, so
    ``Role=1`` lists it, and its alias may carry the reserved ``kms-`` prefix (see
    ``KMS.create_product_key``)."""
    check_product(product)

    def create_product_key(ctx: CallContext, params: dict) -> dict:
        return _create_key(ctx, params, product)

    return create_product_key


def _create_key(ctx: CallContext, params: dict, owner: str) -> dict:
    refuse_hsm_cluster(params)
    alias = params["Alias"]
    check_alias(ctx, alias, product=owner != "user")
    usage = params.get("KeyUsage") or ENCRYPT_DECRYPT
    info = resolve_usage(ctx, usage)
    external = params.get("Type", 1) == 2
    if external and not info.external_ok:
        raise KMSError(
            "InvalidParameterValue.InvalidKeyUsage",
            f"material of {usage} keys cannot be imported (Type 2)",
            detail_zh=f"{usage} 类型的密钥不支持导入密钥材料",
        )
    tags = parse_tags(params.get("Tags", []))
    limit = ctx.settings.cmk_limit
    if ctx.count() >= limit:
        raise KMSError(
            "LimitExceeded.CmkLimitExceeded",
            f"this account already has {limit} CMKs in {ctx.region}",
            detail_zh=f"CMK 数量已达上限 {limit}",
        )
    now = ctx.seconds
    key = Key(
        uin=ctx.uin,
        region=ctx.region,
        key_id=ctx.random.uuid1(ctx.now),
        alias=alias,
        description=params.get("Description", ""),
        create_time=now,
        state=PENDING_IMPORT if external else ENABLED,
        usage=usage,
        origin=EXTERNAL if external else TENCENT_KMS,
        metadata_type=ctx.suite.metadata_type,
        owner=owner,
        tags=tags,
    )
    if not external:
        info.generate(ctx, key)
    ctx.add(key)
    response = {
        "KeyId": key.key_id,
        "Alias": key.alias,
        "CreateTime": key.create_time,
        "Description": key.description,
        "KeyState": key.state,
        "KeyUsage": key.usage,
        "TagCode": 0,
        "TagMsg": "ok" if tags else "no tags to save",
    }
    return response


def describe_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    return {"KeyMetadata": key_metadata(ctx, ctx.key(params["KeyId"]))}


def describe_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    keys = [ctx.key(key_id) for key_id in params["KeyIds"]]
    return {"KeyMetadatas": [key_metadata(ctx, k) for k in keys]}


def _page(params: dict, items: list) -> list:
    offset = params.get("Offset", 0)
    limit = params.get("Limit", 10)
    return items[offset : offset + limit]


def list_keys(ctx: CallContext, params: dict) -> dict:
    refuse_hsm_cluster(params)
    repo = ctx.repository()
    facet = listed_facet(params.get("Role", 0))
    page = repo.page(ctx.scope, facet, params.get("Offset", 0), params.get("Limit", 10))
    return {
        "Keys": [{"KeyId": k.key_id} for k in page],
        "TotalCount": repo.facet_size(ctx.scope, facet),
    }


def tag_match(tags: dict[str, str], tag_filters: list[dict]) -> bool:
    """Whether ``tags`` pass every ``TagFilter`` (its key present, and its value among
    ``TagValue`` when that is given): the list actions of every kind filter this way."""
    for f in tag_filters:
        if f["TagKey"] not in tags:
            return False
        values = f.get("TagValue")
        if values and tags[f["TagKey"]] not in values:
            return False
    return True


def list_key_detail(ctx: CallContext, params: dict) -> dict:
    """State, origin and usage filters pick one indexed list (a page costs the page);
    alias search and tag filters scan that list."""
    refuse_hsm_cluster(params, shared="default")  # "default": the shared edition, every key
    refuse_member_account(params)
    origin = params.get("Origin", "")
    usage = params.get("KeyUsage", "") or ENCRYPT_DECRYPT
    facet = detail_facet(
        params.get("Role", 0),
        _STATE_FILTER.get(params.get("KeyState", 0)),
        None if origin in ("", "ALL") else origin,
        None if usage == "ALL" else usage,
    )
    newest_first = params.get("OrderType", 0) != 1
    search = params.get("SearchKeyAlias", "")
    tag_filters = params.get("TagFilters", [])
    repo = ctx.repository()
    if search or tag_filters:
        matches = [
            k
            for k in repo.scan(ctx.scope, facet, newest_first)
            if (not search or search in k.alias or search in k.key_id)
            and (not tag_filters or tag_match(k.tags, tag_filters))
        ]
        total, page = len(matches), _page(params, matches)
    else:
        total = repo.facet_size(ctx.scope, facet)
        page = repo.page(
            ctx.scope, facet, params.get("Offset", 0), params.get("Limit", 10), newest_first
        )
    return {"TotalCount": total, "KeyMetadatas": [key_metadata(ctx, k) for k in page]}


def update_alias(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    states.check("UpdateAlias", key)
    check_alias(ctx, params["Alias"], key.key_id)
    key.alias = params["Alias"]
    ctx.touch(key)
    return {}


def update_key_description(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    key = ctx.key(params["KeyId"])
    states.check("UpdateKeyDescription", key)
    key.description = params["Description"]
    ctx.touch(key)
    return {}


def refuse_if_bound(key: Key, action_name: str) -> None:
    """A key a cloud product depends on cannot be disabled, archived or deleted."""
    if key.bindings:
        product, resource = key.bindings[0]
        raise KMSError(
            "FailedOperation.CmkUsedByCloudProduct",
            f"key {key.key_id} is used by {product} resource {resource}; unbind it before "
            f"{action_name}",
            detail_zh=f"密钥 {key.key_id} 正被云产品 {product} 使用",
        )


def _set_states(ctx: CallContext, action_name: str, keys: list[Key], bound_check: bool) -> None:
    moves = []
    for key in keys:
        target = states.check(action_name, key)
        if bound_check and target is not None:
            refuse_if_bound(key, action_name)
        moves.append((key, target))
    for key, target in moves:
        if target is not None:
            key.state = target
            ctx.touch(key)


def enable_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "EnableKey", [ctx.key(params["KeyId"])], False)
    return {}


def disable_key(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "DisableKey", [ctx.key(params["KeyId"])], True)
    return {}


def enable_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "EnableKeys", [ctx.key(k) for k in params["KeyIds"]], False)
    return {}


def disable_keys(ctx: CallContext, params: dict) -> dict:
    refuse_member_account(params)
    _set_states(ctx, "DisableKeys", [ctx.key(k) for k in params["KeyIds"]], True)
    return {}


GROUP = ActionGroup(
    name="keys",
    actions={
        "CreateKey": create_key,
        "DescribeKey": describe_key,
        "DescribeKeys": describe_keys,
        "ListKeys": list_keys,
        "ListKeyDetail": list_key_detail,
        "UpdateAlias": update_alias,
        "UpdateKeyDescription": update_key_description,
        "EnableKey": enable_key,
        "DisableKey": disable_key,
        "EnableKeys": enable_keys,
        "DisableKeys": disable_keys,
    },
    read_only=frozenset(["DescribeKey", "DescribeKeys", "ListKeyDetail", "ListKeys"]),
)
"""Creating, describing, listing, renaming, enabling and disabling CMKs."""
