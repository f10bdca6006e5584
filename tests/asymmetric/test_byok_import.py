"""Key import (BYOK): the full flow with material wrapped by ``cryptography`` as a
customer would, for every wrapping algorithm, and every documented refusal."""

from __future__ import annotations

import pytest
from asym_helpers import b64, code_of, unb64
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import kmslab

PADS = {
    "RSAES_PKCS1_V1_5": padding.PKCS1v15(),
    "RSAES_OAEP_SHA_1": padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None),
    "RSAES_OAEP_SHA_256": padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None),
}
_n = iter(range(10**6))


@pytest.fixture
def service():
    return kmslab.KMS(seed=42)


def external(face) -> str:
    return face.CreateKey(Alias=f"ext{next(_n)}", Type=2)["KeyId"]


def wrapped_material(face, key_id, material, algorithm="RSAES_OAEP_SHA_256"):
    params = face.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
    )
    pub = serialization.load_der_public_key(unb64(params["PublicKey"]))
    return params, b64(pub.encrypt(material, PADS[algorithm]))


def do_import(face, key_id, material, algorithm="RSAES_OAEP_SHA_256", **extra):
    params, enc = wrapped_material(face, key_id, material, algorithm)
    return face.ImportKeyMaterial(
        KeyId=key_id, EncryptedKeyMaterial=enc, ImportToken=params["ImportToken"], **extra
    )


