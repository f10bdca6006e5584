"""SM2 against independent implementations (gmalg, gmssl), post-quantum keys, and data
returned under a caller's EncryptionPublicKey for every EncryptionAlgorithm."""

from __future__ import annotations

import gmalg
import pytest
from asym_helpers import b64, code_of, make_key, unb64
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from gmssl import sm2 as gmssl_sm2

import kmslab
from kmslab.crypto import sm2 as kms_sm2
from kmslab.crypto.asymmetric import pem_from_der
from kmslab.crypto.sm2_der import public_to_der

UID = b"1234567812345678"


def _point(kms, key_id) -> bytes:
    der = unb64(kms.GetPublicKey(KeyId=key_id)["PublicKey"])
    return der[-65:]  # the uncompressed point ends the SubjectPublicKeyInfo


def test_sm3_abc_vector():
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_sm2_signatures_verify_in_gmalg_and_gmssl(kms):
    key_id = make_key(kms, "ASYMMETRIC_SIGN_VERIFY_SM2")
    point = _point(kms, key_id)
    outside = gmalg.SM2(pk=point, uid=UID)
    message = b"sign me with SM2"
    sig = unb64(
        kms.SignByAsymmetricKey(KeyId=key_id, Algorithm="SM2DSA", Message=b64(message))["Signature"]
    )
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(sig)
    assert outside.verify(message, r.to_bytes(32, "big"), s.to_bytes(32, "big"))
    # gmssl agrees (default uid, DER signature).
    crypt = gmssl_sm2.CryptSM2(private_key="", public_key=point[1:].hex(), asn1=True)
    assert crypt.verify_with_sm3(sig.hex(), message)
    # DIGEST: e = SM3(Z_A || M), computed outside.
    z = outside._core.entity_info(UID, outside._pk)
    h = hashes.Hash(hashes.SM3())
    h.update(z + message)
    e = h.finalize()
    dsig = unb64(
        kms.SignByAsymmetricKey(
            KeyId=key_id, Algorithm="SM2DSA", Message=b64(e), MessageType="DIGEST"
        )["Signature"]
    )
    r, s = decode_dss_signature(dsig)
    assert outside.verify(message, r.to_bytes(32, "big"), s.to_bytes(32, "big"))
    for sent, mtype in [(message, "RAW"), (e, "DIGEST")]:
        for signature in (sig, dsig):
            out = kms.VerifyByAsymmetricKey(
                KeyId=key_id,
                Algorithm="SM2DSA",
                Message=b64(sent),
                MessageType=mtype,
                SignatureValue=b64(signature),
            )
            assert out["SignatureValid"] is True
    bad = kms.VerifyByAsymmetricKey(
        KeyId=key_id, Algorithm="SM2DSA", Message=b64(b"other"), SignatureValue=b64(sig)
    )
    assert bad["SignatureValid"] is False


def test_sm2_signatures_reproduce_in_deterministic_mode():
    sigs = []
    for _ in range(2):
        k = kmslab.KMS(seed=5)
        key_id = make_key(k, "ASYMMETRIC_SIGN_VERIFY_SM2")
        sigs.append(
            k.SignByAsymmetricKey(KeyId=key_id, Algorithm="SM2DSA", Message="bQ==")["Signature"]
        )
    assert sigs[0] == sigs[1]


@pytest.mark.parametrize("size", [1, 3, 4, 32, 140])
def test_sm2_decrypt_of_gmalg_ciphertexts(kms, size):
    key_id = make_key(kms, "ASYMMETRIC_DECRYPT_SM2")
    raw = gmalg.SM2(pk=_point(kms, key_id)).encrypt(b"p" * size)  # 04 || x || y || C3 || C2
    der = kms_sm2.raw_to_der(raw[1:])
    out = kms.AsymmetricSm2Decrypt(KeyId=key_id, Ciphertext=b64(der))
    assert unb64(out["Plaintext"]) == b"p" * size


