"""The official tencentcloud-sdk-python KmsClient calls the asymmetric, PQC and import
actions (and Decrypt/GenerateDataKey with EncryptionPublicKey) over the wire, under
every signing method on POST and GET over HTTP, and once per action over HTTPS; every
answer is checked outside kmslab (``cryptography``, gmalg, gmssl)."""

from __future__ import annotations

import base64
import hashlib
import json

import gmalg
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from gmssl import sm2 as gmssl_sm2
from tencentcloud.kms.v20190118 import models
from tongsuopy.crypto import serialization as ts_ser
from tongsuopy.crypto.asymciphers import ec as ts_ec

from kmslab.crypto import sm2 as kmslab_sm2

COMBOS = [
    ("http", s, m) for s in ("TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256") for m in ("POST", "GET")
]
COMBOS.append(("https", "TC3-HMAC-SHA256", "POST"))
MESSAGE = "über die Leitung & back: 签名".encode()
_n = iter(range(10**6))

OAEP = {
    "RSAES_PKCS1_V1_5": padding.PKCS1v15(),
    "RSAES_OAEP_SHA_1": padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None),
    "RSAES_OAEP_SHA_256": padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None),
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def call(client, action: str, **params) -> dict:
    """One SDK call through the generated request model; the response as a dict."""
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    out = json.loads(getattr(client, action)(request).to_json_string())
    assert out["RequestId"]
    return out


# -- shared keys and the caller's own key pairs (made once per module) ------------------


@pytest.fixture(scope="module")
def keys(wire_kms):
    usages = {
        "rsa_dec": "ASYMMETRIC_DECRYPT_RSA_2048",
        "sm2_dec": "ASYMMETRIC_DECRYPT_SM2",
        "sm2_sig": "ASYMMETRIC_SIGN_VERIFY_SM2",
        "ecc_sig": "ASYMMETRIC_SIGN_VERIFY_ECC",
        "rsa_sig": "ASYMMETRIC_SIGN_VERIFY_RSA_2048",
        "p384_sig": "ASYMMETRIC_SIGN_VERIFY_ECDSA384",
        "kyber": "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
        "dilithium": "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
        "sym": "ENCRYPT_DECRYPT",
    }
    return {
        name: wire_kms.CreateKey(Alias=f"sdk-asym-{next(_n)}", KeyUsage=usage)["KeyId"]
        for name, usage in usages.items()
    }


@pytest.fixture(scope="module")
def publics(wire_kms, keys):
    """Public keys as DER, read through the Python facade (the SDK read is tested too)."""
    return {
        name: unb64(wire_kms.GetPublicKey(KeyId=k)["PublicKey"])
        for name, k in keys.items()
        if name != "sym"
    }


