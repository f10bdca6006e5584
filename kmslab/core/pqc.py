"""Post-quantum CMKs: ``ASYMMETRIC_Encrypt_Decrypt_Kyber_AES`` (ML-KEM-1024 KEM-DEM with
the region's AEAD) and ``ASYMMETRIC_SIGN_VERIFY_DILITHIUM`` (ML-DSA-87), and the four
PostQuantumCrypto* actions.

A PQC blob is the symmetric blob's three ``-k-`` segments (header, nonce, AEAD output)
followed by a fourth, the ML-KEM ciphertext. The header carries a suite id of its own,
so symmetric and PQC blobs are never taken for each other; the AEAD key is derived from
the KEM secret and the header, and the header, account and region are associated data.

Opt-in experiments (``KMS(extensions=["pqc"])``): every other ``pqcrypto`` parameter set
(ML-KEM-512/768, HQC, the smaller Classic McEliece sets, sntrup761, ML-DSA-44/65,
SLH-DSA) becomes a ``KMSLAB_EXT_PQC_*`` key usage through the same four actions and the
same blob format. Off (the default), they answer ``InvalidParameterValue.InvalidKeyUsage``,
so the service stays exact to Tencent.
"""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass, field

from kmslab.actions.errors import KMSError
from kmslab.core import states
from kmslab.core.asymmetric import FIPS_AND_SM, store_private, unwrapped, wrong_usage
from kmslab.core.binary import decode_binary
from kmslab.core.context import CallContext
from kmslab.core.groups import ActionGroup, KeyUsage
from kmslab.core.returned_plaintext import returned_plaintext
from kmslab.core.symmetric import decode_plaintext, find_blob_key, invalid_ciphertext
from kmslab.crypto import blob as blobs
from kmslab.crypto import pqc
from kmslab.crypto import pqc_families as fam
from kmslab.crypto.asymmetric import public_der

KYBER = "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES"
DILITHIUM = "ASYMMETRIC_SIGN_VERIFY_DILITHIUM"
PQC_SUITE_OFFSET = 0x10
"""A PQC blob's suite id is this plus the region AEAD's suite id."""
MAX_MESSAGE = 4096


def _generate_kem(ctx: CallContext, key) -> None:
    seed = ctx.random.bytes(pqc.MLKEM_SEED)
    store_private(ctx, key, seed, public_der(pqc.mlkem_from_seed(seed)))


def _generate_dsa(ctx: CallContext, key) -> None:
    seed = ctx.random.bytes(pqc.MLDSA_SEED)
    store_private(ctx, key, seed, public_der(pqc.mldsa_from_seed(seed)))


PQC_USAGES = (
    KeyUsage(KYBER, lambda p: "Kyber_AES", "asymmetric", FIPS_AND_SM, _generate_kem),
    KeyUsage(DILITHIUM, lambda p: "Dilithium", "sign", FIPS_AND_SM, _generate_dsa),
)

# -- the opt-in extension ------------------------------------------------------------------

EXTENSION = "pqc"
"""The name that switches the extension on: ``KMS(extensions=["pqc"])``."""
EXTENSION_PREFIX = "KMSLAB_EXT_PQC_"
"""Every extension usage starts with this: the mark that it is kmslab's, not Tencent's."""
_TENCENT_LEVELS = ("ML-KEM-1024", "ML-DSA-87")  # built in, from cryptography


def extension_usage(params: fam.ParameterSet) -> str:
    """The KeyUsage of a parameter set: ``KMSLAB_EXT_PQC_KEM_HQC_128``, and so on."""
    kind = "KEM_" if params.kind == "kem" else "SIGN_"
    return EXTENSION_PREFIX + kind + params.name.upper().replace("-", "_")


EXTENSION_SETS: dict[str, fam.ParameterSet] = {
    extension_usage(p): p for p in fam.PARAMETER_SETS if p.name not in _TENCENT_LEVELS
}
"""Extension KeyUsage -> its ``pqcrypto`` parameter set."""


def extensions_on(ctx: CallContext) -> bool:
    """Whether this service was created with the PQC extension."""
    return EXTENSION in ctx.settings.options.get("extensions", ())


def extension_off(usage: str) -> KMSError:
    """The answer for an extension usage on a service without the extension."""
    return KMSError(
        "InvalidParameterValue.InvalidKeyUsage",
        f"{usage} is a kmslab extension; create the service with KMS(extensions=['pqc'])",
        detail_zh=f"{usage} 是 kmslab 扩展算法，需以 KMS(extensions=['pqc']) 创建服务",
    )