def test_sm2_decrypt_errors(kms):
    key_id = make_key(kms, "ASYMMETRIC_DECRYPT_SM2")
    der = kms_sm2.raw_to_der(gmalg.SM2(pk=_point(kms, key_id)).encrypt(b"test")[1:])
    altered = der[:-1] + bytes([der[-1] ^ 1])
    assert code_of(kms.AsymmetricSm2Decrypt, KeyId=key_id, Ciphertext=b64(altered)) == (
        "FailedOperation.DecryptError"
    )
    assert code_of(kms.AsymmetricSm2Decrypt, KeyId=key_id, Ciphertext=b64(b"\x30\x00")) == (
        "FailedOperation.DecryptError"
    )
    big = kms_sm2.raw_to_der(gmalg.SM2(pk=_point(kms, key_id)).encrypt(b"p" * 200)[1:])
    assert code_of(kms.AsymmetricSm2Decrypt, KeyId=key_id, Ciphertext=b64(big)) == (
        "InvalidParameter"
    )


def test_pqc_encrypt_decrypt_and_tamper(kms, fips):
    for face in (kms, fips):
        key_id = make_key(face, "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES")
        blob = face.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=b64(b"pq data"))[
            "CiphertextBlob"
        ]
        out = face.PostQuantumCryptoDecrypt(CiphertextBlob=blob)
        assert unb64(out["PlainText"]) == b"pq data" and out["KeyId"] == key_id
        head, kem = blob.rsplit("-k-", 1)
        raw = bytearray(unb64(kem))
        raw[5] ^= 1
        assert code_of(face.PostQuantumCryptoDecrypt, CiphertextBlob=head + "-k-" + b64(raw)) == (
            "InvalidParameterValue.InvalidCiphertext"
        )
        assert code_of(face.Decrypt, CiphertextBlob=blob) == (
            "InvalidParameterValue.InvalidCiphertext"
        )
        assert code_of(face.PostQuantumCryptoDecrypt, CiphertextBlob="garbage") == (
            "InvalidParameterValue.InvalidCiphertext"
        )


def test_pqc_sign_verify(kms):
    key_id = make_key(kms, "ASYMMETRIC_SIGN_VERIFY_DILITHIUM")
    sig = unb64(kms.PostQuantumCryptoSign(KeyId=key_id, Message=b64(b"msg"))["Signature"])
    assert len(sig) == 4627  # ML-DSA-87
    from cryptography.hazmat.primitives.asymmetric import mldsa

    pub = serialization.load_der_public_key(unb64(kms.GetPublicKey(KeyId=key_id)["PublicKey"]))
    assert isinstance(pub, mldsa.MLDSA87PublicKey)
    pub.verify(sig, b"msg")
    ok = kms.PostQuantumCryptoVerify(KeyId=key_id, Message=b64(b"msg"), SignatureValue=b64(sig))
    assert ok["SignatureValid"] is True
    bad = kms.PostQuantumCryptoVerify(KeyId=key_id, Message=b64(b"msh"), SignatureValue=b64(sig))
    assert bad["SignatureValid"] is False


def test_pqc_keys_reproduce_in_deterministic_mode():
    pubs = []
    for _ in range(2):
        k = kmslab.KMS(seed=11)
        pubs.append(
            [
                k.GetPublicKey(KeyId=make_key(k, u))["PublicKey"]
                for u in (
                    "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
                    "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
                    "ASYMMETRIC_DECRYPT_SM2",
                )
            ]
        )
    assert pubs[0] == pubs[1]


# -- EncryptionPublicKey ---------------------------------------------------------------------

