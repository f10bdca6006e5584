"""The ``pqcrypto`` parameter-set table: sizes and levels as the standards give them,
round trips for every set, refusals of wrong inputs, its public-key encoding against
``cryptography``, and ``pqcrypto`` against ``cryptography`` on the sets both implement."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem
from cryptography.hazmat.primitives.serialization import load_der_public_key
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.crypto import pqc_families as fam

pytest.importorskip("pqcrypto")

# name -> (public key, secret key, ciphertext or signature, NIST level): FIPS 203, 204 and
# 205 tables, the HQC and Classic McEliece specifications, the NTRU Prime submission.
EXPECTED = {
    "ML-KEM-512": (800, 1632, 768, 1),
    "ML-KEM-768": (1184, 2400, 1088, 3),
    "ML-KEM-1024": (1568, 3168, 1568, 5),
    "HQC-128": (2241, 2321, 4433, 1),
    "HQC-192": (4514, 4602, 8978, 3),
    "HQC-256": (7237, 7333, 14421, 5),
    "mceliece348864": (261120, 6492, 96, 1),
    "mceliece348864f": (261120, 6492, 96, 1),
    "mceliece460896": (524160, 13608, 156, 3),
    "mceliece460896f": (524160, 13608, 156, 3),
    "sntrup761": (1158, 1763, 1039, 2),
    "ML-DSA-44": (1312, 2560, 2420, 2),
    "ML-DSA-65": (1952, 4032, 3309, 3),
    "ML-DSA-87": (2592, 4896, 4627, 5),
    "SLH-DSA-SHA2-128s": (32, 64, 7856, 1),
    "SLH-DSA-SHA2-128f": (32, 64, 17088, 1),
    "SLH-DSA-SHA2-192f": (48, 96, 35664, 3),
    "SLH-DSA-SHA2-256f": (64, 128, 49856, 5),
    "SLH-DSA-SHAKE-128s": (32, 64, 7856, 1),
    "SLH-DSA-SHAKE-128f": (32, 64, 17088, 1),
    "SLH-DSA-SHAKE-192f": (48, 96, 35664, 3),
    "SLH-DSA-SHAKE-256f": (64, 128, 49856, 5),
}
KEMS = [p for p in fam.PARAMETER_SETS if p.kind == "kem"]
SIGNS = [p for p in fam.PARAMETER_SETS if p.kind == "sign"]


def test_table_covers_exactly_the_expected_sets():
    assert [p.name for p in fam.PARAMETER_SETS] == list(EXPECTED)
    assert set(fam.BY_NAME) == set(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_sizes_and_level(name):
    p = fam.BY_NAME[name]
    assert (p.public_key_size, p.secret_key_size, p.output_size, p.nist_level) == EXPECTED[name]
    assert p.shared_secret_size == (32 if p.kind == "kem" else 0)


@pytest.fixture(scope="module")
def kem_keys():
    return {p.name: p.keygen() for p in KEMS}


@pytest.fixture(scope="module")
def sign_keys():
    return {p.name: p.keygen() for p in SIGNS}


@pytest.mark.parametrize("p", KEMS, ids=lambda p: p.name)
def test_kem_round_trip_and_implicit_rejection(p, kem_keys):
    public, secret = kem_keys[p.name]
    assert (len(public), len(secret)) == (p.public_key_size, p.secret_key_size)
    shared, ciphertext = p.encaps(public)
    assert len(ciphertext) == p.output_size and len(shared) == 32
    assert p.decaps(secret, ciphertext) == shared
    again, other = p.encaps(public)
    assert again != shared and other != ciphertext  # fresh randomness each time
    changed = bytearray(ciphertext)
    changed[0] ^= 1
    assert p.decaps(secret, bytes(changed)) != shared
    with pytest.raises(fam.PqcFormatError):
        p.decaps(secret, ciphertext[:-1])
    with pytest.raises(fam.PqcFormatError):
        p.encaps(public[:-1])
    with pytest.raises(TypeError):
        p.sign(secret, b"m")


@pytest.mark.parametrize("p", SIGNS, ids=lambda p: p.name)
def test_sign_verify_and_refusals(p, sign_keys):
    public, secret = sign_keys[p.name]
    signature = p.sign(secret, b"message")
    assert len(signature) == p.output_size
    assert p.verify(public, b"message", signature)
    assert not p.verify(public, b"messagE", signature)
    changed = bytearray(signature)
    changed[len(changed) // 2] ^= 1
    assert not p.verify(public, b"message", bytes(changed))
    assert not p.verify(public, b"message", signature[:-1])
    assert not p.verify(public[:-1], b"message", signature)
    with pytest.raises(TypeError):
        p.encaps(public)


@pytest.mark.parametrize("p", fam.PARAMETER_SETS, ids=lambda p: p.name)
def test_public_encoding_round_trips_and_refuses_others(p):
    raw = bytes(range(256)) * (p.public_key_size // 256) + bytes(p.public_key_size % 256)
    encoded = p.encode_public(raw)
    assert p.decode_public(encoded) == raw
    with pytest.raises(fam.PqcFormatError):
        p.decode_public(encoded[:-1])
    with pytest.raises(fam.PqcFormatError):
        p.decode_public(encoded + b"\x00")
    if p.oid is not None:
        assert encoded != raw
        with pytest.raises(fam.PqcFormatError):
            p.decode_public(raw)


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("ML-KEM-768", mlkem.MLKEM768PublicKey),
        ("ML-KEM-1024", mlkem.MLKEM1024PublicKey),
        ("ML-DSA-44", mldsa.MLDSA44PublicKey),
        ("ML-DSA-65", mldsa.MLDSA65PublicKey),
        ("ML-DSA-87", mldsa.MLDSA87PublicKey),
    ],
)
def test_spki_encoding_loads_in_cryptography(name, cls):
    p = fam.BY_NAME[name]
    public, _ = p.keygen()
    loaded = load_der_public_key(p.encode_public(public))
    assert isinstance(loaded, cls)
    assert loaded.public_bytes_raw() == public


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=1700), name=st.sampled_from(["ML-KEM-768", "ML-DSA-44"]))
def test_decode_public_refuses_junk(data, name):
    p = fam.BY_NAME[name]
    try:
        raw = p.decode_public(data)
    except fam.PqcFormatError:
        return
    assert p.encode_public(raw) == data


def test_pqcrypto_and_cryptography_interoperate():
    # ML-KEM-768: pqcrypto encapsulates to a cryptography key, which decapsulates.
    theirs = mlkem.MLKEM768PrivateKey.generate()
    p = fam.BY_NAME["ML-KEM-768"]
    shared, ciphertext = p.encaps(theirs.public_key().public_bytes_raw())
    assert theirs.decapsulate(ciphertext) == shared
    # ML-DSA-65: cryptography signs, pqcrypto verifies; and back.
    signer = mldsa.MLDSA65PrivateKey.generate()
    q = fam.BY_NAME["ML-DSA-65"]
    signature = signer.sign(b"cross")
    assert q.verify(signer.public_key().public_bytes_raw(), b"cross", signature)
    public, secret = q.keygen()
    load_der_public_key(q.encode_public(public)).verify(q.sign(secret, b"back"), b"back")


def test_missing_pqcrypto_is_a_clear_error(monkeypatch):
    import importlib

    real = importlib.import_module

    def refuse(name, *args):
        if name.startswith("pqcrypto"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(fam.importlib, "import_module", refuse)
    monkeypatch.setattr(fam, "_MODULES", {})
    assert fam.available() is False
    fresh = fam.ParameterSet("HQC-128", "HQC", "kem", 1, "hqc_128")  # nothing loaded yet
    with pytest.raises(fam.PqcUnavailable, match="pip install"):
        fresh.keygen()
