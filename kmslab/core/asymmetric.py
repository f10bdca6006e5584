"""Asymmetric CMKs: the RSA, ECC and SM2 key usages, GetPublicKey, AsymmetricRsaDecrypt,
AsymmetricSm2Decrypt, SignByAsymmetricKey and VerifyByAsymmetricKey.

A private key is stored only wrapped under the root key, as the key's one KeyVersion;
the public key lives in ``key.extra`` as Base64 DER. Unwrapped key objects are cached in
memory per service (never persisted), as symmetric keys are, so the hot path pays for
the signature or decryption alone.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.binary import decode_binary
from kmslab.core.context import CallContext
from kmslab.core.groups import ActionGroup, KeyUsage
from kmslab.core.material import open_version, seal_version
from kmslab.core.model import Key
from kmslab.crypto import asymmetric as asym
from kmslab.crypto import sm2

FIPS_AND_SM = frozenset({"FIPS", "SM"})
SM_ONLY = frozenset({"SM"})
MAX_MESSAGE = 4096
MAX_SM2_CIPHERTEXT = 256


@dataclass(frozen=True)
class KeyKind:
    """How keys of one family are made and loaded: ``generate(random) -> PKCS#8 DER``."""

    name: str
    generate: Callable
    load: Callable[[bytes], object]
    public_der: Callable[[object], bytes]


RSA = KeyKind("RSA", lambda random: asym.generate_rsa_der(), asym.load_private, asym.public_der)
P256 = KeyKind(
    "P-256",
    lambda random: asym.generate_ec_der("P-256", random),
    asym.load_private,
    asym.public_der,
)
P384 = KeyKind(
    "P-384",
    lambda random: asym.generate_ec_der("P-384", random),
    asym.load_private,
    asym.public_der,
)
SM2 = KeyKind("SM2", sm2.generate_private_der, sm2.load_private, sm2.public_der)

KINDS: dict[str, KeyKind] = {}
"""KeyUsage -> the key family behind it (asymmetric usages only)."""

SIGN_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "ASYMMETRIC_SIGN_VERIFY_SM2": ("SM2DSA",),
    "ASYMMETRIC_SIGN_VERIFY_ECC": ("ECC_P256_R1",),
    "ASYMMETRIC_SIGN_VERIFY_RSA_2048": ("RSA_PSS_SHA_256", "RSA_PKCS1_SHA_256"),
    # The documentation names no algorithm for ECDSA-384 keys; kmslab's is the first, and
    # it also accepts the name ListAlgorithms reports for the usage (docs/algorithms.md).
    "ASYMMETRIC_SIGN_VERIFY_ECDSA384": ("ECDSA_P384_SHA_384", "ECDSA384_SHA384"),
}
"""Signing KeyUsage -> the signature ``Algorithm`` values it accepts."""

_ALIASES = {"ECDSA384_SHA384": "ECDSA_P384_SHA_384"}

# -- storage and the in-memory cache of unwrapped keys -----------------------------------


def store_private(ctx: CallContext, key: Key, der: bytes, public: bytes) -> None:
    """Make ``der`` the key's (only) version, wrapped under the root key, and record the
    public key in ``key.extra``."""
    seal_version(ctx.root, key, der, "private-key", ctx.seconds)
    key.extra["public_key"] = base64.b64encode(public).decode()


def unwrapped(ctx: CallContext, key: Key, load: Callable[[bytes], object]):
    """The key's private key object, unwrapped once per service and then kept in the
    service's secret cache."""
    version = key.versions[-1]
    slot = ("private-key", version.version)
    hit = ctx.secrets.get(key.key_id, slot, version.wrapped)
    if hit is None:
        obj = load(open_version(ctx.root, key, version, "private-key"))
        hit = ctx.secrets.put(key.key_id, slot, version.wrapped, obj)
    return hit


ASYMMETRIC_USAGES: list[KeyUsage] = []


