"""Tencent's two PQC usages against a second implementation, ``pqcrypto``, in both
directions and through the public API only: kmslab's ML-DSA-87 signatures verify in
``pqcrypto``, and a PQC blob assembled outside kmslab (``pqcrypto`` ML-KEM-1024 plus the
region's AEAD, in the format docs/algorithms.md documents) decrypts in kmslab."""

from __future__ import annotations

import struct
import uuid

import pytest
from asym_helpers import b64, code_of, make_key, unb64
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import load_der_public_key
from hypothesis import given, settings
from hypothesis import strategies as st

pqcrypto_kem = pytest.importorskip("pqcrypto.kem.ml_kem_1024")
pqcrypto_sig = pytest.importorskip("pqcrypto.sign.ml_dsa_87")
from pqcrypto import InvalidSignatureError  # noqa: E402

KYBER = "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES"
DILITHIUM = "ASYMMETRIC_SIGN_VERIFY_DILITHIUM"
# Region -> (AEAD suite id, AEAD key size), as docs/algorithms.md documents them.
AEADS = {"ap-guangzhou": (2, 16), "ap-hongkong": (1, 32)}


def raw_public(face, key_id: str) -> bytes:
    """The raw public key inside GetPublicKey's SubjectPublicKeyInfo, read by
    ``cryptography`` (not by kmslab)."""
    der = unb64(face.GetPublicKey(KeyId=key_id)["PublicKey"])
    return load_der_public_key(der).public_bytes_raw()


def _seal(region: str, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if AEADS[region][0] == 1:
        return AESGCM(key).encrypt(nonce, data, aad)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    return enc.update(data) + enc.finalize() + enc.tag


def outside_blob(
    face,
    key_id: str,
    plaintext: bytes,
    *,
    region: str,
    uin: int,
    nonce: bytes,
    aead_region: str | None = None,
) -> str:
    """A PQC CiphertextBlob made without kmslab: ``pqcrypto`` encapsulates to the key's
    public key, HKDF-SHA256 derives the DEM key, the region's AEAD seals (or the AEAD of
    ``aead_region``, to forge a blob of the wrong suite)."""
    aead_region = aead_region or region
    suite_id, key_size = AEADS[aead_region]
    header = struct.pack(">BB16sI", 1, 0x10 + suite_id, uuid.UUID(key_id).bytes, 1)
    kem_ciphertext, secret = pqcrypto_kem.encaps(raw_public(face, key_id))
    info = b"kmslab pqc dem v1\x00" + header
    dem_key = HKDF(hashes.SHA256(), key_size, None, info).derive(secret)
    fields = (header, str(uin).encode(), region.encode(), b"")
    aad = b"".join(struct.pack(">I", len(f)) + f for f in fields)
    sealed = _seal(aead_region, dem_key, nonce, plaintext, aad)
    return "-k-".join(b64(part) for part in (header, nonce, sealed, kem_ciphertext))


@pytest.mark.parametrize("region", sorted(AEADS))
def test_ml_dsa_87_signatures_verify_in_pqcrypto(kms, region):
    face = kms.in_region(region)
    key_id = make_key(face, DILITHIUM)
    public = raw_public(face, key_id)
    message = b"firmware image v2.1"
    signature = unb64(face.PostQuantumCryptoSign(KeyId=key_id, Message=b64(message))["Signature"])
    assert pqcrypto_sig.verify(public, message, signature) is None
    with pytest.raises(InvalidSignatureError):
        pqcrypto_sig.verify(public, message + b"!", signature)
    other = raw_public(face, make_key(face, DILITHIUM))
    with pytest.raises(InvalidSignatureError):
        pqcrypto_sig.verify(other, message, signature)


def test_pqcrypto_signatures_are_not_accepted_for_another_key(kms):
    key_id = make_key(kms, DILITHIUM)
    public, secret = pqcrypto_sig.keygen()
    signature = pqcrypto_sig.sign(secret, b"m")
    answer = kms.PostQuantumCryptoVerify(
        KeyId=key_id, Message=b64(b"m"), SignatureValue=b64(signature)
    )
    assert answer["SignatureValid"] is False


@pytest.mark.parametrize("region", sorted(AEADS))
def test_blob_assembled_with_pqcrypto_decrypts_in_kmslab(kms, region):
    face = kms.in_region(region)
    key_id = make_key(face, KYBER)
    plaintext = b"assembled outside kmslab"
    text = outside_blob(
        face, key_id, plaintext, region=region, uin=kms.default_uin, nonce=bytes(range(12))
    )
    answer = face.PostQuantumCryptoDecrypt(CiphertextBlob=text)
    assert answer["KeyId"] == key_id
    assert unb64(answer["PlainText"]) == plaintext


@pytest.mark.parametrize(
    ("region", "uin", "aead_region"),
    [
        ("ap-hongkong", 1, None),  # sealed for another account
        ("ap-guangzhou", None, "ap-hongkong"),  # AES-256-GCM framing in an SM region
        ("ap-hongkong", None, "ap-guangzhou"),  # SM4-GCM framing in a FIPS region
    ],
)
def test_outside_blob_bound_to_account_and_suite(kms, region, uin, aead_region):
    face = kms.in_region(region)
    key_id = make_key(face, KYBER)
    uin = kms.default_uin if uin is None else uin
    text = outside_blob(
        face, key_id, b"x", region=region, uin=uin, nonce=bytes(12), aead_region=aead_region
    )
    assert code_of(face.PostQuantumCryptoDecrypt, CiphertextBlob=text) == (
        "InvalidParameterValue.InvalidCiphertext"
    )


@pytest.fixture(scope="module")
def hk_kyber(kms):
    face = kms.in_region("ap-hongkong")
    return face, make_key(face, KYBER)


@settings(max_examples=25, deadline=None)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_changed_byte_of_outside_blob_never_decrypts(kms, hk_kyber, position, flip):
    face, key_id = hk_kyber
    region = "ap-hongkong"
    text = outside_blob(
        face, key_id, b"secret", region=region, uin=kms.default_uin, nonce=bytes(12)
    )
    segments = [unb64(s) for s in text.split("-k-")]
    total = sum(len(s) for s in segments)
    position %= total
    for i, seg in enumerate(segments):
        if position < len(seg):
            changed = bytearray(seg)
            changed[position] ^= flip
            segments[i] = bytes(changed)
            break
        position -= len(seg)
    bad = "-k-".join(b64(s) for s in segments)
    assert code_of(face.PostQuantumCryptoDecrypt, CiphertextBlob=bad).startswith(
        ("InvalidParameterValue.InvalidCiphertext", "ResourceUnavailable.CmkNotFound")
    )