@pytest.fixture(scope="module")
def caller_sm2():
    """The caller's SM2 key pair: (PEM public key, gmalg object holding the private key)."""
    private = ts_ec.generate_private_key(ts_ec.SM2())
    scalar = private.private_numbers().private_value
    pem = private.public_key().public_bytes(
        ts_ser.Encoding.PEM, ts_ser.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode(), gmalg.SM2(scalar.to_bytes(32, "big"), uid=b"1234567812345678")


@pytest.fixture(scope="module")
def caller_rsa():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode(), private


@pytest.fixture(params=COMBOS, ids=["-".join(c) for c in COMBOS])
def client(request, http_endpoint, https_endpoint):
    scheme, signing, method = request.param
    endpoint = http_endpoint if scheme == "http" else https_endpoint
    return endpoint.sdk_client(sign_method=signing, method=method)


def _open_for_caller(text: str, algorithm: str, caller_sm2, caller_rsa) -> bytes:
    """Decrypt a plaintext field that the service encrypted to the caller's public key."""
    data = unb64(text)
    if algorithm == "SM2":  # raw C1C3C2: a bare 64-byte C1
        return caller_sm2[1].decrypt(b"\x04" + data)
    if algorithm == "SM2_C1C3C2_ASN1":
        return caller_sm2[1].decrypt(b"\x04" + kmslab_sm2.der_to_raw(data))
    return caller_rsa[1].decrypt(data, OAEP[algorithm])


# -- the actions ------------------------------------------------------------------------


def check_get_public_key(client, kms, keys, publics, **_):
    for name in ("rsa_dec", "ecc_sig", "p384_sig", "dilithium", "kyber"):
        out = call(client, "GetPublicKey", KeyId=keys[name])
        assert out["KeyId"] == keys[name]
        der = unb64(out["PublicKey"])
        assert der == publics[name]
        assert (
            serialization.load_pem_public_key(out["PublicKeyPem"].encode()).public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == der
        )
    out = call(client, "GetPublicKey", KeyId=keys["sm2_dec"])
    sm2_public = ts_ser.load_pem_public_key(out["PublicKeyPem"].encode())
    assert isinstance(sm2_public.curve, ts_ec.SM2)


SIGNINGS = [
    ("ecc_sig", "ECC_P256_R1", hashes.SHA256()),
    ("p384_sig", "ECDSA_P384_SHA_384", hashes.SHA384()),
    ("rsa_sig", "RSA_PSS_SHA_256", hashes.SHA256()),
    ("rsa_sig", "RSA_PKCS1_SHA_256", hashes.SHA256()),
]


def _verify_outside(
    der_public: bytes, algorithm: str, hash_, signature: bytes, message: bytes, digest: bool
):
    public = serialization.load_der_public_key(der_public)
    chosen = Prehashed(hash_) if digest else hash_
    if algorithm == "RSA_PSS_SHA_256":
        public.verify(signature, message, padding.PSS(padding.MGF1(hashes.SHA256()), 32), chosen)
    elif algorithm == "RSA_PKCS1_SHA_256":
        public.verify(signature, message, padding.PKCS1v15(), chosen)
    else:
        public.verify(signature, message, ec.ECDSA(chosen))


def _digest(hash_, message: bytes) -> bytes:
    h = hashes.Hash(hash_)
    h.update(message)
    return h.finalize()


def check_sign(client, kms, keys, publics, **_):
    for name, algorithm, hash_ in SIGNINGS:
        for digest in (False, True):
            message = _digest(hash_, MESSAGE) if digest else MESSAGE
            out = call(
                client,
                "SignByAsymmetricKey",
                KeyId=keys[name],
                Algorithm=algorithm,
                Message=b64(message),
                MessageType="DIGEST" if digest else "RAW",
            )
            _verify_outside(
                publics[name], algorithm, hash_, unb64(out["Signature"]), message, digest
            )
    # SM2DSA (default user id), verified by gmssl from the public key alone.
    out = call(
        client,
        "SignByAsymmetricKey",
        KeyId=keys["sm2_sig"],
        Algorithm="SM2DSA",
        Message=b64(MESSAGE),
    )
    r, s = decode_dss_signature(unb64(out["Signature"]))
    numbers = kmslab_sm2.load_public_der(publics["sm2_sig"]).public_numbers()
    verifier = gmssl_sm2.CryptSM2(private_key=None, public_key=f"{numbers.x:064x}{numbers.y:064x}")
    assert verifier.verify_with_sm3(f"{r:064x}{s:064x}", MESSAGE)
    assert not verifier.verify_with_sm3(f"{r:064x}{s:064x}", MESSAGE + b"!")
    # DIGEST: the standard's e = SM3(Z_A || M), computed by gmssl; the signature is then
    # an ordinary SM2DSA signature of the message.
    e = bytes.fromhex(verifier._sm3_z(MESSAGE))
    out = call(
        client,
        "SignByAsymmetricKey",
        KeyId=keys["sm2_sig"],
        Algorithm="SM2DSA",
        Message=b64(e),
        MessageType="DIGEST",
    )
    r, s = decode_dss_signature(unb64(out["Signature"]))
    assert verifier.verify_with_sm3(f"{r:064x}{s:064x}", MESSAGE)


def check_verify(client, kms, keys, publics, **_):
    cases = [(n, a) for n, a, _ in SIGNINGS] + [("sm2_sig", "SM2DSA")]
    for name, algorithm in cases:
        signature = kms.SignByAsymmetricKey(
            KeyId=keys[name], Algorithm=algorithm, Message=b64(MESSAGE)
        )["Signature"]
        for message, expected in ((MESSAGE, True), (MESSAGE + b"!", False)):
            out = call(
                client,
                "VerifyByAsymmetricKey",
                KeyId=keys[name],
                Algorithm=algorithm,
                Message=b64(message),
                SignatureValue=signature,
            )
            assert out["SignatureValid"] is expected, (algorithm, expected)


def check_rsa_decrypt(client, kms, keys, publics, **_):
    public = serialization.load_der_public_key(publics["rsa_dec"])
    for algorithm, pad in OAEP.items():
        secret = f"rsa secret {algorithm}".encode()
        out = call(
            client,
            "AsymmetricRsaDecrypt",
            KeyId=keys["rsa_dec"],
            Ciphertext=b64(public.encrypt(secret, pad)),
            Algorithm=algorithm,
        )
        assert out["KeyId"] == keys["rsa_dec"] and unb64(out["Plaintext"]) == secret


def check_sm2_decrypt(client, kms, keys, publics, **_):
    numbers = kmslab_sm2.load_public_der(publics["sm2_dec"]).public_numbers()
    sender = gmalg.SM2(pk=b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big"))
    secret = "sm2 secret 机密".encode()
    raw = sender.encrypt(secret)  # 04 || C1 || C3 || C2
    out = call(
        client,
        "AsymmetricSm2Decrypt",
        KeyId=keys["sm2_dec"],
        Ciphertext=b64(kmslab_sm2.raw_to_der(raw[1:])),
    )
    assert out["KeyId"] == keys["sm2_dec"] and unb64(out["Plaintext"]) == secret


def check_pqc_encrypt(client, kms, keys, **_):
    out = call(client, "PostQuantumCryptoEncrypt", KeyId=keys["kyber"], PlainText=b64(MESSAGE))
    assert out["KeyId"] == keys["kyber"]
    assert len(unb64(out["CiphertextBlob"].rsplit("-k-", 1)[1])) == 1568  # ML-KEM-1024 half
    back = kms.PostQuantumCryptoDecrypt(CiphertextBlob=out["CiphertextBlob"])
    assert unb64(back["PlainText"]) == MESSAGE


def check_pqc_decrypt(client, kms, keys, caller_sm2, caller_rsa, **_):
    blob = kms.PostQuantumCryptoEncrypt(KeyId=keys["kyber"], PlainText=b64(MESSAGE))[
        "CiphertextBlob"
    ]
    out = call(client, "PostQuantumCryptoDecrypt", CiphertextBlob=blob)
    assert out["KeyId"] == keys["kyber"] and unb64(out["PlainText"]) == MESSAGE
    for algorithm, pem in (("SM2", caller_sm2[0]), ("RSAES_OAEP_SHA_256", caller_rsa[0])):
        out = call(
            client,
            "PostQuantumCryptoDecrypt",
            CiphertextBlob=blob,
            EncryptionPublicKey=pem,
            EncryptionAlgorithm=algorithm,
        )
        assert _open_for_caller(out["PlainText"], algorithm, caller_sm2, caller_rsa) == MESSAGE


def check_pqc_sign(client, kms, keys, publics, **_):
    out = call(client, "PostQuantumCryptoSign", KeyId=keys["dilithium"], Message=b64(MESSAGE))
    signature = unb64(out["Signature"])
    assert len(signature) == 4627
    serialization.load_der_public_key(publics["dilithium"]).verify(signature, MESSAGE)


def check_pqc_verify(client, kms, keys, **_):
    signature = kms.PostQuantumCryptoSign(KeyId=keys["dilithium"], Message=b64(MESSAGE))[
        "Signature"
    ]
    for message, expected in ((MESSAGE, True), (MESSAGE[:-1], False)):
        out = call(
            client,
            "PostQuantumCryptoVerify",
            KeyId=keys["dilithium"],
            Message=b64(message),
            SignatureValue=signature,
        )
        assert out["SignatureValid"] is expected


def check_import_flow(client, kms, **_):
    """GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial end to end."""
    key_id = kms.CreateKey(Alias=f"sdk-ext-{next(_n)}", Type=2)["KeyId"]
    material = hashlib.sha256(key_id.encode()).digest()[:16]  # SM region: 128 bits
    for algorithm, pad in OAEP.items():
        params = call(
            client,
            "GetParametersForImport",
            KeyId=key_id,
            WrappingAlgorithm=algorithm,
            WrappingKeySpec="RSA_2048",
        )
        assert params["KeyId"] == key_id and params["ParametersValidTo"] > 0
        wrapping = serialization.load_der_public_key(unb64(params["PublicKey"]))
        assert wrapping.key_size == 2048
        call(
            client,
            "ImportKeyMaterial",
            KeyId=key_id,
            EncryptedKeyMaterial=b64(wrapping.encrypt(material, pad)),
            ImportToken=params["ImportToken"],
            ValidTo=2147443200,
        )
        meta = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
        assert meta["KeyState"] == "Enabled" and meta["Origin"] == "EXTERNAL"
        blob = kms.Encrypt(KeyId=key_id, Plaintext=b64(MESSAGE))["CiphertextBlob"]
        assert unb64(kms.Decrypt(CiphertextBlob=blob)["Plaintext"]) == MESSAGE
        call(client, "DeleteImportedKeyMaterial", KeyId=key_id)
        assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


PUBLIC_WRAPS = [
    "SM2",
    "SM2_C1C3C2_ASN1",
    "RSAES_PKCS1_V1_5",
    "RSAES_OAEP_SHA_1",
    "RSAES_OAEP_SHA_256",
]


def check_decrypt_to_public_key(client, kms, keys, caller_sm2, caller_rsa, **_):
    blob = kms.Encrypt(KeyId=keys["sym"], Plaintext=b64(MESSAGE), EncryptionContext='{"p":"q"}')[
        "CiphertextBlob"
    ]
    for algorithm in PUBLIC_WRAPS:
        pem = caller_sm2[0] if algorithm.startswith("SM2") else caller_rsa[0]
        out = call(
            client,
            "Decrypt",
            CiphertextBlob=blob,
            EncryptionContext='{"p":"q"}',
            EncryptionPublicKey=pem,
            EncryptionAlgorithm=algorithm,
        )
        assert out["KeyId"] == keys["sym"]
        assert _open_for_caller(out["Plaintext"], algorithm, caller_sm2, caller_rsa) == MESSAGE


def check_generate_data_key_to_public_key(client, kms, keys, caller_sm2, caller_rsa, **_):
    for algorithm in ("SM2", "RSAES_OAEP_SHA_256"):
        pem = caller_sm2[0] if algorithm == "SM2" else caller_rsa[0]
        out = call(
            client,
            "GenerateDataKey",
            KeyId=keys["sym"],
            NumberOfBytes=32,
            EncryptionPublicKey=pem,
            EncryptionAlgorithm=algorithm,
        )
        data_key = _open_for_caller(out["Plaintext"], algorithm, caller_sm2, caller_rsa)
        assert len(data_key) == 32
        assert unb64(kms.Decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"]) == data_key


CHECKS = {
    "GetPublicKey": check_get_public_key,
    "SignByAsymmetricKey": check_sign,
    "VerifyByAsymmetricKey": check_verify,
    "AsymmetricRsaDecrypt": check_rsa_decrypt,
    "AsymmetricSm2Decrypt": check_sm2_decrypt,
    "PostQuantumCryptoEncrypt": check_pqc_encrypt,
    "PostQuantumCryptoDecrypt": check_pqc_decrypt,
    "PostQuantumCryptoSign": check_pqc_sign,
    "PostQuantumCryptoVerify": check_pqc_verify,
    "GetParametersForImport+ImportKeyMaterial+DeleteImportedKeyMaterial": check_import_flow,
    "Decrypt-EncryptionPublicKey": check_decrypt_to_public_key,
    "GenerateDataKey-EncryptionPublicKey": check_generate_data_key_to_public_key,
}


@pytest.mark.parametrize("action", list(CHECKS))
def test_action_through_the_sdk(action, client, wire_kms, keys, publics, caller_sm2, caller_rsa):
    CHECKS[action](
        client,
        wire_kms,
        keys=keys,
        publics=publics,
        caller_sm2=caller_sm2,
        caller_rsa=caller_rsa,
    )
