"""Symmetric CMKs: the ``ENCRYPT_DECRYPT`` usage and Encrypt, Decrypt, ReEncrypt and
GenerateDataKey.

A blob names its key and version, so Decrypt needs no KeyId and every version a key
still has decrypts; the account, region and canonical EncryptionContext are bound as
associated data, so a foreign or altered blob fails instead of yielding wrong data.
"""

from __future__ import annotations

import functools
import json
import math
from binascii import b2a_base64

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.binary import decode_binary
from kmslab.core.context import CallContext, not_found
from kmslab.core.groups import ActionGroup, KeyUsage
from kmslab.core.material import open_version, seal_version
from kmslab.core.model import EXTERNAL, Key, KeyVersion
from kmslab.core.returned_plaintext import returned_plaintext
from kmslab.crypto import blob as blobs
from kmslab.crypto.suites import SUITES_BY_ID, AuthenticationFailed, PreparedKey

ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
MAX_PLAINTEXT = 4096
DATA_KEY_SPECS = {"AES_128": 16, "AES_256": 32}
_SUITE_ID_BY_TYPE = {s.metadata_type: s.suite_id for s in SUITES_BY_ID.values()}
_SUITE_BY_TYPE = {s.metadata_type: s for s in SUITES_BY_ID.values()}


def add_version(ctx: CallContext, key: Key, material: bytes | None = None) -> KeyVersion:
    """Give ``key`` a new newest version (fresh material unless ``material`` is given)."""
    suite = ctx.suite
    if material is None:
        material = ctx.random.bytes(suite.key_size)
    return seal_version(ctx.root, key, material, "cmk", ctx.seconds)


def version_cipher(
    ctx: CallContext, key: Key, version: int
) -> tuple[PreparedKey, blobs.VersionLayout]:
    """The ready-to-use cipher of a symmetric key version and its blob layout, unwrapped
    and built once, then kept in the service's secret cache."""
    v = key.versions[version - 1]
    cached = ctx.secrets.get(key.key_id, version, v.wrapped)
    if cached is None or cached[1].scope != ctx.scope:
        material = open_version(ctx.root, key, v, "cmk")
        cipher = _SUITE_BY_TYPE[key.metadata_type].prepare(material)
        header = blobs.make_header(_SUITE_ID_BY_TYPE[key.metadata_type], key.key_id, version)
        layout = blobs.VersionLayout(header, ctx.uin, ctx.region)
        cached = ctx.secrets.put(key.key_id, version, v.wrapped, (cipher, layout))
    return cached


def prepared(ctx: CallContext, key: Key, version: int | None = None) -> PreparedKey:
    """The ready-to-use cipher of a symmetric key version (newest by default)."""
    return version_cipher(ctx, key, len(key.versions) if version is None else version)[0]


SYMMETRIC_USAGE = KeyUsage(
    usage=ENCRYPT_DECRYPT,
    algorithm=lambda profile: "SM4" if profile == "SM" else "AES_256",
    category="symmetric",
    profiles=frozenset({"FIPS", "SM"}),
    generate=lambda ctx, key: add_version(ctx, key),
    external_ok=True,
)


