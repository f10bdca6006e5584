"""The opt-in PQC extension (``KMS(extensions=["pqc"])``), through the public API only:
off by default and then refused with the invalid-usage error, listed and marked when on,
every parameter set working through the PostQuantumCrypto* actions and checked against
``pqcrypto`` directly, persisted wrapped, and refused again by a service without it."""

from __future__ import annotations

import base64
import struct
import uuid

import pytest
from asym_helpers import b64, code_of, make_key, unb64
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

import kmslab
from kmslab.core.material import open_version

pytest.importorskip("pqcrypto")
from kmslab.crypto import pqc_families as fam  # noqa: E402

INVALID_USAGE = "InvalidParameterValue.InvalidKeyUsage"
INVALID_BLOB = "InvalidParameterValue.InvalidCiphertext"
EXTENSION_NAMES = [p.name for p in fam.PARAMETER_SETS if p.name not in ("ML-KEM-1024", "ML-DSA-87")]


def usage_of(name: str) -> str:
    p = fam.BY_NAME[name]
    kind = "KEM_" if p.kind == "kem" else "SIGN_"
    return "KMSLAB_EXT_PQC_" + kind + name.upper().replace("-", "_")


USAGES = [usage_of(n) for n in EXTENSION_NAMES]
KEM_NAMES = [n for n in EXTENSION_NAMES if fam.BY_NAME[n].kind == "kem"]
SIGN_NAMES = [n for n in EXTENSION_NAMES if fam.BY_NAME[n].kind == "sign"]


@pytest.fixture(scope="module")
def ext():
    return kmslab.KMS(extensions=["pqc"])


@pytest.fixture(scope="module")
def ext_keys(ext):
    """One key of every extension usage in the default (SM) region."""
    return {name: make_key(ext, usage_of(name)) for name in EXTENSION_NAMES}


def listed(face) -> dict[str, tuple[str, str]]:
    """KeyUsage -> (ListAlgorithms field, Algorithm)."""
    out = {}
    for field, infos in face.ListAlgorithms().items():
        if field.endswith("Algorithms"):
            for info in infos:
                out[info["KeyUsage"]] = (field, info["Algorithm"])
    return out


# -- off ---------------------------------------------------------------------------------


@pytest.mark.parametrize("usage", USAGES)
def test_off_by_default_the_usages_are_invalid_and_nothing_is_created(kms, usage):
    before = kms.GetServiceStatus()["CmkUserCount"]
    assert code_of(kms.CreateKey, Alias="ext", KeyUsage=usage) == INVALID_USAGE
    assert code_of(kms.CreateKey, Alias="ext", KeyUsage=usage, Type=2) == INVALID_USAGE
    assert kms.GetServiceStatus()["CmkUserCount"] == before
    assert usage not in listed(kms)


def test_off_the_message_says_how_to_switch_it_on(kms):
    with pytest.raises(kmslab.KMSError) as info:
        kms.CreateKey(Alias="ext", KeyUsage=USAGES[0])
    assert "extensions=['pqc']" in str(info.value)


@pytest.mark.parametrize(
    ("extensions", "match"),
    [("pqc", "list of names"), (["pqc", "quantum"], "unknown extensions"), (["PQC"], "unknown")],
)
def test_bad_extension_names(extensions, match):
    with pytest.raises(ValueError, match=match):
        kmslab.KMS(extensions=extensions)


def test_missing_pqcrypto_refuses_the_extension(monkeypatch):
    monkeypatch.setattr(fam, "available", lambda: False)
    with pytest.raises(ValueError, match="pip install"):
        kmslab.KMS(extensions=["pqc"])
    kmslab.KMS()  # without the extension nothing needs pqcrypto


# -- on: ListAlgorithms ----------------------------------------------------------------------


@pytest.mark.parametrize("region", ["ap-guangzhou", "ap-hongkong"])
def test_listed_only_when_on_and_marked(ext, kms, region):
    on, off = listed(ext.in_region(region)), listed(kms.in_region(region))
    extra = {u: v for u, v in on.items() if u not in off}
    assert set(extra) == set(USAGES)
    assert all(u.startswith("KMSLAB_EXT_") for u in extra)
    assert not any(u.startswith("KMSLAB_") for u in off)
    assert {u: v for u, v in on.items() if u in off} == off  # Tencent's entries unchanged
    for name in EXTENSION_NAMES:
        field = "AsymmetricAlgorithms" if name in KEM_NAMES else "AsymmetricSignVerifyAlgorithms"
        assert extra[usage_of(name)] == (field, name)


