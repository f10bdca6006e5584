"""Asymmetric CMKs: public keys, RSA decryption, signatures, states and usages, checked
against ``cryptography`` (RSA, ECDSA) as an independent implementation."""

from __future__ import annotations

import hashlib

import pytest
from asym_helpers import b64, code_of, make_key, unb64
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

import kmslab

OAEP = {
    "RSAES_PKCS1_V1_5": padding.PKCS1v15(),
    "RSAES_OAEP_SHA_1": padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None),
    "RSAES_OAEP_SHA_256": padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None),
}


@pytest.mark.parametrize(
    ("usage", "der_size"),
    [
        ("ASYMMETRIC_DECRYPT_RSA_2048", 294),
        ("ASYMMETRIC_SIGN_VERIFY_RSA_2048", 294),
        ("ASYMMETRIC_SIGN_VERIFY_ECC", 91),
        ("ASYMMETRIC_SIGN_VERIFY_ECDSA384", 120),
        ("ASYMMETRIC_DECRYPT_SM2", 91),
        ("ASYMMETRIC_SIGN_VERIFY_SM2", 91),
        ("ASYMMETRIC_SIGN_VERIFY_DILITHIUM", 2614),
        ("ASYMMETRIC_Encrypt_Decrypt_Kyber_AES", 1590),
    ],
)
def test_get_public_key_gives_der_and_a_proper_pem(kms, usage, der_size):
    key_id = make_key(kms, usage)
    out = kms.GetPublicKey(KeyId=key_id)
    der = unb64(out["PublicKey"])
    assert len(der) == der_size
    pem = out["PublicKeyPem"]
    assert pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert pem.endswith("-----END PUBLIC KEY-----\n")
    body = pem.splitlines()[1:-1]
    assert all(len(line) <= 64 for line in body)
    assert unb64("".join(body)) == der
    if "SM2" not in usage:
        assert (
            serialization.load_pem_public_key(pem.encode()).public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == der
        )


def test_symmetric_key_has_no_public_key(kms):
    key_id = kms.CreateKey(Alias="sym-no-pub")["KeyId"]
    assert code_of(kms.GetPublicKey, KeyId=key_id) == "InvalidParameterValue.InvalidKeyUsage"


@pytest.mark.parametrize("algorithm", list(OAEP))
def test_rsa_decrypt_of_data_encrypted_outside(kms, algorithm):
    key_id = make_key(kms, "ASYMMETRIC_DECRYPT_RSA_2048")
    pub = serialization.load_der_public_key(unb64(kms.GetPublicKey(KeyId=key_id)["PublicKey"]))
    ciphertext = pub.encrypt(b"secret data", OAEP[algorithm])
    out = kms.AsymmetricRsaDecrypt(KeyId=key_id, Ciphertext=b64(ciphertext), Algorithm=algorithm)
    assert unb64(out["Plaintext"]) == b"secret data"
    assert out["KeyId"] == key_id


def test_rsa_decrypt_fails_with_one_error(kms):
    key_id = make_key(kms, "ASYMMETRIC_DECRYPT_RSA_2048")
    pub = serialization.load_der_public_key(unb64(kms.GetPublicKey(KeyId=key_id)["PublicKey"]))
    good = pub.encrypt(b"x", OAEP["RSAES_OAEP_SHA_256"])
    bad_inputs = [
        (b64(good), "RSAES_OAEP_SHA_1"),  # wrong padding
        (b64(bytes([good[0] ^ 1]) + good[1:]), "RSAES_OAEP_SHA_256"),  # altered
        (b64(good[:-1]), "RSAES_OAEP_SHA_256"),  # wrong length
        (b64(b"\x00" * 256), "RSAES_OAEP_SHA_256"),
        ("not base64!", "RSAES_OAEP_SHA_256"),
    ]
    for text, algorithm in bad_inputs:
        with pytest.raises(kmslab.KMSError) as info:
            kms.AsymmetricRsaDecrypt(KeyId=key_id, Ciphertext=text, Algorithm=algorithm)
        assert info.value.code == "FailedOperation.DecryptError"
    # PKCS#1 v1.5 uses implicit rejection: a bad ciphertext yields unrelated bytes, not an
    # error, so it cannot serve as a padding oracle either.
    out = kms.AsymmetricRsaDecrypt(KeyId=key_id, Ciphertext=b64(good), Algorithm="RSAES_PKCS1_V1_5")
    assert unb64(out["Plaintext"]) != b"x"


SIGNERS = [
    ("ASYMMETRIC_SIGN_VERIFY_RSA_2048", "RSA_PSS_SHA_256", hashes.SHA256()),
    ("ASYMMETRIC_SIGN_VERIFY_RSA_2048", "RSA_PKCS1_SHA_256", hashes.SHA256()),
    ("ASYMMETRIC_SIGN_VERIFY_ECC", "ECC_P256_R1", hashes.SHA256()),
    ("ASYMMETRIC_SIGN_VERIFY_ECDSA384", "ECDSA_P384_SHA_384", hashes.SHA384()),
    ("ASYMMETRIC_SIGN_VERIFY_ECDSA384", "ECDSA384_SHA384", hashes.SHA384()),
]