def _no_constant(name: str) -> float:
    """NaN and Infinity are not JSON (RFC 8259): refuse them rather than bind a context
    that canonicalises to text no other JSON parser accepts."""
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    """A JSON number as a float, refusing literals such as 1e999 that overflow to inf."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} overflows a double")
    return value


@functools.lru_cache(maxsize=4096)
def canonical_context(text: str) -> bytes:
    """The EncryptionContext as bound into blobs: the JSON object, keys sorted, compact."""
    if not text:
        return b""
    try:
        obj = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):  # deep nesting is just another bad context
        obj = None
    if not isinstance(obj, dict):
        raise KMSError(
            "InvalidParameter",
            'EncryptionContext must be a JSON object such as {"key":"value"} (standard JSON: '
            "no NaN or Infinity)",
            detail_zh="EncryptionContext 必须是标准 JSON 对象（不支持 NaN 或 Infinity）",
        )
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # an escaped lone surrogate such as "\ud800"
        raise KMSError(
            "InvalidParameter",
            "EncryptionContext must be valid UTF-8 text",
            detail_zh="EncryptionContext 必须是合法的 UTF-8 文本",
        ) from None


def decode_plaintext(text: str, name: str = "Plaintext") -> bytes:
    """Base64 plaintext of 1 to 4096 bytes, or ``InvalidPlaintext``."""
    return decode_binary(text, name, "InvalidParameterValue.InvalidPlaintext", MAX_PLAINTEXT)


def require_symmetric(key: Key) -> None:
    """Symmetric actions refuse keys of any other usage."""
    if key.usage != ENCRYPT_DECRYPT:
        raise KMSError(
            "InvalidParameterValue.InvalidKeyUsage",
            f"key {key.key_id} is a {key.usage} key, not an ENCRYPT_DECRYPT key",
            detail_zh=f"密钥 {key.key_id} 的用途是 {key.usage}，不能用于对称加解密",
        )


def refuse_not_built(params: dict) -> None:
    """Parameters whose features later kmslab versions add are refused, never ignored."""
    if params.get("EncryptionPublicKey"):
        raise KMSError(
            "UnsupportedOperation",
            "EncryptionPublicKey is not built in this version of kmslab yet",
            detail_zh="kmslab 当前版本尚未实现 EncryptionPublicKey",
        )


def seal(ctx: CallContext, key: Key, plaintext: bytes, context: bytes) -> str:
    """Encrypt under the key's newest version and return the blob text."""
    cipher, layout = version_cipher(ctx, key, len(key.versions))
    nonce = ctx.random.bytes(12)
    return layout.text(nonce, cipher.seal(nonce, plaintext, layout.aad(context)))


def invalid_ciphertext(why: str) -> KMSError:
    return KMSError(
        "InvalidParameterValue.InvalidCiphertext", why, detail_zh="密文无效或与加密上下文不匹配"
    )


def find_blob_key(ctx: CallContext, text: str, kind: str = "kmslab") -> tuple[blobs.Blob, Key]:
    """Parse blob text and find the caller's key it names: InvalidCiphertext for text that
    is not a blob, and the missing-key answer for a key this caller does not have."""
    try:
        blob = blobs.decode(text)
    except blobs.MalformedBlob as exc:
        raise invalid_ciphertext(f"CiphertextBlob is not a {kind} ciphertext ({exc})") from None
    key = ctx.find(blob.key_id)
    if key is None:
        raise not_found(blob.key_id)
    return blob, key


def open_blob(ctx: CallContext, text: str, context: bytes, action_name: str):
    """Find the blob's key, check it may decrypt, and open the blob: (key, blob, plaintext)."""
    blob, key = find_blob_key(ctx, text)
    if key.usage != ENCRYPT_DECRYPT or blob.suite_id != _SUITE_ID_BY_TYPE[key.metadata_type]:
        raise invalid_ciphertext("CiphertextBlob does not belong to a symmetric key")
    if states.STATE_TABLE[action_name][key.state] != states.OK:  # the allowed cell inline
        states.check(action_name, key)
    if not 1 <= blob.version <= len(key.versions):
        raise invalid_ciphertext("CiphertextBlob names a key version that does not exist")
    cipher, layout = version_cipher(ctx, key, blob.version)
    if blob.header != layout.header:  # cannot differ once suite, key and version match
        raise invalid_ciphertext("CiphertextBlob has a header this key version never wrote")
    try:
        plaintext = cipher.open(blob.nonce, blob.sealed, layout.aad(context))
    except AuthenticationFailed:
        raise invalid_ciphertext(
            "CiphertextBlob was altered, or EncryptionContext differs from encryption time"
        ) from None
    return key, blob, plaintext


def usable_key(ctx: CallContext, key_id: str, action_name: str) -> Key:
    """A key that may encrypt now: symmetric, in a state that allows ``action_name``."""
    key = ctx.key(key_id)
    if key.usage != ENCRYPT_DECRYPT:
        require_symmetric(key)  # raises
    if states.STATE_TABLE[action_name][key.state] != states.OK:  # the allowed cell inline
        states.check(action_name, key)
    return key


def encrypt(ctx: CallContext, params: dict) -> dict:
    key = usable_key(ctx, params["KeyId"], "Encrypt")
    plaintext = decode_plaintext(params["Plaintext"])
    context = canonical_context(params.get("EncryptionContext", ""))
    return {"CiphertextBlob": seal(ctx, key, plaintext, context), "KeyId": key.key_id}