def _register(usage: str, kind: KeyKind, algorithm: str, category: str, profiles) -> None:
    def generate(ctx: CallContext, key: Key) -> None:
        der = kind.generate(ctx.random)
        store_private(ctx, key, der, kind.public_der(kind.load(der)))

    KINDS[usage] = kind
    ASYMMETRIC_USAGES.append(
        KeyUsage(usage, lambda profile: algorithm, category, profiles, generate)
    )


_register("ASYMMETRIC_DECRYPT_RSA_2048", RSA, "RSA_2048", "asymmetric", FIPS_AND_SM)
_register("ASYMMETRIC_DECRYPT_SM2", SM2, "SM2", "asymmetric", SM_ONLY)
_register("ASYMMETRIC_SIGN_VERIFY_SM2", SM2, "SM2", "sign", SM_ONLY)
_register("ASYMMETRIC_SIGN_VERIFY_ECC", P256, "ECC", "sign", FIPS_AND_SM)
_register("ASYMMETRIC_SIGN_VERIFY_RSA_2048", RSA, "RSA_2048", "sign", FIPS_AND_SM)
_register("ASYMMETRIC_SIGN_VERIFY_ECDSA384", P384, "ECDSA384_SHA384", "sign", FIPS_AND_SM)

# -- shared checks ------------------------------------------------------------------------


def wrong_usage(key: Key, wanted: str) -> KMSError:
    """The answer for a key used for a purpose it was not created for."""
    return KMSError(
        "InvalidParameterValue.InvalidKeyUsage",
        f"key {key.key_id} is a {key.usage} key; this action needs {wanted}",
        detail_zh=f"密钥 {key.key_id} 的用途是 {key.usage}，不能用于此操作",
    )


def usable(ctx: CallContext, key_id: str, action_name: str, usages, wanted: str) -> Key:
    """The caller's key, in a state that allows the action and of one of ``usages``."""
    key = ctx.key(key_id)
    states.check(action_name, key)
    if key.usage not in usages:
        raise wrong_usage(key, wanted)
    return key


def _decrypt_error() -> KMSError:
    return KMSError(
        "FailedOperation.DecryptError",
        "the ciphertext could not be decrypted with this key",
        detail_zh="解密失败",
    )


# -- actions --------------------------------------------------------------------------------


def get_public_key(ctx: CallContext, params: dict) -> dict:
    key = ctx.key(params["KeyId"])
    states.check("GetPublicKey", key)
    public = key.extra.get("public_key")
    if not public:
        raise wrong_usage(key, "an asymmetric key")
    return {
        "KeyId": key.key_id,
        "PublicKey": public,
        "PublicKeyPem": asym.pem_from_der(
            base64.b64decode(public), key.extra.get("public_key_label", "PUBLIC KEY")
        ),
    }


def asymmetric_rsa_decrypt(ctx: CallContext, params: dict) -> dict:
    key = usable(
        ctx,
        params["KeyId"],
        "AsymmetricRsaDecrypt",
        ("ASYMMETRIC_DECRYPT_RSA_2048",),
        "an ASYMMETRIC_DECRYPT_RSA_2048 key",
    )
    private = unwrapped(ctx, key, RSA.load)
    try:
        ciphertext = base64.b64decode(params["Ciphertext"], validate=True)
        plaintext = asym.rsa_decrypt(private, ciphertext, params["Algorithm"])
    except (binascii.Error, ValueError, asym.DecryptFailed):
        raise _decrypt_error() from None
    return {"KeyId": key.key_id, "Plaintext": base64.b64encode(plaintext).decode()}


def asymmetric_sm2_decrypt(ctx: CallContext, params: dict) -> dict:
    key = usable(
        ctx,
        params["KeyId"],
        "AsymmetricSm2Decrypt",
        ("ASYMMETRIC_DECRYPT_SM2",),
        "an ASYMMETRIC_DECRYPT_SM2 key",
    )
    ciphertext = decode_binary(params["Ciphertext"], "Ciphertext")
    if len(ciphertext) > MAX_SM2_CIPHERTEXT:
        raise KMSError(
            "InvalidParameter",
            f"Ciphertext decodes to {len(ciphertext)} bytes; at most {MAX_SM2_CIPHERTEXT}",
            detail_zh=f"Ciphertext 解码后不能超过 {MAX_SM2_CIPHERTEXT} 字节",
        )
    private = unwrapped(ctx, key, SM2.load)
    try:
        plaintext = sm2.decrypt_der(private, ciphertext)
    except sm2.SM2Error:
        raise _decrypt_error() from None
    return {"KeyId": key.key_id, "Plaintext": base64.b64encode(plaintext).decode()}