def _outside_verify(pub, algorithm, signature, message, hash_, prehashed):
    chosen = Prehashed(hash_) if prehashed else hash_
    if algorithm == "RSA_PSS_SHA_256":
        pub.verify(signature, message, padding.PSS(padding.MGF1(hashes.SHA256()), 32), chosen)
    elif algorithm == "RSA_PKCS1_SHA_256":
        pub.verify(signature, message, padding.PKCS1v15(), chosen)
    else:
        pub.verify(signature, message, ec.ECDSA(chosen))


@pytest.mark.parametrize(("usage", "algorithm", "hash_"), SIGNERS)
@pytest.mark.parametrize("message_type", ["RAW", "DIGEST"])
def test_signatures_verify_outside_and_inside(fips, usage, algorithm, hash_, message_type):
    key_id = make_key(fips, usage)
    pub = serialization.load_der_public_key(unb64(fips.GetPublicKey(KeyId=key_id)["PublicKey"]))
    message = b"message to sign" * 10
    digest = hashlib.new(hash_.name, message).digest()
    sent = digest if message_type == "DIGEST" else message
    signature = unb64(
        fips.SignByAsymmetricKey(
            KeyId=key_id, Algorithm=algorithm, Message=b64(sent), MessageType=message_type
        )["Signature"]
    )
    # Outside, always as a digest of the message: RAW and DIGEST must agree.
    _outside_verify(pub, algorithm, signature, digest, hash_, True)
    _outside_verify(pub, algorithm, signature, message, hash_, False)
    common = dict(KeyId=key_id, Algorithm=algorithm, MessageType=message_type)
    ok = fips.VerifyByAsymmetricKey(SignatureValue=b64(signature), Message=b64(sent), **common)
    assert ok["SignatureValid"] is True
    bad = bytes([signature[0] ^ 1]) + signature[1:]
    out = fips.VerifyByAsymmetricKey(SignatureValue=b64(bad), Message=b64(sent), **common)
    assert out["SignatureValid"] is False
    other = bytes([sent[0] ^ 1]) + sent[1:]
    out = fips.VerifyByAsymmetricKey(SignatureValue=b64(signature), Message=b64(other), **common)
    assert out["SignatureValid"] is False


def test_ecdsa_signatures_and_keys_reproduce_in_deterministic_mode():
    outs = []
    for _ in range(2):
        k = kmslab.KMS(seed=99, region="ap-hongkong")
        row = []
        for usage, algorithm in [
            ("ASYMMETRIC_SIGN_VERIFY_ECC", "ECC_P256_R1"),
            ("ASYMMETRIC_SIGN_VERIFY_ECDSA384", "ECDSA_P384_SHA_384"),
            ("ASYMMETRIC_SIGN_VERIFY_RSA_2048", "RSA_PKCS1_SHA_256"),
        ]:
            key_id = make_key(k, usage)
            sig = k.SignByAsymmetricKey(KeyId=key_id, Algorithm=algorithm, Message=b64(b"m"))
            row.append((usage, k.GetPublicKey(KeyId=key_id)["PublicKey"], sig["Signature"]))
        outs.append(row)
    (ecc1, p384_1, rsa1), (ecc2, p384_2, rsa2) = outs
    assert ecc1 == ecc2 and p384_1 == p384_2
    # RSA key generation cannot take kmslab's random source (documented exception).
    assert rsa1[1] != rsa2[1]


@pytest.mark.parametrize(
    ("algorithm", "message_type", "message"),
    [
        ("ECC_P256_R1", "RAW", b""),
        ("ECC_P256_R1", "RAW", b"x" * 4097),
        ("ECC_P256_R1", "DIGEST", b"x" * 31),
        ("ECC_P256_R1", "DIGEST", b"x" * 48),
    ],
)
def test_bad_messages_are_refused(fips, algorithm, message_type, message):
    key_id = make_key(fips, "ASYMMETRIC_SIGN_VERIFY_ECC")
    code = code_of(
        fips.SignByAsymmetricKey,
        KeyId=key_id,
        Algorithm=algorithm,
        Message=b64(message),
        MessageType=message_type,
    )
    assert code == "InvalidParameter"