def decrypt(ctx: CallContext, params: dict) -> dict:
    context = canonical_context(params.get("EncryptionContext", ""))
    key, _, plaintext = open_blob(ctx, params["CiphertextBlob"], context, "Decrypt")
    if params.get("EncryptionPublicKey"):
        return {"KeyId": key.key_id, "Plaintext": returned_plaintext(params, plaintext, ctx.random)}
    return {"KeyId": key.key_id, "Plaintext": b2a_base64(plaintext, newline=False).decode("ascii")}


def re_encrypt(ctx: CallContext, params: dict) -> dict:
    source_context = canonical_context(params.get("SourceEncryptionContext", ""))
    dest_context = canonical_context(params.get("DestinationEncryptionContext", ""))
    source, blob, plaintext = open_blob(ctx, params["CiphertextBlob"], source_context, "Decrypt")
    dest_id = params.get("DestinationKeyId") or source.key_id
    dest = usable_key(ctx, dest_id, "ReEncrypt")
    unchanged = (
        dest is source and blob.version == len(source.versions) and dest_context == source_context
    )
    text = params["CiphertextBlob"] if unchanged else seal(ctx, dest, plaintext, dest_context)
    return {
        "CiphertextBlob": text,
        "KeyId": dest.key_id,
        "SourceKeyId": source.key_id,
        "ReEncrypted": not unchanged,
    }


def generate_data_key(ctx: CallContext, params: dict) -> dict:
    if params.get("HsmClusterId"):
        from kmslab.core.keys import refuse_hsm_cluster

        refuse_hsm_cluster(params)
    hosted = params.get("IsHostedByKms", 0) == 1
    size = params.get("NumberOfBytes") or DATA_KEY_SPECS.get(params.get("KeySpec", ""))
    if not size:
        raise KMSError(
            "MissingParameter",
            "GenerateDataKey needs KeySpec or NumberOfBytes",
            detail_zh="GenerateDataKey 需要 KeySpec 或 NumberOfBytes",
        )
    # GenerateDataKey never changes its CMK (hosting only adds a data key), so it reads
    # the committed key instead of taking a copy: leaving the read-only set for hosting
    # then costs the unhosted hot path nothing.
    key = ctx.repository().get(ctx.scope, params["KeyId"]) or ctx.key(params["KeyId"])
    if key.usage != ENCRYPT_DECRYPT:
        require_symmetric(key)  # raises
    if states.STATE_TABLE["GenerateDataKey"][key.state] != states.OK:
        states.check("GenerateDataKey", key)
    context = canonical_context(params.get("EncryptionContext", ""))
    if hosted and context:
        raise KMSError(
            "InvalidParameter",
            "a hosted data key cannot be bound to an EncryptionContext: GetDataKeyPlaintext "
            "has none to give back",
            detail_zh="托管数据密钥不能绑定 EncryptionContext（GetDataKeyPlaintext 无法提供）",
        )
    data_key = ctx.random.bytes(size)
    blob = seal(ctx, key, data_key, context)
    response = {
        "KeyId": key.key_id,
        "Plaintext": returned_plaintext(params, data_key, ctx.random),
        "CiphertextBlob": blob,
    }
    if hosted:
        from kmslab.core.data_key_hosting import generate_hosted  # it builds on this module

        response.update(generate_hosted(ctx, params, key, data_key, blob))
    return response


def can_rotate(key: Key) -> bool:
    """Only KMS-generated symmetric keys rotate; imported material cannot be replaced."""
    return key.usage == ENCRYPT_DECRYPT and key.origin != EXTERNAL


GROUP = ActionGroup(
    name="symmetric",
    actions={
        "Encrypt": encrypt,
        "Decrypt": decrypt,
        "ReEncrypt": re_encrypt,
        "GenerateDataKey": generate_data_key,
    },
    # GenerateDataKey is not read-only: with IsHostedByKms=1 it creates a hosted data key.
    read_only=frozenset(["Decrypt", "Encrypt", "ReEncrypt"]),
    usages=(SYMMETRIC_USAGE,),
)
"""Symmetric CMKs: the ENCRYPT_DECRYPT usage and its four cryptographic actions."""
