"""Every built action's response has every field the spec says is always present, with
its wire type, down into structures and arrays. The expected shapes come from
``kmslab/actions/shapes.py``, generated from the spec; only the sample calls are here,
and a built action without one fails, so a new action cannot skip this check."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kmslab import KMS
from kmslab.actions.shapes import RESPONSES, STRUCTURES
from kmslab.core.assembly import built_actions

PLAIN = base64.b64encode(b"shape").decode()
SCALARS = {"String": str, "Integer": int, "Boolean": bool}


def check(value, wire: str, where: str) -> None:
    """Assert ``value`` has wire type ``wire`` (structures: every field present and typed)."""
    if wire.startswith("Array of "):
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for i, item in enumerate(value):
            check(item, wire[len("Array of ") :], f"{where}[{i}]")
    elif wire in SCALARS:
        assert isinstance(value, SCALARS[wire]), f"{where}: {value!r} is not a {wire}"
        if wire == "Integer":
            assert not isinstance(value, bool), f"{where}: a Boolean where an Integer belongs"
    else:
        assert isinstance(value, dict), f"{where}: {value!r} is not a {wire} object"
        for field, field_type in STRUCTURES[wire]:
            assert field in value, f"{where}.{field} is missing"
            check(value[field], field_type, f"{where}.{field}")


@pytest.fixture(scope="module")
def env():
    kms = KMS(seed=51)  # ap-guangzhou: the SM profile, where every built usage works
    e = {"kms": kms}
    e["sym"] = kms.CreateKey(Alias="sym")["KeyId"]
    e["blob"] = kms.Encrypt(KeyId=e["sym"], Plaintext=PLAIN)["CiphertextBlob"]
    for name, usage in {
        "rsa": "ASYMMETRIC_DECRYPT_RSA_2048",
        "sm2": "ASYMMETRIC_DECRYPT_SM2",
        "sm2sign": "ASYMMETRIC_SIGN_VERIFY_SM2",
        "kyber": "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
        "dilithium": "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    }.items():
        e[name] = kms.CreateKey(Alias=name, KeyUsage=usage)["KeyId"]
    public = serialization.load_der_public_key(
        base64.b64decode(kms.GetPublicKey(KeyId=e["rsa"])["PublicKey"])
    )
    e["rsa_ct"] = base64.b64encode(public.encrypt(b"x", padding.PKCS1v15())).decode()
    e["signature"] = kms.SignByAsymmetricKey(KeyId=e["sm2sign"], Algorithm="SM2DSA", Message=PLAIN)[
        "Signature"
    ]
    e["pq_blob"] = kms.PostQuantumCryptoEncrypt(KeyId=e["kyber"], PlainText=PLAIN)["CiphertextBlob"]
    e["pq_sig"] = kms.PostQuantumCryptoSign(KeyId=e["dilithium"], Message=PLAIN)["Signature"]
    e["ext"] = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
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
    return e["kms"].CreateKey(Alias=f"fresh{e['made']}")["KeyId"]


def disabled(e) -> str:
    key_id = fresh(e)
    e["kms"].DisableKey(KeyId=key_id)
    return key_id


def archived(e) -> str:
    key_id = fresh(e)
    e["kms"].ArchiveKey(KeyId=key_id)
    return key_id


def rotating(e) -> str:
    key_id = fresh(e)
    e["kms"].EnableKeyRotation(KeyId=key_id)
    return key_id


FINGERPRINT = "0123abcd-" + "-".join(["0123456789abcd"] * 3) + "-0123456789abcdef"


def white_box(e, disable: bool = False) -> str:
    """A new white-box key (Disabled if asked)."""
    e["wb"] = e.get("wb", 0) + 1
    key_id = e["kms"].CreateWhiteBoxKey(Alias=f"wb{e['wb']}", Algorithm="SM4")["KeyId"]
    if disable:
        e["kms"].DisableWhiteBoxKey(KeyId=key_id)
    return key_id


def bound_white_box(e) -> str:
    key_id = white_box(e)
    e["kms"].OverwriteWhiteBoxDeviceFingerprints(
        KeyId=key_id, DeviceFingerprints=[{"Identity": FINGERPRINT, "Description": "lab"}]
    )
    return key_id


SAMPLES = {
    "CreateKey": lambda e: {"Alias": "created"},
    "DescribeKey": lambda e: {"KeyId": e["sym"]},
    "DescribeKeys": lambda e: {"KeyIds": [e["sym"], e["rsa"]]},
    "ListKeys": lambda e: {},
    "ListKeyDetail": lambda e: {"KeyUsage": "ALL"},
    "UpdateAlias": lambda e: {"KeyId": fresh(e), "Alias": "renamed"},
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
    "GetServiceStatus": lambda e: {},
    "GetRegions": lambda e: {},
    "ListAlgorithms": lambda e: {},
    "GenerateRandom": lambda e: {"NumberOfBytes": 16},
    "CreateWhiteBoxKey": lambda e: {"Alias": "wb-created", "Algorithm": "AES_256"},
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
}
"""A valid call of every built action (in an order where each finds what it needs)."""


def test_every_built_action_has_a_sample_call():
    assert sorted(built_actions()) == sorted(SAMPLES)


@pytest.mark.parametrize("action", list(SAMPLES))
def test_response_has_every_always_present_field_with_its_type(env, action):
    response = env["kms"].call(action, SAMPLES[action](env))
    assert isinstance(response.pop("RequestId"), str)
    expected = {field: (wire, always) for field, wire, always in RESPONSES[action]}
    assert set(response) <= set(expected), f"fields the spec does not name: {response}"
    for field, (wire, always) in expected.items():
        if always:
            assert field in response, f"{action}.{field} is missing"
        if field in response:
            check(response[field], wire, f"{action}.{field}")