@dataclass(frozen=True)
class _Loaded:
    """An extension key made ready: its parameter set, raw secret and public keys, and
    the size of its KEM ciphertexts or signatures."""

    params: fam.ParameterSet
    secret: bytes = field(repr=False)  # never shown, even by a debugger's repr
    public: bytes = field(repr=False)
    output_size: int


def _extension_key_usage(usage: str, params: fam.ParameterSet) -> KeyUsage:
    def generate(ctx: CallContext, key) -> None:
        public, secret = params.keygen()
        store_private(ctx, key, secret, params.encode_public(public))
        if params.oid is None:  # no standard OID: the PEM names the raw key's algorithm
            key.extra["public_key_label"] = f"{params.name.upper()} PUBLIC KEY"

    category = "asymmetric" if params.kind == "kem" else "sign"
    return KeyUsage(usage, lambda p: params.name, category, FIPS_AND_SM, generate)


EXTENSION_GROUP = ActionGroup(
    name="pqc-extension",
    actions={},
    usages=tuple(_extension_key_usage(u, p) for u, p in EXTENSION_SETS.items()),
)
"""The opt-in group a service adds for ``extensions=["pqc"]``: key usages only (the four
PostQuantumCrypto* actions serve them). Without it they are unknown usages."""


_BY_KIND = {
    kind: tuple(u for u, p in EXTENSION_SETS.items() if p.kind == kind) for kind in ("kem", "sign")
}
_BUILTIN = {"kem": KYBER, "sign": DILITHIUM}
_ALLOWED = {
    (kind, on): frozenset((_BUILTIN[kind], *(_BY_KIND[kind] if on else ())))
    for kind in ("kem", "sign")
    for on in (False, True)
}
"""(kind, extension on) -> the key usages the PQC actions of that kind serve."""


def _loaded(ctx: CallContext, key) -> _Loaded:
    """The extension key's secret and raw public key, unwrapped and decoded once per
    service (the cache of asymmetric keys), then reused."""
    params = EXTENSION_SETS[key.usage]

    def load(secret: bytes) -> _Loaded:
        public = params.decode_public(base64.b64decode(key.extra["public_key"]))
        return _Loaded(params, secret, public, params.output_size)

    return unwrapped(ctx, key, load)


def _usable(ctx: CallContext, params: dict, action_name: str, kind: str):
    """The caller's key for a PQC action: the built-in usage, or with the extension on
    an extension usage of the same kind; an extension key of a service without the
    extension gets the invalid-usage answer that says so."""
    on = extensions_on(ctx)
    key = ctx.key(params["KeyId"])
    states.check(action_name, key)
    if key.usage in _ALLOWED[kind, on]:
        return key
    if key.usage in EXTENSION_SETS and not on:
        raise extension_off(key.usage)
    extension = " or a kmslab PQC extension key" if on else ""
    raise wrong_usage(key, f"a {_BUILTIN[kind]} key{extension}")


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


@functools.lru_cache(maxsize=65536)
def _sealing(suite_id: int, key_id: str, version: int, uin: int, region: str):
    """(header, its Base64 text, associated data) of a key version's PQC blobs: the same
    in every blob the version seals for its account and region, so built once."""
    header = blobs.make_header(PQC_SUITE_OFFSET + suite_id, key_id, version)
    return header, _b64(header), blobs.associated_data(header, str(uin), region, b"")


@functools.lru_cache(maxsize=65536)
def _opening_aad(header: bytes, uin: int, region: str) -> bytes:
    # Only the header of a blob that fits one of the caller's key versions reaches here.
    return blobs.associated_data(header, str(uin), region, b"")


def post_quantum_crypto_encrypt(ctx: CallContext, params: dict) -> dict:
    key = _usable(ctx, params, "PostQuantumCryptoEncrypt", "kem")
    plaintext = decode_plaintext(params["PlainText"], "PlainText")
    suite = ctx.suite
    header, header_text, aad = _sealing(
        suite.suite_id, key.key_id, key.versions[-1].version, ctx.uin, ctx.region
    )
    if key.usage == KYBER:
        public = unwrapped(ctx, key, pqc.mlkem_prepared).public
        secret, kem_ciphertext = pqc.encapsulate_to(public)
    else:
        loaded = _loaded(ctx, key)
        secret, kem_ciphertext = loaded.params.encaps(loaded.public)
    nonce = ctx.random.bytes(12)
    sealed = pqc.dem_seal(suite, secret, header, nonce, plaintext, aad)
    text = blobs.SEPARATOR.join((header_text, _b64(nonce), _b64(sealed), _b64(kem_ciphertext)))
    return {"CiphertextBlob": text, "KeyId": key.key_id}


