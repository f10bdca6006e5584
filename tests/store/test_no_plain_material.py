"""The SQLite file, its WAL and a snapshot hold wrapped material only: no CMK version's
material (symmetric, imported, asymmetric or post-quantum private key), no import
wrapping key, no data key or plaintext, no credential SecretKey appears in any encoding."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_der_public_key

from kmslab.core.material import open_version
from kmslab.core.service import KMS

REGIONS = ("ap-hongkong", "ap-guangzhou")


def encodings(secret: bytes) -> list[bytes]:
    """Ways a leaked secret could be written: raw, Base64, hex (both cases)."""
    b64 = base64.b64encode(secret)
    return [secret, b64.rstrip(b"="), secret.hex().encode(), secret.hex().upper().encode()]


ASYMMETRIC = {
    "ap-hongkong": ("ASYMMETRIC_DECRYPT_RSA_2048", "ASYMMETRIC_SIGN_VERIFY_ECC"),
    "ap-guangzhou": ("ASYMMETRIC_DECRYPT_SM2", "ASYMMETRIC_SIGN_VERIFY_SM2"),
}
PQC = ("ASYMMETRIC_SIGN_VERIFY_DILITHIUM", "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES")


def cmk_materials(kms: KMS) -> list[bytes]:
    """Every key version's material (symmetric or imported key, or a private key's DER),
    and every import wrapping key, unwrapped here in the test from the stored bytes."""
    out = []
    for key in kms.inspect.all():
        purpose = "cmk" if key.usage == "ENCRYPT_DECRYPT" else "private-key"
        out += [open_version(kms.root_key, key, v, purpose) for v in key.versions]
        for entry in key.extra.get("wrapping_keys", []):
            out.append(
                kms.root_key.unwrap(
                    base64.b64decode(entry["wrapped"]),
                    purpose="import-wrapping-key:" + entry["id"],
                    account=str(key.uin),
                    region=key.region,
                    key_id=key.key_id,
                )
            )
    return out


def make_other_kinds(kms: KMS) -> list[bytes]:
    """Asymmetric, post-quantum and imported keys; returns the imported material."""
    for region, usages in ASYMMETRIC.items():
        view = kms.in_region(region)
        for usage in usages + PQC:
            view.CreateKey(Alias=f"x-{usage}"[:60].replace("_", "-"), KeyUsage=usage)
    hk = kms.in_region("ap-hongkong")
    kid = hk.CreateKey(Alias="imported", Type=2)["KeyId"]
    params = hk.GetParametersForImport(
        KeyId=kid, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    material = kms.random.bytes(32)
    wrapping = load_der_public_key(base64.b64decode(params["PublicKey"]))
    wrapped = wrapping.encrypt(
        material,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    hk.ImportKeyMaterial(
        KeyId=kid,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=base64.b64encode(wrapped).decode(),
    )
    return [material]


def make_secrets(kms: KMS) -> list[bytes]:
    """Create keys, rotate them, make data keys and ciphertexts; return every secret."""
    secrets = []
    other = kms.create_account("b")
    for region in REGIONS:
        for view in (kms.in_region(region), kms.as_account(other.uin, region)):
            for i in range(3):
                kid = view.CreateKey(Alias=f"k{i}")["KeyId"]
                view.EnableKeyRotation(KeyId=kid, RotateDays=7)
                view.RotateKey(KeyId=kid)
                dk = view.GenerateDataKey(KeyId=kid, NumberOfBytes=32)
                secrets.append(base64.b64decode(dk["Plaintext"]))
                plain = kms.random.bytes(24)
                view.Encrypt(KeyId=kid, Plaintext=base64.b64encode(plain).decode())
                secrets.append(plain)
    for uin in kms.accounts:
        secrets += [k.secret_key.encode() for k in kms.api_keys(uin)]
    secrets += make_other_kinds(kms)
    secrets += cmk_materials(kms)
    secrets.append(kms.export_root_key())
    return secrets


def assert_absent(blob: bytes, secrets: list[bytes], where: str) -> None:
    for secret in secrets:
        for form in encodings(secret):
            assert form not in blob, f"a secret appears in {where}"


def test_sqlite_file_and_wal_hold_no_material(tmp_path):
    db = tmp_path / "kms.db"
    kms = KMS(path=db, clock="virtual")
    secrets = make_secrets(kms)
    assert len(secrets) > 40
    wal = tmp_path / "kms.db-wal"
    assert wal.stat().st_size > 0
    assert_absent(wal.read_bytes(), secrets, "the WAL")
    assert_absent(db.read_bytes(), secrets, "the database file")
    kms.close()
    assert_absent(db.read_bytes(), secrets, "the checkpointed database file")
    # The scan can see material: the root key file holds exactly the root key.
    assert (tmp_path / "kms.db.rootkey").read_bytes() in secrets


@pytest.mark.parametrize("seed", [None, 3])
def test_snapshot_holds_no_material(tmp_path, seed):
    kms = KMS(seed=seed)
    secrets = make_secrets(kms)
    kms.save_snapshot(tmp_path / "snap.json")
    assert_absent((tmp_path / "snap.json").read_bytes(), secrets, "the snapshot")


def test_scan_would_find_a_leak():
    secret = b"\x01\x02secret-material\xff" * 2
    for form in encodings(secret):
        with pytest.raises(AssertionError):
            assert_absent(b"header " + form + b" trailer", [secret], "a leaky file")
