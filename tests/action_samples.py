"""A valid call of every built action, shared by the response-shape tests and the
official-SDK wire tests: ``make_env(kms)`` prepares what the calls need (keys of every
kind, blobs, signatures), and ``SAMPLES[action](env)`` gives one call's parameters."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kmslab import KMS

PLAIN = base64.b64encode(b"shape").decode()


def make_env(kms: KMS) -> dict:
    """Keys of every built kind in ``kms`` (an SM-profile region: every usage works)."""
    e: dict = {"kms": kms, "prefix": "s" + kms.random.uuid4()[:8]}
    e["sym"] = kms.CreateKey(Alias=e["prefix"] + "sym")["KeyId"]
    e["blob"] = kms.Encrypt(KeyId=e["sym"], Plaintext=PLAIN)["CiphertextBlob"]
    for name, usage in {
        "rsa": "ASYMMETRIC_DECRYPT_RSA_2048",
        "sm2": "ASYMMETRIC_DECRYPT_SM2",
        "sm2sign": "ASYMMETRIC_SIGN_VERIFY_SM2",
        "kyber": "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
        "dilithium": "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    }.items():
        e[name] = kms.CreateKey(Alias=e["prefix"] + name, KeyUsage=usage)["KeyId"]
    public = serialization.load_der_public_key(
        base64.b64decode(kms.GetPublicKey(KeyId=e["rsa"])["PublicKey"])
    )
    e["rsa_ct"] = base64.b64encode(public.encrypt(b"x", padding.PKCS1v15())).decode()
    e["signature"] = kms.SignByAsymmetricKey(KeyId=e["sm2sign"], Algorithm="SM2DSA", Message=PLAIN)[
        "Signature"
    ]
    e["pq_blob"] = kms.PostQuantumCryptoEncrypt(KeyId=e["kyber"], PlainText=PLAIN)["CiphertextBlob"]
    e["pq_sig"] = kms.PostQuantumCryptoSign(KeyId=e["dilithium"], Message=PLAIN)["Signature"]
    e["ext"] = kms.CreateKey(Alias=e["prefix"] + "ext", Type=2)["KeyId"]
    return e


def sm2_ciphertext(e) -> str:
    from kmslab.crypto import sm2

    public = sm2.load_public_der(
        base64.b64decode(e["kms"].GetPublicKey(KeyId=e["sm2"])["PublicKey"])
    )
    return base64.b64encode(sm2.encrypt_der(public, b"x", e["kms"].random)).decode()


def import_params(e) -> dict:
    kms = e["kms"]
    params = kms.GetParametersForImport(
        KeyId=e["ext"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(params["PublicKey"]))
    oaep = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
    return {
        "KeyId": e["ext"],
        "ImportToken": params["ImportToken"],
        "EncryptedKeyMaterial": base64.b64encode(public.encrypt(b"m" * 16, oaep)).decode(),
    }


def fresh(e) -> str:
    """A new Enabled symmetric key."""
    e["made"] = e.get("made", 0) + 1
    return e["kms"].CreateKey(Alias=f"{e['prefix']}fresh{e['made']}")["KeyId"]


def disabled(e) -> str:
    key_id = fresh(e)
    e["kms"].DisableKey(KeyId=key_id)
    return key_id


def data_key(e, state: str = "Enabled") -> str:
    """A new hosted data key under the symmetric CMK, in ``state``."""
    e["made"] = e.get("made", 0) + 1
    kms = e["kms"]
    made = kms.GenerateDataKey(
        KeyId=e["sym"],
        KeySpec="AES_256",
        IsHostedByKms=1,
        DataKeyName=f"{e['prefix']}dk{e['made']}",
    )
    if state in ("Disabled", "PendingDelete"):
        kms.DisableDataKey(DataKeyId=made["DataKeyId"])
    if state == "PendingDelete":
        kms.ScheduleDataKeyDeletion(DataKeyId=made["DataKeyId"], PendingWindowInDays=7)
    return made["DataKeyId"]


FINGERPRINT = "0123abcd-" + "-".join(["0123456789abcd"] * 3) + "-0123456789abcdef"


def white_box(e, disable: bool = False) -> str:
    """A new white-box key (Disabled if asked)."""
    e["wb"] = e.get("wb", 0) + 1
    alias = f"{e['prefix']}wb{e['wb']}"
    key_id = e["kms"].CreateWhiteBoxKey(Alias=alias, Algorithm="SM4")["KeyId"]
    if disable:
        e["kms"].DisableWhiteBoxKey(KeyId=key_id)
    return key_id


def bound_white_box(e) -> str:
    key_id = white_box(e)
    e["kms"].OverwriteWhiteBoxDeviceFingerprints(
        KeyId=key_id, DeviceFingerprints=[{"Identity": FINGERPRINT, "Description": "lab"}]
    )
    return key_id


def archived(e) -> str:
    key_id = fresh(e)
    e["kms"].ArchiveKey(KeyId=key_id)
    return key_id


def rotating(e) -> str:
    key_id = fresh(e)
    e["kms"].EnableKeyRotation(KeyId=key_id)
    return key_id


SAMPLES = {
    "CreateKey": lambda e: {"Alias": e["prefix"] + "created"},
    "DescribeKey": lambda e: {"KeyId": e["sym"]},
    "DescribeKeys": lambda e: {"KeyIds": [e["sym"], e["rsa"]]},
    "ListKeys": lambda e: {},
    "ListKeyDetail": lambda e: {"KeyUsage": "ALL"},
    "UpdateAlias": lambda e: {"KeyId": fresh(e), "Alias": e["prefix"] + "renamed"},
    "UpdateKeyDescription": lambda e: {"KeyId": e["sym"], "Description": "d"},
    "EnableKey": lambda e: {"KeyId": disabled(e)},
    "DisableKey": lambda e: {"KeyId": fresh(e)},
    "EnableKeys": lambda e: {"KeyIds": [disabled(e)]},
    "DisableKeys": lambda e: {"KeyIds": [fresh(e)]},
    "Encrypt": lambda e: {"KeyId": e["sym"], "Plaintext": PLAIN},
    "Decrypt": lambda e: {"CiphertextBlob": e["blob"]},
    "ReEncrypt": lambda e: {"CiphertextBlob": e["blob"]},
    "GenerateDataKey": lambda e: {"KeyId": e["sym"], "KeySpec": "AES_256"},
    "ScheduleKeyDeletion": lambda e: {"KeyId": disabled(e), "PendingWindowInDays": 7},
    "CancelKeyDeletion": lambda e: {
        "KeyId": e["kms"].ScheduleKeyDeletion(KeyId=disabled(e), PendingWindowInDays=7)["KeyId"]
    },
    "ArchiveKey": lambda e: {"KeyId": fresh(e)},
    "CancelKeyArchive": lambda e: {"KeyId": archived(e)},
    "BindCloudResource": lambda e: {"KeyId": e["sym"], "ProductId": "cos", "ResourceId": "b"},
    "UnbindCloudResource": lambda e: {"KeyId": e["sym"], "ProductId": "cos", "ResourceId": "b"},
    "EnableKeyRotation": lambda e: {"KeyId": e["sym"]},
    "DisableKeyRotation": lambda e: {"KeyId": fresh(e)},
    "GetKeyRotationStatus": lambda e: {"KeyId": e["sym"]},
    "RotateKey": lambda e: {"KeyId": rotating(e)},
    "GetPublicKey": lambda e: {"KeyId": e["rsa"]},
    "AsymmetricRsaDecrypt": lambda e: {
        "KeyId": e["rsa"],
        "Ciphertext": e["rsa_ct"],
        "Algorithm": "RSAES_PKCS1_V1_5",
    },
    "AsymmetricSm2Decrypt": lambda e: {"KeyId": e["sm2"], "Ciphertext": sm2_ciphertext(e)},
    "SignByAsymmetricKey": lambda e: {
        "KeyId": e["sm2sign"],
        "Algorithm": "SM2DSA",
        "Message": PLAIN,
    },
    "VerifyByAsymmetricKey": lambda e: {
        "KeyId": e["sm2sign"],
        "Algorithm": "SM2DSA",
        "Message": PLAIN,
        "SignatureValue": e["signature"],
    },
    "PostQuantumCryptoEncrypt": lambda e: {"KeyId": e["kyber"], "PlainText": PLAIN},
    "PostQuantumCryptoDecrypt": lambda e: {"CiphertextBlob": e["pq_blob"]},
    "PostQuantumCryptoSign": lambda e: {"KeyId": e["dilithium"], "Message": PLAIN},
    "PostQuantumCryptoVerify": lambda e: {
        "KeyId": e["dilithium"],
        "Message": PLAIN,
        "SignatureValue": e["pq_sig"],
    },
    "GetParametersForImport": lambda e: {
        "KeyId": e["ext"],
        "WrappingAlgorithm": "RSAES_OAEP_SHA_1",
        "WrappingKeySpec": "RSA_2048",
    },
    "ImportKeyMaterial": import_params,
    "DeleteImportedKeyMaterial": lambda e: {"KeyId": e["ext"]},
    "ImportDataKey": lambda e: {
        "DataKeyName": e["prefix"] + "imported",
        "ImportKeyMaterial": PLAIN,
        "ImportType": 2,
        "KeyId": e["sym"],
    },
    "GetDataKeyPlaintext": lambda e: {"DataKeyId": data_key(e)},
    "GetDataKeyCiphertextBlob": lambda e: {"DataKeyId": data_key(e)},
    "DescribeDataKey": lambda e: {"DataKeyId": data_key(e)},
    "DescribeDataKeys": lambda e: {"DataKeyIds": [data_key(e), data_key(e)]},
    "ListDataKeys": lambda e: {},
    "ListDataKeyDetail": lambda e: {},
    "EnableDataKey": lambda e: {"DataKeyId": data_key(e, "Disabled")},
    "EnableDataKeys": lambda e: {"DataKeyIds": [data_key(e, "Disabled")]},
    "DisableDataKey": lambda e: {"DataKeyId": data_key(e)},
    "DisableDataKeys": lambda e: {"DataKeyIds": [data_key(e)]},
    "ScheduleDataKeyDeletion": lambda e: {
        "DataKeyId": data_key(e, "Disabled"),
        "PendingWindowInDays": 7,
    },
    "CancelDataKeyDeletion": lambda e: {"DataKeyId": data_key(e, "PendingDelete")},
    "UpdateDataKeyName": lambda e: {
        "DataKeyId": data_key(e),
        "DataKeyName": e["prefix"] + "renamed-dk",
    },
    "UpdateDataKeyDescription": lambda e: {"DataKeyId": data_key(e), "Description": "d"},
    "CreateWhiteBoxKey": lambda e: {"Alias": e["prefix"] + "wb-created", "Algorithm": "AES_256"},
    "DeleteWhiteBoxKey": lambda e: {"KeyId": white_box(e, disable=True)},
    "DescribeWhiteBoxDecryptKey": lambda e: {"KeyId": white_box(e)},
    "DescribeWhiteBoxDeviceFingerprints": lambda e: {"KeyId": bound_white_box(e)},
    "DescribeWhiteBoxKey": lambda e: {"KeyId": bound_white_box(e)},
    "DescribeWhiteBoxKeyDetails": lambda e: {"KeyStatus": 1, "Limit": 2},
    "DescribeWhiteBoxServiceStatus": lambda e: {},
    "DisableWhiteBoxKey": lambda e: {"KeyId": white_box(e)},
    "DisableWhiteBoxKeys": lambda e: {"KeyIds": [white_box(e), white_box(e)]},
    "EnableWhiteBoxKey": lambda e: {"KeyId": white_box(e, disable=True)},
    "EnableWhiteBoxKeys": lambda e: {"KeyIds": [white_box(e, disable=True)]},
    "EncryptByWhiteBox": lambda e: {"KeyId": white_box(e), "PlainText": PLAIN},
    "OverwriteWhiteBoxDeviceFingerprints": lambda e: {
        "KeyId": white_box(e),
        "DeviceFingerprints": [{"Identity": FINGERPRINT}],
    },
    "GetServiceStatus": lambda e: {},
    "GetRegions": lambda e: {},
    "ListAlgorithms": lambda e: {},
    "GenerateRandom": lambda e: {"NumberOfBytes": 16},
}
"""A valid call of every built action (in an order where each finds what it needs)."""