def _signing_input(key: Key, params: dict) -> tuple[str, bytes, bool]:
    algorithm = params["Algorithm"]
    accepted = SIGN_ALGORITHMS[key.usage]
    if algorithm not in accepted:
        raise KMSError(
            "InvalidParameterValue",
            f"Algorithm {algorithm!r} does not fit a {key.usage} key; use {accepted[0]}",
            detail_zh=f"签名算法 {algorithm!r} 与密钥类型 {key.usage} 不匹配",
        )
    algorithm = _ALIASES.get(algorithm, algorithm)
    message = decode_binary(params["Message"], "Message")
    digest = params.get("MessageType", "RAW") == "DIGEST"
    if digest:
        size = 32 if algorithm == "SM2DSA" else asym.digest_size(algorithm)
        if len(message) != size:
            raise KMSError(
                "InvalidParameter",
                f"a DIGEST message for {algorithm} is {size} bytes, not {len(message)}",
                detail_zh=f"DIGEST 类型的消息长度必须为 {size} 字节",
            )
    elif not 0 < len(message) <= MAX_MESSAGE:
        raise KMSError(
            "InvalidParameter",
            f"a RAW message is 1 to {MAX_MESSAGE} bytes, not {len(message)}",
            detail_zh=f"RAW 类型的消息长度须为 1 到 {MAX_MESSAGE} 字节",
        )
    return algorithm, message, digest


_SIGNING = "an ASYMMETRIC_SIGN_VERIFY_* key"


def sign_by_asymmetric_key(ctx: CallContext, params: dict) -> dict:
    key = usable(ctx, params["KeyId"], "SignByAsymmetricKey", SIGN_ALGORITHMS, _SIGNING)
    algorithm, message, digest = _signing_input(key, params)
    private = unwrapped(ctx, key, KINDS[key.usage].load)
    if algorithm == "SM2DSA":
        if digest:
            signature = sm2.sign_digest(private, message, ctx.random)
        else:
            signature = sm2.sign(private, message, ctx.random)
    else:
        signature = asym.sign(private, algorithm, message, digest)
    return {"Signature": base64.b64encode(signature).decode()}


def verify_by_asymmetric_key(ctx: CallContext, params: dict) -> dict:
    key = usable(ctx, params["KeyId"], "VerifyByAsymmetricKey", SIGN_ALGORITHMS, _SIGNING)
    algorithm, message, digest = _signing_input(key, params)
    signature = decode_binary(params["SignatureValue"], "SignatureValue")
    private = unwrapped(ctx, key, KINDS[key.usage].load)
    if algorithm == "SM2DSA":
        public = private.public_key()
        if digest:
            valid = sm2.verify_digest(public, signature, message)
        else:
            valid = sm2.verify(public, signature, message)
    else:
        valid = asym.verify(private, algorithm, signature, message, digest)
    return {"SignatureValid": valid}


GROUP = ActionGroup(
    name="asymmetric",
    actions={
        "GetPublicKey": get_public_key,
        "AsymmetricRsaDecrypt": asymmetric_rsa_decrypt,
        "AsymmetricSm2Decrypt": asymmetric_sm2_decrypt,
        "SignByAsymmetricKey": sign_by_asymmetric_key,
        "VerifyByAsymmetricKey": verify_by_asymmetric_key,
    },
    read_only=frozenset(
        [
            "AsymmetricRsaDecrypt",
            "AsymmetricSm2Decrypt",
            "GetPublicKey",
            "SignByAsymmetricKey",
            "VerifyByAsymmetricKey",
        ]
    ),
    usages=tuple(ASYMMETRIC_USAGES),
)
"""Asymmetric CMKs: RSA, ECC and SM2 usages, public keys, decryption and signatures."""