# -- on: the KEMs ----------------------------------------------------------------------------


def raw_public(face, key_id: str, name: str) -> bytes:
    """The raw public key: the SPKI's BIT STRING for ML-KEM/ML-DSA/SLH-DSA, else the bytes
    themselves; the PEM label says which."""
    answer = face.GetPublicKey(KeyId=key_id)
    data = unb64(answer["PublicKey"])
    p = fam.BY_NAME[name]
    if p.oid is None:
        assert answer["PublicKeyPem"].startswith(f"-----BEGIN {name.upper()} PUBLIC KEY-----\n")
        return data
    assert answer["PublicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----\n")
    return data[-p.public_key_size :]


@pytest.mark.parametrize("name", KEM_NAMES)
def test_kem_round_trip_and_blob_shape(ext, ext_keys, name):
    p, key_id = fam.BY_NAME[name], ext_keys[name]
    plaintext = b"experiment with " + name.encode()
    blob = ext.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=b64(plaintext))
    assert blob["KeyId"] == key_id
    segments = blob["CiphertextBlob"].split("-k-")
    assert [len(unb64(s)) for s in segments][:2] == [22, 12]
    assert len(unb64(segments[3])) == p.output_size
    back = ext.PostQuantumCryptoDecrypt(CiphertextBlob=blob["CiphertextBlob"])
    assert (back["KeyId"], unb64(back["PlainText"])) == (key_id, plaintext)
    assert len(raw_public(ext, key_id, name)) == p.public_key_size


@pytest.mark.parametrize("name", KEM_NAMES)
def test_kem_blob_assembled_outside_with_pqcrypto_decrypts(ext, ext_keys, name):
    """The documented format, built with ``pqcrypto`` and AES-256-GCM in a FIPS region."""
    face = ext.in_region("ap-hongkong")
    key_id = make_key(face, usage_of(name))
    p = fam.BY_NAME[name]
    header = struct.pack(">BB16sI", 1, 0x11, uuid.UUID(key_id).bytes, 1)
    kem_ct, shared = p.module.encaps(raw_public(face, key_id, name))
    dem = HKDF(hashes.SHA256(), 32, None, b"kmslab pqc dem v1\x00" + header).derive(shared)
    fields = (header, str(ext.default_uin).encode(), b"ap-hongkong", b"")
    aad = b"".join(struct.pack(">I", len(f)) + f for f in fields)
    sealed = AESGCM(dem).encrypt(bytes(12), b"from outside", aad)
    text = "-k-".join(b64(x) for x in (header, bytes(12), sealed, kem_ct))
    assert unb64(face.PostQuantumCryptoDecrypt(CiphertextBlob=text)["PlainText"]) == b"from outside"
    # The same blob for another account is refused.
    other = ext.create_account("kem-other")
    stranger = ext.as_account(other.uin, "ap-hongkong")
    assert code_of(stranger.PostQuantumCryptoDecrypt, CiphertextBlob=text) == (
        "ResourceUnavailable.CmkNotFound"
    )


def _swap_kem_ciphertext(text: str, kem_ciphertext: bytes) -> str:
    head = text.rpartition("-k-")[0]
    return head + "-k-" + base64.b64encode(kem_ciphertext).decode()


@pytest.mark.parametrize("name", ["ML-KEM-512", "HQC-128", "mceliece348864", "sntrup761"])
def test_kem_blob_refusals(ext, ext_keys, name):
    key_id, p = ext_keys[name], fam.BY_NAME[name]
    text = ext.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=b64(b"x"))["CiphertextBlob"]
    kem_ct = unb64(text.rpartition("-k-")[2])
    flipped = bytearray(kem_ct)
    flipped[-1] ^= 1
    for bad in (bytes(flipped), kem_ct[:-1], kem_ct + b"\x00", bytes(p.output_size)):
        bad_text = _swap_kem_ciphertext(text, bad)
        assert code_of(ext.PostQuantumCryptoDecrypt, CiphertextBlob=bad_text) == INVALID_BLOB
    # Another key's KEM ciphertext (another parameter set, another size) does not fit.
    other = "ML-KEM-768" if name != "ML-KEM-768" else "HQC-128"
    foreign = ext.PostQuantumCryptoEncrypt(KeyId=ext_keys[other], PlainText=b64(b"x"))
    foreign_ct = unb64(foreign["CiphertextBlob"].rpartition("-k-")[2])
    assert code_of(
        ext.PostQuantumCryptoDecrypt, CiphertextBlob=_swap_kem_ciphertext(text, foreign_ct)
    ) == (INVALID_BLOB)


