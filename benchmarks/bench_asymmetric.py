"""Single-thread, in-process rates of the asymmetric, PQC and import actions, against
ten times each action's documented QPS (the goal: the simulated limit, not the
implementation, is what users observe). Run: ``python benchmarks/bench_asymmetric.py``."""

from __future__ import annotations

import base64
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import kmslab
from kmslab.actions.table import ACTIONS
from kmslab.crypto import sm2


def rate(fn, seconds: float = 1.0) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def main() -> None:
    kms = kmslab.KMS()  # secure mode, virtual nothing: the real clock
    fips = kms.in_region("ap-hongkong")
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    mk = lambda face, u: face.CreateKey(Alias=f"b{time.perf_counter_ns()}", KeyUsage=u)["KeyId"]  # noqa: E731
    rsa_dec, sm2_dec = mk(kms, "ASYMMETRIC_DECRYPT_RSA_2048"), mk(kms, "ASYMMETRIC_DECRYPT_SM2")
    ecc, sm2_sig = mk(fips, "ASYMMETRIC_SIGN_VERIFY_ECC"), mk(kms, "ASYMMETRIC_SIGN_VERIFY_SM2")
    kyber, dil = (
        mk(kms, "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES"),
        mk(kms, "ASYMMETRIC_SIGN_VERIFY_DILITHIUM"),
    )
    pub = serialization.load_der_public_key(
        base64.b64decode(kms.GetPublicKey(KeyId=rsa_dec)["PublicKey"])
    )
    rsa_ct = b64(
        pub.encrypt(b"x" * 32, padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None))
    )
    sm2_pub = sm2.load_public_der(base64.b64decode(kms.GetPublicKey(KeyId=sm2_dec)["PublicKey"]))
    sm2_ct = b64(sm2.encrypt_der(sm2_pub, b"x" * 32, kms.random))
    ecc_sig = fips.SignByAsymmetricKey(KeyId=ecc, Algorithm="ECC_P256_R1", Message="bQ==")[
        "Signature"
    ]
    sm2_s = kms.SignByAsymmetricKey(KeyId=sm2_sig, Algorithm="SM2DSA", Message="bQ==")["Signature"]
    pq_blob = kms.PostQuantumCryptoEncrypt(KeyId=kyber, PlainText="bQ==")["CiphertextBlob"]
    dil_sig = kms.PostQuantumCryptoSign(KeyId=dil, Message="bQ==")["Signature"]
    ext = kms.CreateKey(Alias="bench-ext", Type=2)["KeyId"]
    imp = kms.GetParametersForImport(
        KeyId=ext, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    wrap_pub = serialization.load_der_public_key(base64.b64decode(imp["PublicKey"]))
    enc_mat = b64(
        wrap_pub.encrypt(
            b"k" * 16, padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
        )
    )
    sym = kms.CreateKey(Alias="bench-sym")["KeyId"]
    sym_blob = kms.Encrypt(KeyId=sym, Plaintext=b64(b"k" * 32))["CiphertextBlob"]
    caller_pem = kms.GetPublicKey(KeyId=sm2_dec)["PublicKeyPem"]
    cases = {
        "GetPublicKey": lambda: kms.GetPublicKey(KeyId=rsa_dec),
        "AsymmetricRsaDecrypt": lambda: kms.AsymmetricRsaDecrypt(
            KeyId=rsa_dec, Ciphertext=rsa_ct, Algorithm="RSAES_OAEP_SHA_256"
        ),
        "AsymmetricSm2Decrypt": lambda: kms.AsymmetricSm2Decrypt(KeyId=sm2_dec, Ciphertext=sm2_ct),
        "SignByAsymmetricKey (ECC)": lambda: fips.SignByAsymmetricKey(
            KeyId=ecc, Algorithm="ECC_P256_R1", Message="bQ=="
        ),
        "SignByAsymmetricKey (SM2)": lambda: kms.SignByAsymmetricKey(
            KeyId=sm2_sig, Algorithm="SM2DSA", Message="bQ=="
        ),
        "VerifyByAsymmetricKey (ECC)": lambda: fips.VerifyByAsymmetricKey(
            KeyId=ecc, Algorithm="ECC_P256_R1", Message="bQ==", SignatureValue=ecc_sig
        ),
        "VerifyByAsymmetricKey (SM2)": lambda: kms.VerifyByAsymmetricKey(
            KeyId=sm2_sig, Algorithm="SM2DSA", Message="bQ==", SignatureValue=sm2_s
        ),
        "PostQuantumCryptoEncrypt": lambda: kms.PostQuantumCryptoEncrypt(
            KeyId=kyber, PlainText="bQ=="
        ),
        "PostQuantumCryptoDecrypt": lambda: kms.PostQuantumCryptoDecrypt(CiphertextBlob=pq_blob),
        "PostQuantumCryptoSign": lambda: kms.PostQuantumCryptoSign(KeyId=dil, Message="bQ=="),
        "PostQuantumCryptoVerify": lambda: kms.PostQuantumCryptoVerify(
            KeyId=dil, Message="bQ==", SignatureValue=dil_sig
        ),
        "GetParametersForImport": lambda: kms.GetParametersForImport(
            KeyId=ext, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        ),
        "ImportKeyMaterial": lambda: kms.ImportKeyMaterial(
            KeyId=ext, EncryptedKeyMaterial=enc_mat, ImportToken=imp["ImportToken"]
        ),
        "Decrypt (SM2 EncryptionPublicKey)": lambda: kms.Decrypt(
            CiphertextBlob=sym_blob, EncryptionPublicKey=caller_pem
        ),
    }
    print(f"{'action':38} {'rate/s':>9} {'goal/s':>7}  ok")
    for name, fn in cases.items():
        goal = 10 * (ACTIONS[name.split(" ")[0]].qps or 0)
        r = rate(fn)
        print(f"{name:38} {r:9.0f} {goal:7d}  {'yes' if r >= goal else 'NO'}")


if __name__ == "__main__":
    main()
