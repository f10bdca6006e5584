"""The 11 legacy API 2.0 actions, each mapped onto one core action of the same service.

A legacy action here only translates: its lowerCamelCase text parameters into the core
action's typed parameters (after the documented legacy limits), and the core answer into
the legacy fields (``keyMetadata``, ``totalCount``...). The work is the core's, through
``kms.call``, so key states, rotation, the clock, QPS limits and call records all apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kmslab.server.api2_errors import LegacyError

__all__ = ["ACTIONS", "LegacyAction", "key_metadata"]

LEGACY_USAGE = "ENCRYPT/DECRYPT"
"""The one documented legacy ``keyUsage``; API 3.0 calls it ``ENCRYPT_DECRYPT``."""
ALIAS_MAX = 32
LIST_DEFAULT = 10
_STATES = {"PendingDelete": "PendingDeletion"}  # legacy name of the API 3.0 state
_INT = re.compile(r"[0-9]{1,10}")


def _bad(en: str, zh: str, *, code: str = "InvalidParameter") -> LegacyError:
    return LegacyError(4000, code, en, detail_zh=zh)


def _required(p: dict[str, str], name: str) -> str:
    value = p.get(name, "")
    if value == "":
        raise _bad(f"{name} is missing", f"缺少参数 {name}", code="MissingParameter")
    return value


def _int(p: dict[str, str], name: str) -> int | None:
    text = p.get(name, "")
    if text == "":
        return None
    if not _INT.fullmatch(text):
        raise _bad(f"{name} must be a decimal integer, not {text!r}", f"{name} 应为十进制整数")
    return int(text)


def _alias(p: dict[str, str]) -> str:
    alias = _required(p, "alias")
    if len(alias) > ALIAS_MAX:
        raise _bad(
            f"alias is {len(alias)} characters: 1-{ALIAS_MAX} are allowed",
            f"alias 长度为 {len(alias)}，应为 1-{ALIAS_MAX} 个字符",
            code="InvalidParameterValue.InvalidAlias",
        )
    return alias


def _context(p: dict[str, str], core: dict[str, Any]) -> dict[str, Any]:
    if p.get("encryptionContext"):
        core["EncryptionContext"] = p["encryptionContext"]
    return core


def key_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """The legacy ``keyMetadata`` of an API 3.0 ``KeyMetadata`` (or CreateKey answer):
    every field the spec lists, ``description`` and ``deleteTime`` (0: none) included."""
    usage = meta.get("KeyUsage", "")
    state = meta.get("KeyState", "")
    return {
        "keyId": meta["KeyId"],
        "alias": meta.get("Alias", ""),
        "createTime": int(meta.get("CreateTime", 0)),
        "description": meta.get("Description", "") or "",
        "keyState": _STATES.get(state, state),
        "keyUsage": LEGACY_USAGE if usage == "ENCRYPT_DECRYPT" else usage,
        "deleteTime": int(meta.get("DeletionDate", 0) or 0),
    }


# -- parameter translations ------------------------------------------------------------


def _create_key(p: dict[str, str]) -> dict[str, Any]:
    core: dict[str, Any] = {"Alias": _alias(p), "KeyUsage": "ENCRYPT_DECRYPT"}
    if p.get("description"):
        core["Description"] = p["description"]
    usage = p.get("keyUsage", "")
    if usage not in ("", LEGACY_USAGE):
        raise _bad(
            f"keyUsage is {LEGACY_USAGE!r} (the only legacy usage), not {usage!r}",
            f"keyUsage 只能为 {LEGACY_USAGE!r}，不是 {usage!r}",
            code="InvalidParameterValue.InvalidKeyUsage",
        )
    kind = _int(p, "type")
    if kind == 2:
        raise _bad(
            "type 2 (the legacy 'quantum' key) is not simulated by kmslab: use type 1",
            "kmslab 不模拟 type 2（旧版“量子”密钥）：请使用 type 1",
            code="InvalidParameterValue.InvalidType",
        )
    if kind not in (None, 1):
        raise _bad(
            f"type is 1 (normal) or 2, not {kind}",
            f"type 应为 1（普通）或 2，不是 {kind}",
            code="InvalidParameterValue.InvalidType",
        )
    return core


def _key_only(p: dict[str, str]) -> dict[str, Any]:
    return {"KeyId": _required(p, "keyId")}


def _set_attributes(p: dict[str, str]) -> dict[str, Any]:
    return {"KeyId": _required(p, "keyId"), "Alias": _alias(p)}


def _list_key(p: dict[str, str]) -> dict[str, Any]:
    limit = _int(p, "limit")
    return {"Offset": _int(p, "offset") or 0, "Limit": limit or LIST_DEFAULT}


def _data_key(p: dict[str, str]) -> dict[str, Any]:
    core: dict[str, Any] = {"KeyId": _required(p, "keyId")}
    size = _int(p, "numberOfBytes")
    spec = p.get("keySpec", "")
    if size or not spec:  # numberOfBytes wins; 0 (sent by Java/PHP defaults) is "not given"
        if size is None and not spec:
            core["KeySpec"] = "AES_256"  # neither given: the inferred default
        else:
            core["NumberOfBytes"] = size
    else:
        core["KeySpec"] = spec
    return _context(p, core)


def _encrypt(p: dict[str, str]) -> dict[str, Any]:
    core = {"KeyId": _required(p, "keyId"), "Plaintext": _required(p, "plaintext")}
    return _context(p, core)


def _decrypt(p: dict[str, str]) -> dict[str, Any]:
    return _context(p, {"CiphertextBlob": _required(p, "ciphertextBlob")})


def _schedule(p: dict[str, str]) -> dict[str, Any]:
    days = _int(p, "pendingWindowInDays")
    if days is None:
        raise _bad(
            "pendingWindowInDays is missing",
            "缺少参数 pendingWindowInDays",
            code="MissingParameter",
        )
    return {"KeyId": _required(p, "keyId"), "PendingWindowInDays": days}


# -- answer translations ---------------------------------------------------------------


def _nothing(r: dict[str, Any], core: dict[str, Any]) -> dict[str, Any]:
    return {}


def _metadata(r: dict[str, Any], core: dict[str, Any]) -> dict[str, Any]:
    return {"keyMetadata": key_metadata(r.get("KeyMetadata", r))}


def _keys(r: dict[str, Any], core: dict[str, Any]) -> dict[str, Any]:
    return {
        "totalCount": r["TotalCount"],
        "keys": [{"keyId": k["KeyId"]} for k in r["Keys"]],
        "offset": core["Offset"],
        "limit": core["Limit"],
    }


def _pick(*names: str) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    def answer(r: dict[str, Any], core: dict[str, Any]) -> dict[str, Any]:
        return {n[0].lower() + n[1:]: r[n] for n in names}

    return answer


@dataclass(frozen=True)
class LegacyAction:
    """One legacy action: its parameters, the core action it runs and both translations."""

    name: str
    core: str
    params: frozenset[str]
    request: Callable[[dict[str, str]], dict[str, Any]]
    answer: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def _action(name, core, params, request, answer) -> tuple[str, LegacyAction]:
    return name, LegacyAction(name, core, frozenset(params.split()), request, answer)


ACTIONS: dict[str, LegacyAction] = dict(
    [
        _action(
            "CreateKey", "CreateKey", "alias description keyUsage type", _create_key, _metadata
        ),
        _action("GetKeyAttributes", "DescribeKey", "keyId", _key_only, _metadata),
        _action("SetKeyAttributes", "UpdateAlias", "keyId alias", _set_attributes, _nothing),
        _action("ListKey", "ListKeys", "offset limit", _list_key, _keys),
        _action("EnableKey", "EnableKey", "keyId", _key_only, _nothing),
        _action("DisableKey", "DisableKey", "keyId", _key_only, _nothing),
        _action(
            "GenerateDataKey",
            "GenerateDataKey",
            "keyId keySpec numberOfBytes encryptionContext",
            _data_key,
            _pick("KeyId", "Plaintext", "CiphertextBlob"),
        ),
        _action(
            "Encrypt",
            "Encrypt",
            "keyId plaintext encryptionContext",
            _encrypt,
            _pick("KeyId", "CiphertextBlob"),
        ),
        _action(
            "Decrypt",
            "Decrypt",
            "ciphertextBlob encryptionContext",
            _decrypt,
            _pick("KeyId", "Plaintext"),
        ),
        _action(
            "ScheduleKeyDeletion",
            "ScheduleKeyDeletion",
            "keyId pendingWindowInDays",
            _schedule,
            _nothing,
        ),
        _action("CancelKeyDeletion", "CancelKeyDeletion", "keyId", _key_only, _nothing),
    ]
)
"""The legacy actions by name (section 4 of the spec), in the spec's order."""
