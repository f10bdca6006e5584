"""Key import (BYOK): GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial,
and the clock jobs that expire imported material and import wrapping keys.

A wrapping key is an RSA-2048 pair kept in the CMK's ``extra``, its private half wrapped
under the root key. RSA generation costs tens of milliseconds, so a CMK reuses its
wrapping key for the first 24 hours of its life and keeps it 24 hours more, so that
every token issued (valid 24 hours) finds its key. The token is sealed under the root
key with the account, region and key id as associated data: it cannot be forged, nor
moved to another key, and it names the wrapping key, the algorithm and the expiry.
"""

from __future__ import annotations

import base64
import binascii
import struct

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.cmk import CMK
from kmslab.core.context import CallContext
from kmslab.core.groups import ActionGroup, JobKind
from kmslab.core.keys import refuse_if_bound
from kmslab.core.model import EXTERNAL, PENDING_DELETE, PENDING_IMPORT, Key
from kmslab.core.scheduler import Event
from kmslab.core.symmetric import ENCRYPT_DECRYPT, add_version
from kmslab.crypto import asymmetric as asym
from kmslab.crypto.wrapping import UnwrapFailed, fingerprint

DAY = 86400
TOKEN_LIFETIME = DAY
WRAPPING_KEY_REUSE = DAY
WRAPPING_KEY_LIFETIME = 2 * DAY
_ALGORITHMS = tuple(asym.RSA_PADDINGS)
_TOKEN = struct.Struct(">BBQ8s")  # token version, algorithm index, valid-to, wrapping key id
_TOKEN_VERSION = 1


def _require_external(key: Key) -> None:
    if key.origin != EXTERNAL:
        raise KMSError(
            "UnsupportedOperation.NotExternalCmk",
            f"key {key.key_id} was not created for imported material (CreateKey Type 2)",
            detail_zh=f"密钥 {key.key_id} 不是外部导入类型的密钥",
        )


def _wrapping_keys(key: Key) -> list[dict]:
    return key.extra.setdefault("wrapping_keys", [])


def _current_wrapping_key(ctx: CallContext, key: Key) -> dict:
    """The wrapping key to hand out now: the newest if still young enough, else a new one."""
    keys = _wrapping_keys(key)
    if keys and ctx.seconds < keys[-1]["created"] + WRAPPING_KEY_REUSE:
        return keys[-1]
    der = asym.generate_rsa_der()
    wid = fingerprint(der)[:16]
    entry = {
        "id": wid,
        "created": ctx.seconds,
        "expires": ctx.seconds + WRAPPING_KEY_LIFETIME,
        "public": base64.b64encode(asym.public_der(asym.load_private(der))).decode(),
        "wrapped": base64.b64encode(
            ctx.root.wrap(
                der,
                purpose="import-wrapping-key:" + wid,
                account=str(key.uin),
                region=key.region,
                key_id=key.key_id,
            )
        ).decode(),
    }
    keys.append(entry)
    return entry