def post_quantum_crypto_decrypt(ctx: CallContext, params: dict) -> dict:
    text = params["CiphertextBlob"]
    head, _, kem_text = text.rpartition(blobs.SEPARATOR)
    try:
        kem_ciphertext = blobs.strict_b64decode(kem_text)
    except blobs.MalformedBlob as exc:
        raise invalid_ciphertext(f"CiphertextBlob is not a kmslab PQC ciphertext ({exc})") from None
    blob, key = find_blob_key(ctx, head, "kmslab PQC")
    suite = ctx.suite
    if (
        key.usage not in _ALLOWED["kem", extensions_on(ctx)]
        or blob.suite_id != PQC_SUITE_OFFSET + suite.suite_id
    ):
        raise invalid_ciphertext("CiphertextBlob does not belong to a PQC encryption key")
    states.check("PostQuantumCryptoDecrypt", key)
    if key.usage == KYBER:
        size = pqc.MLKEM_CIPHERTEXT
    else:
        loaded = _loaded(ctx, key)
        size = loaded.output_size
    if blob.version != key.versions[-1].version or len(kem_ciphertext) != size:
        raise invalid_ciphertext("CiphertextBlob does not fit this key")
    if key.usage == KYBER:
        private = unwrapped(ctx, key, pqc.mlkem_prepared).private
        secret = pqc.decapsulate(private, kem_ciphertext)
    else:
        secret = loaded.params.decaps(loaded.secret, kem_ciphertext)
    aad = _opening_aad(blob.header, ctx.uin, ctx.region)
    try:
        plaintext = pqc.dem_open(suite, secret, blob.header, blob.nonce, blob.sealed, aad)
    except Exception:
        raise invalid_ciphertext("CiphertextBlob was altered or belongs elsewhere") from None
    return {"KeyId": key.key_id, "PlainText": returned_plaintext(params, plaintext, ctx.random)}


def post_quantum_crypto_sign(ctx: CallContext, params: dict) -> dict:
    key = _usable(ctx, params, "PostQuantumCryptoSign", "sign")
    message = decode_binary(params["Message"], "Message", max_bytes=MAX_MESSAGE)
    if key.usage == DILITHIUM:
        signature = pqc.sign(unwrapped(ctx, key, pqc.mldsa_prepared).private, message)
    else:
        loaded = _loaded(ctx, key)
        signature = loaded.params.sign(loaded.secret, message)
    return {"Signature": _b64(signature)}


def post_quantum_crypto_verify(ctx: CallContext, params: dict) -> dict:
    key = _usable(ctx, params, "PostQuantumCryptoVerify", "sign")
    message = decode_binary(params["Message"], "Message", max_bytes=MAX_MESSAGE)
    signature = decode_binary(params["SignatureValue"], "SignatureValue")
    if key.usage == DILITHIUM:
        public = unwrapped(ctx, key, pqc.mldsa_prepared).public
        valid = pqc.verify_public(public, signature, message)
    else:
        loaded = _loaded(ctx, key)
        valid = loaded.params.verify(loaded.public, message, signature)
    return {"SignatureValid": valid}


GROUP = ActionGroup(
    name="pqc",
    actions={
        "PostQuantumCryptoEncrypt": post_quantum_crypto_encrypt,
        "PostQuantumCryptoDecrypt": post_quantum_crypto_decrypt,
        "PostQuantumCryptoSign": post_quantum_crypto_sign,
        "PostQuantumCryptoVerify": post_quantum_crypto_verify,
    },
    read_only=frozenset(
        [
            "PostQuantumCryptoDecrypt",
            "PostQuantumCryptoEncrypt",
            "PostQuantumCryptoSign",
            "PostQuantumCryptoVerify",
        ]
    ),
    usages=PQC_USAGES,
)
"""Post-quantum CMKs: ML-KEM-1024 encryption and ML-DSA-87 signatures."""