_RSA_CALLER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_RSA_PEM = (
    _RSA_CALLER.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
_SM2_D, _SM2_POINT = gmalg.SM2().generate_keypair()  # the caller's key, outside kmslab
_SM2_PEM = pem_from_der(
    public_to_der(int.from_bytes(_SM2_POINT[1:33], "big"), int.from_bytes(_SM2_POINT[33:], "big"))
)
_SM2_HEX = _SM2_D.hex().rjust(64, "0")
PADS = {
    "RSAES_PKCS1_V1_5": padding.PKCS1v15(),
    "RSAES_OAEP_SHA_1": padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None),
    "RSAES_OAEP_SHA_256": padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None),
}


def _open_outside(algorithm: str, data: bytes) -> bytes:
    if algorithm in PADS:
        return _RSA_CALLER.decrypt(data, PADS[algorithm])
    if algorithm == "SM2_C1C3C2_ASN1":
        data = kms_sm2.der_to_raw(data)
    assert len(data) == 64 + 32 + len(data) - 96
    return gmssl_sm2.CryptSM2(private_key=_SM2_HEX, public_key="", mode=1).decrypt(data)


ALGORITHMS = ["SM2", "SM2_C1C3C2_ASN1", *PADS]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_plaintext_under_caller_public_key(kms, algorithm):
    pem = _RSA_PEM if algorithm in PADS else _SM2_PEM
    key_id = kms.CreateKey(Alias=f"wrap-{algorithm.replace('_', '-')}")["KeyId"]
    gen = kms.GenerateDataKey(
        KeyId=key_id, KeySpec="AES_256", EncryptionPublicKey=pem, EncryptionAlgorithm=algorithm
    )
    data_key = _open_outside(algorithm, unb64(gen["Plaintext"]))
    assert len(data_key) == 32
    if algorithm == "SM2":
        assert len(unb64(gen["Plaintext"])) == 128  # catalog 7.2: 64 + 32 + 32
    dec = kms.Decrypt(
        CiphertextBlob=gen["CiphertextBlob"], EncryptionPublicKey=pem, EncryptionAlgorithm=algorithm
    )
    assert _open_outside(algorithm, unb64(dec["Plaintext"])) == data_key
    pq = make_key(kms, "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES")
    blob = kms.PostQuantumCryptoEncrypt(KeyId=pq, PlainText=b64(b"pq"))["CiphertextBlob"]
    out = kms.PostQuantumCryptoDecrypt(
        CiphertextBlob=blob, EncryptionPublicKey=pem, EncryptionAlgorithm=algorithm
    )
    assert _open_outside(algorithm, unb64(out["PlainText"])) == b"pq"


def test_sm2_is_the_default_wrapping(kms):
    key_id = kms.CreateKey(Alias="wrap-default")["KeyId"]
    gen = kms.GenerateDataKey(KeyId=key_id, NumberOfBytes=16, EncryptionPublicKey=_SM2_PEM)
    assert len(_open_outside("SM2", unb64(gen["Plaintext"]))) == 16


@pytest.mark.parametrize(
    ("pem", "algorithm", "code"),
    [
        ("not a pem", "SM2", "InvalidParameter"),
        (_RSA_PEM, "SM2", "InvalidParameter"),
        (_SM2_PEM, "RSAES_OAEP_SHA_256", "InvalidParameter"),
    ],
)
def test_bad_encryption_public_key(kms, pem, algorithm, code):
    key_id = kms.CreateKey(Alias=f"badwrap{abs(hash((pem, algorithm))) % 10**8}")["KeyId"]
    assert (
        code_of(
            kms.GenerateDataKey,
            KeyId=key_id,
            NumberOfBytes=16,
            EncryptionPublicKey=pem,
            EncryptionAlgorithm=algorithm,
        )
        == code
    )


def test_wrapping_failure_is_encryption_error(kms):
    key_id = kms.CreateKey(Alias="wrap-too-long")["KeyId"]
    assert code_of(
        kms.GenerateDataKey,
        KeyId=key_id,
        NumberOfBytes=1024,
        EncryptionPublicKey=_RSA_PEM,
        EncryptionAlgorithm="RSAES_OAEP_SHA_256",
    ) == ("FailedOperation.EncryptionError")