def get_parameters_for_import(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    _require_external(key)
    states.check("GetParametersForImport", key)
    entry = _current_wrapping_key(ctx, key)
    valid_to = ctx.seconds + TOKEN_LIFETIME
    payload = _TOKEN.pack(
        _TOKEN_VERSION,
        _ALGORITHMS.index(params["WrappingAlgorithm"]),
        valid_to,
        bytes.fromhex(entry["id"]),
    )
    token = ctx.root.wrap(
        payload, purpose="import-token", account=str(key.uin), region=key.region, key_id=key.key_id
    )
    ctx.touch(key)
    return {
        "KeyId": key.key_id,
        "ImportToken": base64.b64encode(token).decode(),
        "PublicKey": entry["public"],
        "ParametersValidTo": valid_to,
    }


def _bad_token() -> KMSError:
    return KMSError(
        "InvalidParameter",
        "ImportToken was not issued for this key by GetParametersForImport",
        detail_zh="ImportToken 无效或不属于该密钥",
    )


def _open_token(ctx: CallContext, key: Key, text: str) -> tuple[str, dict]:
    try:
        raw = base64.b64decode(text, validate=True)
        payload = ctx.root.unwrap(
            raw, purpose="import-token", account=str(key.uin), region=key.region, key_id=key.key_id
        )
        version, algorithm, valid_to, wid = _TOKEN.unpack(payload)
    except (binascii.Error, ValueError, UnwrapFailed, struct.error):
        raise _bad_token() from None
    if version != _TOKEN_VERSION or algorithm >= len(_ALGORITHMS):
        raise _bad_token()
    entry = next((e for e in _wrapping_keys(key) if e["id"] == wid.hex()), None)
    if ctx.seconds >= valid_to or entry is None:
        raise KMSError(
            "ResourceUnavailable.TokenExpired",
            "ImportToken has expired: call GetParametersForImport again",
            detail_zh="ImportToken 已过期，请重新调用 GetParametersForImport",
        )
    return _ALGORITHMS[algorithm], entry


def _wrapping_private(ctx: CallContext, key: Key, entry: dict):
    """The unwrapped private half of an import wrapping key, cached per service."""
    wrapped = base64.b64decode(entry["wrapped"])
    slot = ("import-wrapping-key", entry["id"])
    loaded = ctx.secrets.get(key.key_id, slot, wrapped)
    if loaded is None:
        der = ctx.root.unwrap(
            wrapped,
            purpose="import-wrapping-key:" + entry["id"],
            account=str(key.uin),
            region=key.region,
            key_id=key.key_id,
        )
        loaded = ctx.secrets.put(key.key_id, slot, wrapped, asym.load_private(der))
    return loaded


def _unwrap_material(ctx: CallContext, key: Key, entry: dict, algorithm: str, text: str) -> bytes:
    wrapping = _wrapping_private(ctx, key, entry)
    size = ctx.suite.key_size
    try:
        material = asym.rsa_decrypt(wrapping, base64.b64decode(text, validate=True), algorithm)
    except (binascii.Error, ValueError, asym.DecryptFailed):
        material = b""
    if len(material) != size:
        raise KMSError(
            "InvalidParameter.DecryptMaterialError",
            f"EncryptedKeyMaterial did not decrypt to {8 * size}-bit material with the wrapping "
            f"key and {algorithm}",
            detail_zh=f"EncryptedKeyMaterial 解密失败，或密钥材料不是 {8 * size} 位",
        )
    return material


def import_key_material(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    _require_external(key)
    target = states.check("ImportKeyMaterial", key)
    valid_to = params.get("ValidTo", 0)
    if valid_to and valid_to <= ctx.seconds:
        raise KMSError(
            "InvalidParameter",
            "ValidTo must be 0 (never expires) or in the future",
            detail_zh="ValidTo 必须为 0 或未来的时间",
        )
    algorithm, entry = _open_token(ctx, key, params["ImportToken"])
    material = _unwrap_material(ctx, key, entry, algorithm, params["EncryptedKeyMaterial"])
    known = key.extra.get("material_fingerprint")
    if known and known != fingerprint(material):
        raise KMSError(
            "InvalidParameterValue.MaterialNotMatch",
            f"key {key.key_id} already had different material; only the same may be imported",
            detail_zh="导入的密钥材料与之前导入的不一致",
        )
    if not key.versions:
        add_version(ctx, key, material)
    key.extra["material_fingerprint"] = fingerprint(material)
    key.valid_to = valid_to
    if target is not None:
        key.state = target
    ctx.touch(key)
    return {}


def _forget_material(ctx: CallContext, key: Key) -> None:
    # The service forgets the cached secrets of the old versions when this commits.
    key.versions = []
    key.valid_to = 0


def delete_imported_key_material(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    _require_external(key)
    target = states.check("DeleteImportedKeyMaterial", key)
    refuse_if_bound(key, "DeleteImportedKeyMaterial")
    _forget_material(ctx, key)
    if target is not None:
        key.state = target
    ctx.touch(key)
    return {}


def _material_due(key: Key) -> int:
    if key.origin == EXTERNAL and key.usage == ENCRYPT_DECRYPT and key.versions:
        return key.valid_to
    return 0


def run_material_expiry(ctx: CallContext, key: Key, due: float) -> Event | None:
    """Imported material that reached ValidTo is deleted; the key waits for a re-import
    (PendingImport). A key pending deletion stays so, but a cancelled deletion now
    returns it to PendingImport: with no material it can be nothing else."""
    if _material_due(key) != due:
        return None
    _forget_material(ctx, key)
    if key.state == PENDING_DELETE:
        key.state_before_deletion = PENDING_IMPORT
    else:
        key.state = PENDING_IMPORT
    ctx.touch(key)
    return Event(int(due), "imported material expired", key.key_id)


def _wrapping_due(key: Key) -> int:
    keys = key.extra.get("wrapping_keys")
    return min(e["expires"] for e in keys) if keys else 0


def run_wrapping_key_expiry(ctx: CallContext, key: Key, due: float) -> Event | None:
    """Wrapping keys whose tokens have all expired are destroyed."""
    keys = key.extra.get("wrapping_keys")
    if not keys or _wrapping_due(key) > due:
        return None
    key.extra["wrapping_keys"] = [e for e in keys if e["expires"] > due]
    ctx.touch(key)
    return Event(int(due), "import parameters expired", key.key_id)


GROUP = ActionGroup(
    name="byok",
    actions={
        "GetParametersForImport": get_parameters_for_import,
        "ImportKeyMaterial": import_key_material,
        "DeleteImportedKeyMaterial": delete_imported_key_material,
    },
    read_only=frozenset([]),
    jobs=(
        JobKind("imported-material-expiry", CMK, _material_due, run_material_expiry),
        JobKind("import-wrapping-key-expiry", CMK, _wrapping_due, run_wrapping_key_expiry),
    ),
)
"""Key import (BYOK) and the expiry of imported material and import parameters."""