@pytest.mark.parametrize("algorithm", ["RSA_PSS_SHA_256", "SM2DSA", "ECDSA_P384_SHA_384", "MD5"])
def test_algorithm_must_fit_the_key(fips, algorithm):
    key_id = make_key(fips, "ASYMMETRIC_SIGN_VERIFY_ECC")
    code = code_of(fips.SignByAsymmetricKey, KeyId=key_id, Algorithm=algorithm, Message=b64(b"m"))
    assert code == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("usage", "call", "params"),
    [
        ("ENCRYPT_DECRYPT", "SignByAsymmetricKey", {"Algorithm": "ECC_P256_R1", "Message": "bQ=="}),
        (
            "ASYMMETRIC_DECRYPT_RSA_2048",
            "SignByAsymmetricKey",
            {"Algorithm": "RSA_PSS_SHA_256", "Message": "bQ=="},
        ),
        (
            "ASYMMETRIC_SIGN_VERIFY_RSA_2048",
            "AsymmetricRsaDecrypt",
            {"Ciphertext": "AA==", "Algorithm": "RSAES_PKCS1_V1_5"},
        ),
        ("ASYMMETRIC_DECRYPT_RSA_2048", "AsymmetricSm2Decrypt", {"Ciphertext": "AA=="}),
        ("ASYMMETRIC_SIGN_VERIFY_ECC", "Encrypt", {"Plaintext": "bQ=="}),
        ("ASYMMETRIC_SIGN_VERIFY_ECC", "PostQuantumCryptoSign", {"Message": "bQ=="}),
        ("ASYMMETRIC_SIGN_VERIFY_DILITHIUM", "PostQuantumCryptoEncrypt", {"PlainText": "bQ=="}),
    ],
)
def test_wrong_purpose_gets_invalid_key_usage(kms, usage, call, params):
    key_id = make_key(kms, usage)
    code = code_of(getattr(kms, call), KeyId=key_id, **params)
    assert code == "InvalidParameterValue.InvalidKeyUsage"


@pytest.mark.parametrize(
    ("call", "usage", "params"),
    [
        ("GetPublicKey", "ASYMMETRIC_SIGN_VERIFY_ECC", {}),
        (
            "SignByAsymmetricKey",
            "ASYMMETRIC_SIGN_VERIFY_ECC",
            {"Algorithm": "ECC_P256_R1", "Message": "bQ=="},
        ),
        (
            "VerifyByAsymmetricKey",
            "ASYMMETRIC_SIGN_VERIFY_ECC",
            {"Algorithm": "ECC_P256_R1", "Message": "bQ==", "SignatureValue": "AA=="},
        ),
        (
            "AsymmetricRsaDecrypt",
            "ASYMMETRIC_DECRYPT_RSA_2048",
            {"Ciphertext": "AA==", "Algorithm": "RSAES_PKCS1_V1_5"},
        ),
        ("AsymmetricSm2Decrypt", "ASYMMETRIC_DECRYPT_SM2", {"Ciphertext": "AA=="}),
        ("PostQuantumCryptoSign", "ASYMMETRIC_SIGN_VERIFY_DILITHIUM", {"Message": "bQ=="}),
    ],
)
def test_disabled_keys_are_refused(kms, call, usage, params):
    key_id = make_key(kms, usage)
    kms.DisableKey(KeyId=key_id)
    assert code_of(getattr(kms, call), KeyId=key_id, **params) == (
        "ResourceUnavailable.CmkStateNotSupport"
    )


def test_list_algorithms_and_usage_filter(kms, fips):
    sm = kms.ListAlgorithms()
    fi = fips.ListAlgorithms()
    sm_usages = {
        a["KeyUsage"] for a in sm["AsymmetricAlgorithms"] + sm["AsymmetricSignVerifyAlgorithms"]
    }
    fi_usages = {
        a["KeyUsage"] for a in fi["AsymmetricAlgorithms"] + fi["AsymmetricSignVerifyAlgorithms"]
    }
    assert "ASYMMETRIC_DECRYPT_SM2" in sm_usages and "ASYMMETRIC_SIGN_VERIFY_SM2" in sm_usages
    assert not any("SM2" in u for u in fi_usages)
    assert "ASYMMETRIC_SIGN_VERIFY_DILITHIUM" in fi_usages
    assert code_of(fips.CreateKey, Alias="nosm2", KeyUsage="ASYMMETRIC_SIGN_VERIFY_SM2") == (
        "UnsupportedOperation.UnsupportedKeyUsageInCurrentRegion"
    )
    key_id = make_key(fips, "ASYMMETRIC_SIGN_VERIFY_ECDSA384")
    listed = fips.ListKeyDetail(KeyUsage="ASYMMETRIC_SIGN_VERIFY_ECDSA384", Limit=200)
    assert key_id in {m["KeyId"] for m in listed["KeyMetadatas"]}
    assert all(m["KeyUsage"] == "ASYMMETRIC_SIGN_VERIFY_ECDSA384" for m in listed["KeyMetadatas"])


def test_private_keys_are_stored_only_wrapped(kms):
    key_id = make_key(kms, "ASYMMETRIC_SIGN_VERIFY_ECC")
    key = kms.inspect.key(key_id)
    record = repr(key.to_record())
    pub = serialization.load_der_public_key(unb64(key.extra["public_key"]))
    assert isinstance(pub, ec.EllipticCurvePublicKey)
    assert "PRIVATE" not in record
    assert not isinstance(pub, rsa.RSAPublicKey)