# -- on: the signatures ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SIGN_NAMES)
def test_sign_verify_and_pqcrypto_agrees(ext, ext_keys, name):
    p, key_id = fam.BY_NAME[name], ext_keys[name]
    message = b"release " + name.encode()
    signature = ext.PostQuantumCryptoSign(KeyId=key_id, Message=b64(message))["Signature"]
    assert len(unb64(signature)) == p.output_size

    def valid(msg: bytes, sig: str) -> bool:
        answer = ext.PostQuantumCryptoVerify(KeyId=key_id, Message=b64(msg), SignatureValue=sig)
        return answer["SignatureValid"]

    assert valid(message, signature)
    assert not valid(message + b"!", signature)
    assert not valid(message, b64(unb64(signature)[:-1]))
    public = raw_public(ext, key_id, name)
    assert p.module.verify(public, message, unb64(signature)) is None
    if not name.endswith("s"):  # the small (s) sets sign in seconds: one signature is enough
        _, stranger_secret = p.module.keygen()
        assert not valid(message, b64(p.module.sign(stranger_secret, message)))


# -- on: wrong actions and states --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "action", "params"),
    [
        ("HQC-128", "PostQuantumCryptoSign", {"Message": "bQ=="}),
        ("HQC-128", "PostQuantumCryptoVerify", {"Message": "bQ==", "SignatureValue": "bQ=="}),
        ("ML-DSA-44", "PostQuantumCryptoEncrypt", {"PlainText": "bQ=="}),
        ("SLH-DSA-SHA2-128f", "Encrypt", {"Plaintext": "bQ=="}),
        ("ML-KEM-512", "SignByAsymmetricKey", {"Algorithm": "SM2DSA", "Message": "bQ=="}),
    ],
)
def test_extension_keys_refuse_other_actions(ext, ext_keys, name, action, params):
    assert code_of(getattr(ext, action), KeyId=ext_keys[name], **params) == INVALID_USAGE


