"""Post-quantum CMKs: ``ASYMMETRIC_Encrypt_Decrypt_Kyber_AES`` (ML-KEM-1024 KEM-DEM with
the region's AEAD) and ``ASYMMETRIC_SIGN_VERIFY_DILITHIUM`` (ML-DSA-87), and the four
PostQuantumCrypto* actions.

A PQC blob is the symmetric blob's three ``-k-`` segments (header, nonce, AEAD output)
followed by a fourth, the ML-KEM ciphertext. The header carries a suite id of its own,
so symmetric and PQC blobs are never taken for each other; the AEAD key is derived from
the KEM secret and the header, and the header, account and region are associated data.
"""

from __future__ import annotations

import base64

from kmslab.core import states
from kmslab.core.asymmetric import FIPS_AND_SM, store_private, unwrapped, usable
from kmslab.core.binary import decode_binary
from kmslab.core.context import CallContext
from kmslab.core.groups import ActionGroup, KeyUsage
from kmslab.core.returned_plaintext import returned_plaintext
from kmslab.core.symmetric import decode_plaintext, find_blob_key, invalid_ciphertext
from kmslab.crypto import blob as blobs
from kmslab.crypto import pqc
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


def post_quantum_crypto_encrypt(ctx: CallContext, params: dict) -> dict:
    key = usable(ctx, params["KeyId"], "PostQuantumCryptoEncrypt", (KYBER,), f"a {KYBER} key")
    plaintext = decode_plaintext(params["PlainText"], "PlainText")
    private = unwrapped(ctx, key, pqc.mlkem_from_seed)
    suite = ctx.suite
    version = key.versions[-1].version
    header = blobs.make_header(PQC_SUITE_OFFSET + suite.suite_id, key.key_id, version)
    secret, kem_ciphertext = pqc.encapsulate(private)
    nonce = ctx.random.bytes(12)
    aad = blobs.associated_data(header, str(ctx.uin), ctx.region, b"")
    sealed = suite.prepare(pqc.dem_key(secret, suite.key_size, header)).seal(nonce, plaintext, aad)
    text = blobs.encode(header, nonce, sealed) + blobs.SEPARATOR
    text += base64.b64encode(kem_ciphertext).decode()
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
    if key.usage != KYBER or blob.suite_id != PQC_SUITE_OFFSET + suite.suite_id:
        raise invalid_ciphertext("CiphertextBlob does not belong to a PQC encryption key")
    states.check("PostQuantumCryptoDecrypt", key)
    if blob.version != key.versions[-1].version or len(kem_ciphertext) != pqc.MLKEM_CIPHERTEXT:
        raise invalid_ciphertext("CiphertextBlob does not fit this key")
    private = unwrapped(ctx, key, pqc.mlkem_from_seed)
    secret = pqc.decapsulate(private, kem_ciphertext)
    aad = blobs.associated_data(blob.header, str(ctx.uin), ctx.region, b"")
    aead = suite.prepare(pqc.dem_key(secret, suite.key_size, blob.header))
    try:
        plaintext = aead.open(blob.nonce, blob.sealed, aad)
    except Exception:
        raise invalid_ciphertext("CiphertextBlob was altered or belongs elsewhere") from None
    return {"KeyId": key.key_id, "PlainText": returned_plaintext(params, plaintext, ctx.random)}


def post_quantum_crypto_sign(ctx: CallContext, params: dict) -> dict:
    key = usable(ctx, params["KeyId"], "PostQuantumCryptoSign", (DILITHIUM,), f"a {DILITHIUM} key")
    message = decode_binary(params["Message"], "Message", max_bytes=MAX_MESSAGE)
    signature = pqc.sign(unwrapped(ctx, key, pqc.mldsa_from_seed), message)
    return {"Signature": base64.b64encode(signature).decode()}


def post_quantum_crypto_verify(ctx: CallContext, params: dict) -> dict:
    key = usable(
        ctx, params["KeyId"], "PostQuantumCryptoVerify", (DILITHIUM,), f"a {DILITHIUM} key"
    )
    message = decode_binary(params["Message"], "Message", max_bytes=MAX_MESSAGE)
    signature = decode_binary(params["SignatureValue"], "SignatureValue")
    valid = pqc.verify(unwrapped(ctx, key, pqc.mldsa_from_seed), signature, message)
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