@pytest.mark.parametrize("algorithm", list(PADS))
@pytest.mark.parametrize(("region", "size"), [("ap-guangzhou", 16), ("ap-hongkong", 32)])
def test_full_import_flow(service, algorithm, region, size):
    face = service.in_region(region)
    key_id = external(face)
    meta = face.DescribeKey(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport" and meta["Origin"] == "EXTERNAL"
    params, enc = wrapped_material(face, key_id, b"m" * size, algorithm)
    assert params["ParametersValidTo"] == int(service.clock.now()) + 86400
    assert len(unb64(params["PublicKey"])) == 294
    face.ImportKeyMaterial(
        KeyId=key_id, EncryptedKeyMaterial=enc, ImportToken=params["ImportToken"]
    )
    assert face.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    blob = face.Encrypt(KeyId=key_id, Plaintext=b64(b"hello"))["CiphertextBlob"]
    assert unb64(face.Decrypt(CiphertextBlob=blob)["Plaintext"]) == b"hello"


def test_material_size_and_unwrap_failures(service):
    key_id = external(service)  # SM region: 128-bit material
    for material in (b"m" * 32, b"m" * 15):
        assert code_of(do_import, face=service, key_id=key_id, material=material) == (
            "InvalidParameter.DecryptMaterialError"
        )
    params, _ = wrapped_material(service, key_id, b"m" * 16)
    assert (
        code_of(
            service.ImportKeyMaterial,
            KeyId=key_id,
            EncryptedKeyMaterial=b64(b"x" * 256),
            ImportToken=params["ImportToken"],
        )
        == "InvalidParameter.DecryptMaterialError"
    )
    # Wrapped with another algorithm than the token names.
    params, enc = wrapped_material(service, key_id, b"m" * 16, "RSAES_OAEP_SHA_1")
    other = service.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    assert (
        code_of(
            service.ImportKeyMaterial,
            KeyId=key_id,
            EncryptedKeyMaterial=enc,
            ImportToken=other["ImportToken"],
        )
        == "InvalidParameter.DecryptMaterialError"
    )


def test_token_is_bound_to_its_key_and_unforgeable(service):
    a, b = external(service), external(service)
    params, enc = wrapped_material(service, a, b"m" * 16)
    assert (
        code_of(
            service.ImportKeyMaterial,
            KeyId=b,
            EncryptedKeyMaterial=enc,
            ImportToken=params["ImportToken"],
        )
        == "InvalidParameter"
    )
    token = bytearray(unb64(params["ImportToken"]))
    token[-1] ^= 1
    assert (
        code_of(
            service.ImportKeyMaterial, KeyId=a, EncryptedKeyMaterial=enc, ImportToken=b64(token)
        )
        == "InvalidParameter"
    )


def test_token_expires_after_24_hours(service):
    key_id = external(service)
    params, enc = wrapped_material(service, key_id, b"m" * 16)
    service.clock.advance(hours=24)
    assert (
        code_of(
            service.ImportKeyMaterial,
            KeyId=key_id,
            EncryptedKeyMaterial=enc,
            ImportToken=params["ImportToken"],
        )
        == "ResourceUnavailable.TokenExpired"
    )
    service.clock.advance(days=2)  # the wrapping key itself is destroyed by now
    key = service.inspect.key(key_id)
    assert key.extra["wrapping_keys"] == []
    do_import(service, key_id, b"m" * 16)


def test_reimport_must_match_and_valid_to_expires(service):
    key_id = external(service)
    now = int(service.clock.now())
    do_import(service, key_id, b"a" * 16, ValidTo=now + 3600)
    assert service.DescribeKey(KeyId=key_id)["KeyMetadata"]["ValidTo"] == now + 3600
    blob = service.Encrypt(KeyId=key_id, Plaintext=b64(b"x"))["CiphertextBlob"]
    assert code_of(do_import, face=service, key_id=key_id, material=b"b" * 16) == (
        "InvalidParameterValue.MaterialNotMatch"
    )
    assert code_of(do_import, face=service, key_id=key_id, material=b"a" * 16, ValidTo=now) == (
        "InvalidParameter"
    )
    service.clock.advance(hours=1)
    assert service.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    assert code_of(service.Decrypt, CiphertextBlob=blob) == "ResourceUnavailable.CmkDisabled"
    assert code_of(do_import, face=service, key_id=key_id, material=b"b" * 16) == (
        "InvalidParameterValue.MaterialNotMatch"
    )
    do_import(service, key_id, b"a" * 16)
    assert unb64(service.Decrypt(CiphertextBlob=blob)["Plaintext"]) == b"x"


def test_delete_imported_material(service):
    key_id = external(service)
    do_import(service, key_id, b"a" * 16)
    service.DeleteImportedKeyMaterial(KeyId=key_id)
    meta = service.DescribeKey(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport"
    key = service.inspect.key(key_id)
    assert key.versions == []
    assert code_of(service.Encrypt, KeyId=key_id, Plaintext="eA==") == (
        "ResourceUnavailable.CmkDisabled"
    )


def test_not_external_and_rotation(service):
    normal = service.CreateKey(Alias="normal-key")["KeyId"]
    for call, extra in [
        (
            service.GetParametersForImport,
            {"WrappingAlgorithm": "RSAES_PKCS1_V1_5", "WrappingKeySpec": "RSA_2048"},
        ),
        (service.ImportKeyMaterial, {"EncryptedKeyMaterial": "AA==", "ImportToken": "AA=="}),
        (service.DeleteImportedKeyMaterial, {}),
    ]:
        assert code_of(call, KeyId=normal, **extra) == "UnsupportedOperation.NotExternalCmk"
    key_id = external(service)
    do_import(service, key_id, b"a" * 16)
    assert code_of(service.EnableKeyRotation, KeyId=key_id) == (
        "UnsupportedOperation.ExternalCmkCanNotRotate"
    )


def test_same_material_in_two_keys_stays_independent(service):
    a, b = external(service), external(service)
    do_import(service, a, b"s" * 16)
    do_import(service, b, b"s" * 16)
    blob = service.Encrypt(KeyId=a, Plaintext=b64(b"x"))["CiphertextBlob"]
    segments = blob.split("-k-")
    header = bytearray(unb64(segments[0]))
    import uuid

    header[2:18] = uuid.UUID(b).bytes
    moved = "-k-".join([b64(header), *segments[1:]])
    assert code_of(service.Decrypt, CiphertextBlob=moved) == (
        "InvalidParameterValue.InvalidCiphertext"
    )


def test_import_state_rules(service):
    key_id = external(service)
    do_import(service, key_id, b"a" * 16)
    service.DisableKey(KeyId=key_id)
    assert code_of(do_import, face=service, key_id=key_id, material=b"a" * 16) == (
        "ResourceUnavailable.CmkStateNotSupport"
    )