@pytest.mark.parametrize("name", ["ML-KEM-768", "ML-DSA-65"])
def test_rotation_and_states_like_tencent_pqc_keys(ext, name):
    key_id = make_key(ext, usage_of(name))
    builtin = make_key(
        ext,
        "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES"
        if fam.BY_NAME[name].kind == "kem"
        else "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    )
    for action, params in [("EnableKeyRotation", {}), ("RotateKey", {})]:
        assert code_of(getattr(ext, action), KeyId=key_id, **params) == code_of(
            getattr(ext, action), KeyId=builtin, **params
        )
    action, params = (
        ("PostQuantumCryptoEncrypt", {"PlainText": "bQ=="})
        if fam.BY_NAME[name].kind == "kem"
        else ("PostQuantumCryptoSign", {"Message": "bQ=="})
    )
    for key in (key_id, builtin):
        ext.DisableKey(KeyId=key)
    assert code_of(getattr(ext, action), KeyId=key_id, **params) == code_of(
        getattr(ext, action), KeyId=builtin, **params
    )
    ext.EnableKey(KeyId=key_id)
    assert getattr(ext, action)(KeyId=key_id, **params)


def test_extension_keys_do_not_reproduce_but_tencent_keys_do():
    """pqcrypto takes no random source (docs/algorithms.md): seeded services agree on the
    built-in keys only."""
    publics = []
    for _ in range(2):
        k = kmslab.KMS(seed=14, extensions=["pqc"])
        ids = [make_key(k, "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES"), make_key(k, USAGES[0])]
        publics.append([k.GetPublicKey(KeyId=i)["PublicKey"] for i in ids])
    assert publics[0][0] == publics[1][0]
    assert publics[0][1] != publics[1][1]


# -- persistence and leaks -----------------------------------------------------------------------


def encodings(secret: bytes) -> list[bytes]:
    b64_form = base64.b64encode(secret)
    return [secret, b64_form.rstrip(b"="), secret.hex().encode(), secret.hex().upper().encode()]


PERSISTED = ["ML-KEM-512", "HQC-128", "mceliece348864", "sntrup761", "ML-DSA-44"]
PERSISTED += ["SLH-DSA-SHAKE-128f"]


def test_persisted_wrapped_reopened_and_refused_without_the_extension(tmp_path):
    db = tmp_path / "ext.db"
    kms = kmslab.KMS(path=db, extensions=["pqc"])
    made = {}
    for name in PERSISTED:
        key_id = make_key(kms, usage_of(name))
        if name in KEM_NAMES:
            out = kms.PostQuantumCryptoEncrypt(
                KeyId=key_id, PlainText=b64(b"kept " + name.encode())
            )
            made[name] = (key_id, out["CiphertextBlob"])
        else:
            out = kms.PostQuantumCryptoSign(KeyId=key_id, Message=b64(b"kept"))
            made[name] = (key_id, out["Signature"])
    secrets = [
        open_version(kms.root_key, key, key.versions[-1], "private-key")
        for key in kms.inspect.all()
    ]
    assert len(secrets) == len(PERSISTED)
    for key, secret in zip(kms.inspect.all(), secrets, strict=True):
        assert len(secret) == fam.BY_NAME[_name_of(key.usage)].secret_key_size
    publics = [kms.GetPublicKey(KeyId=made[n][0])["PublicKey"].encode() for n in PERSISTED]
    wal = (tmp_path / "ext.db-wal").read_bytes()
    kms.save_snapshot(tmp_path / "snap.json")
    kms.close()
    snapshot = (tmp_path / "snap.json").read_bytes()
    stored = db.read_bytes() + wal + snapshot
    for secret in secrets:
        for form in encodings(secret):
            assert form not in stored, "an extension secret key appears in a store or snapshot"
    # The scan can see material: the public keys are there, as GetPublicKey returns them.
    assert all(public[:64] in stored for public in publics)

    again = kmslab.KMS(path=db, extensions=["pqc"])
    for name, (key_id, value) in made.items():
        if name in KEM_NAMES:
            back = again.PostQuantumCryptoDecrypt(CiphertextBlob=value)
            assert unb64(back["PlainText"]) == b"kept " + name.encode()
        else:
            answer = again.PostQuantumCryptoVerify(
                KeyId=key_id, Message=b64(b"kept"), SignatureValue=value
            )
            assert answer["SignatureValid"] is True
    again.close()

    plain = kmslab.KMS(path=db)
    assert not any(u.startswith("KMSLAB_") for u in listed(plain))
    for name, (key_id, value) in made.items():
        assert plain.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyUsage"] == usage_of(name)
        if name in KEM_NAMES:
            assert code_of(plain.PostQuantumCryptoDecrypt, CiphertextBlob=value) == INVALID_BLOB
            with pytest.raises(kmslab.KMSError) as info:
                plain.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=b64(b"x"))
        else:
            with pytest.raises(kmslab.KMSError) as info:
                plain.PostQuantumCryptoSign(KeyId=key_id, Message=b64(b"x"))
        assert info.value.code == INVALID_USAGE
        assert "extensions=['pqc']" in str(info.value)
    plain.close()


def _name_of(usage: str) -> str:
    return next(n for n in EXTENSION_NAMES if usage_of(n) == usage)


# -- attacks on the parsers: any signature or KEM ciphertext bytes -----------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_signature_bytes_are_just_invalid(ext, ext_keys, data):
    name = data.draw(st.sampled_from(["ML-DSA-44", "SLH-DSA-SHA2-128f"]))
    size = fam.BY_NAME[name].output_size
    signature = data.draw(
        st.one_of(st.binary(min_size=size, max_size=size), st.binary(min_size=1, max_size=64))
    )
    answer = ext.PostQuantumCryptoVerify(
        KeyId=ext_keys[name], Message=b64(b"m"), SignatureValue=b64(signature)
    )
    assert answer["SignatureValid"] is False


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_kem_ciphertext_bytes_never_decrypt(ext, ext_keys, data):
    name = data.draw(st.sampled_from(["ML-KEM-512", "sntrup761", "mceliece348864"]))
    key_id = ext_keys[name]
    text = ext.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=b64(b"x"))["CiphertextBlob"]
    size = fam.BY_NAME[name].output_size
    forged = data.draw(st.one_of(st.binary(min_size=size, max_size=size), st.binary(max_size=99)))
    bad = _swap_kem_ciphertext(text, forged)
    assert code_of(ext.PostQuantumCryptoDecrypt, CiphertextBlob=bad) == INVALID_BLOB
