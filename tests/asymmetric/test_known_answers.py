"""Known-answer tests: published vectors through kmslab's own primitive wiring, so a
miswired hash, curve, nonce source, ciphertext form or seed layout fails here.

Sources: SM3 from GB/T 32905-2016 appendix A; SM2 from GB/T 32918.5-2017 / GM/T 0003.5
(the examples on the recommended curve: key 3945208F..., nonce 59276E27..., "message
digest" and "encryption standard"), cross-checked with gmssl and gmalg; ECDSA from RFC
6979 appendices A.2.5 and A.2.6; ML-KEM-1024 and ML-DSA-87 from the KAT files shipped
in ``cryptography_vectors`` (copied into ``pqc_kat_vectors``).
"""

from __future__ import annotations

import hashlib

import gmalg
import pqc_kat_vectors as kat
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from gmssl import sm2 as gmssl_sm2

try:  # Tongsuo is a second SM3 to check against where its wheel exists
    from tongsuopy.crypto import hashes as ts_hashes
except ImportError:
    ts_hashes = None

from kmslab.crypto import asymmetric as asym
from kmslab.crypto import pqc, sm2
from kmslab.crypto.sm2_der import private_to_der

# -- SM3 (GB/T 32905-2016, appendix A) ------------------------------------------------

SM3_VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


def _digest(module, message: bytes) -> str:
    h = module.Hash(module.SM3())
    h.update(message)
    return h.finalize().hex()


@pytest.mark.parametrize(("message", "expected"), SM3_VECTORS)
@pytest.mark.parametrize(
    "module",
    [
        pytest.param(
            ts_hashes,
            id="tongsuo",
            marks=pytest.mark.skipif(ts_hashes is None, reason="no Tongsuo"),
        ),
        pytest.param(hashes, id="cryptography"),
    ],
)
def test_sm3_standard_examples(module, message, expected):
    # Tongsuo's SM3 is the one inside kmslab's SM2; cryptography's is the other in use.
    assert _digest(module, message) == expected


# -- SM2 (GB/T 32918.5 examples on the recommended curve) -------------------------------

SM2_D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
SM2_QX = 0x09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
SM2_QY = 0xCCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13
SM2_K = bytes.fromhex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")
SM2_UID = b"1234567812345678"
SM2_MESSAGE = b"message digest"
SM2_E = "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640"
SM2_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
SM2_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA
SM2_PLAINTEXT = b"encryption standard"
# C1 (without 04) || C3 || C2, the standard's C1C3C2 ciphertext.
SM2_RAW = bytes.fromhex(
    "04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73"
    "e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0"
    "59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766"
    "21886ca989ca9c7d58087307ca93092d651efa"
)
# The recommended curve (GB/T 32918.5): a, b, G, for Z_A.
_CURVE = (
    "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc"
    "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"
    "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
    "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0"
)


class ScriptedRandom:
    """A random source that yields given byte strings first (the standard's nonce), then
    a fixed filler: exactly what kmslab's SM2 draws through ``random.bytes``."""

    def __init__(self, *first: bytes) -> None:
        self.queue = list(first)
        self.draws: list[int] = []

    def bytes(self, n: int) -> bytes:
        self.draws.append(n)
        if self.queue:
            out = self.queue.pop(0)
            assert len(out) == n, f"the first draw is {n} bytes, not the nonce's {len(out)}"
            return out
        return b"\x5a" * n


@pytest.fixture(scope="module")
def sm2_private():
    """The standard's key, through kmslab's loader (PKCS#8 DER, as kmslab stores it), on
    whichever SM2 backend is active."""
    return sm2.load_private(private_to_der(SM2_D, SM2_QX, SM2_QY))


def _rs(der: bytes) -> tuple[int, int]:
    return decode_dss_signature(der)


def test_sm2_public_key_of_the_example(sm2_private):
    point = sm2.public_der(sm2_private)[-64:]  # the SubjectPublicKeyInfo ends with x || y
    assert point == SM2_QX.to_bytes(32, "big") + SM2_QY.to_bytes(32, "big")


def test_sm2_e_of_the_example():
    z_input = len(SM2_UID * 8).to_bytes(2, "big") + SM2_UID + bytes.fromhex(_CURVE)
    z_input += SM2_QX.to_bytes(32, "big") + SM2_QY.to_bytes(32, "big")
    z = bytes.fromhex(_digest(hashes, z_input))
    assert _digest(hashes, z + SM2_MESSAGE) == SM2_E


def test_sm2_signature_of_the_example(sm2_private):
    random = ScriptedRandom(SM2_K)
    signature = sm2.sign(sm2_private, SM2_MESSAGE, random)
    assert _rs(signature) == (SM2_R, SM2_S)
    assert sm2.verify(sm2_private.public_key(), signature, SM2_MESSAGE)


def test_sm2_digest_signature_of_the_example(sm2_private):
    signature = sm2.sign_digest(sm2_private, bytes.fromhex(SM2_E), ScriptedRandom(SM2_K))
    assert _rs(signature) == (SM2_R, SM2_S)
    assert sm2.verify_digest(sm2_private.public_key(), signature, bytes.fromhex(SM2_E))


@pytest.mark.parametrize(
    ("r", "s", "message"),
    [
        (SM2_R, SM2_S, SM2_MESSAGE),
        (SM2_R, SM2_S, b"message digesT"),
        (SM2_R ^ 1, SM2_S, SM2_MESSAGE),
        (SM2_R, SM2_S ^ (1 << 100), SM2_MESSAGE),
    ],
)
def test_sm2_verification_of_the_example(sm2_private, r, s, message):
    valid = sm2.verify(sm2_private.public_key(), encode_dss_signature(r, s), message)
    assert valid is ((r, s, message) == (SM2_R, SM2_S, SM2_MESSAGE))


def test_sm2_encryption_of_the_example(sm2_private):
    der = sm2.encrypt_der(sm2_private.public_key(), SM2_PLAINTEXT, ScriptedRandom(SM2_K))
    assert sm2.der_to_raw(der) == SM2_RAW
    assert sm2.raw_to_der(SM2_RAW) == der


def test_sm2_decryption_of_the_example(sm2_private):
    der = sm2.raw_to_der(SM2_RAW)
    assert sm2.decrypt_der(sm2_private, der) == SM2_PLAINTEXT
    tampered = bytearray(SM2_RAW)
    tampered[-1] ^= 1
    with pytest.raises(sm2.SM2Error):
        sm2.decrypt_der(sm2_private, sm2.raw_to_der(bytes(tampered)))


def test_sm2_matches_gmssl_and_gmalg_with_fixed_nonces(sm2_private):
    """Two independent pure-Python implementations agree with kmslab's Tongsuo path."""
    k_hex = SM2_K.hex()
    public_hex = f"{SM2_QX:064x}{SM2_QY:064x}"
    other = gmssl_sm2.CryptSM2(private_key=f"{SM2_D:064x}", public_key=public_hex, mode=1)
    ours = sm2.sign(sm2_private, b"kmslab cross-check", ScriptedRandom(SM2_K))
    r, s = _rs(ours)
    assert other.sign_with_sm3(b"kmslab cross-check", k_hex) == f"{r:064x}{s:064x}"

    k_int = int.from_bytes(SM2_K, "big")
    theirs = gmalg.SM2(SM2_D.to_bytes(32, "big"), uid=SM2_UID, rnd_fn=lambda bits: k_int)
    ciphertext = theirs.encrypt(b"kmslab cross-check")  # 04 || C1 || C3 || C2
    assert ciphertext[0] == 4
    plain = sm2.decrypt_der(sm2_private, sm2.raw_to_der(ciphertext[1:]))
    assert plain == b"kmslab cross-check"
    ours_ct = sm2.encrypt_der(
        sm2_private.public_key(), b"kmslab cross-check", ScriptedRandom(SM2_K)
    )
    assert b"\x04" + sm2.der_to_raw(ours_ct) == ciphertext


# -- ECDSA (RFC 6979 A.2.5 / A.2.6, deterministic) ------------------------------------

RFC6979 = [
    (
        "ECC_P256_R1",
        ec.SECP256R1(),
        "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        b"sample",
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    ),
    (
        "ECC_P256_R1",
        ec.SECP256R1(),
        "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        b"test",
        "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
        "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
    ),
    (
        "ECDSA_P384_SHA_384",
        ec.SECP384R1(),
        "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
        "96D5724E4C70A825F872C9EA60D2EDF5",
        b"sample",
        "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
        "81A648152E44ACF96E36DD1E80FABE46",
        "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
        "A329C145786E679E7B82C71A38628AC8",
    ),
    (
        "ECDSA_P384_SHA_384",
        ec.SECP384R1(),
        "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
        "96D5724E4C70A825F872C9EA60D2EDF5",
        b"test",
        "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB"
        "0542A7F0812998DA8F1DD3CA3CF023DB",
        "DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E0"
        "6A739F040649A667BF3B828246BAA5A5",
    ),
]


@pytest.mark.parametrize("digest", [False, True], ids=["raw", "digest"])
@pytest.mark.parametrize(("algorithm", "curve", "x", "message", "r", "s"), RFC6979)
def test_ecdsa_rfc6979_vectors(algorithm, curve, x, message, r, s, digest):
    private = ec.derive_private_key(int(x, 16), curve)
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = asym.load_private(der)  # the loader kmslab's ECC keys go through
    if digest:
        h = hashes.Hash(asym.SIGNATURES[algorithm][1])
        h.update(message)
        message = h.finalize()
        assert len(message) == asym.digest_size(algorithm)
    signature = asym.sign(key, algorithm, message, digest)
    assert _rs(signature) == (int(r, 16), int(s, 16))
    assert asym.verify(key, algorithm, signature, message, digest)
    assert not asym.verify(key, algorithm, encode_dss_signature(int(r, 16), 1), message, digest)


# -- ML-KEM-1024 and ML-DSA-87 (official KAT entries) -------------------------------------


def test_mlkem_1024_keygen_from_seed():
    key = pqc.mlkem_from_seed(bytes.fromhex(kat.MLKEM_D + kat.MLKEM_Z))  # seed = d || z
    public = key.public_key().public_bytes_raw()
    assert len(public) == 1568
    assert hashlib.sha256(public).hexdigest() == kat.MLKEM_PK_SHA256


@pytest.mark.parametrize(
    ("ciphertext", "secret"),
    [(kat.MLKEM_CT, kat.MLKEM_SS), (kat.MLKEM_CT_REJECTED, kat.MLKEM_SS_REJECTED)],
    ids=["valid", "implicit-rejection"],
)
def test_mlkem_1024_decapsulation(ciphertext, secret):
    key = pqc.mlkem_from_seed(bytes.fromhex(kat.MLKEM_D + kat.MLKEM_Z))
    assert len(bytes.fromhex(ciphertext)) == pqc.MLKEM_CIPHERTEXT
    assert pqc.decapsulate(key, bytes.fromhex(ciphertext)).hex() == secret


def test_mldsa_87_keygen_from_seed():
    key = pqc.mldsa_from_seed(bytes.fromhex(kat.MLDSA_XI))
    public = key.public_key().public_bytes_raw()
    assert len(public) == 2592
    assert hashlib.sha256(public).hexdigest() == kat.MLDSA_PK_SHA256


def test_mldsa_87_verifies_the_vector_signature():
    """The KAT signature carries a context string; kmslab signs with an empty one, so its
    own verify must refuse the vector while the context-aware verify accepts it."""
    key = pqc.mldsa_from_seed(bytes.fromhex(kat.MLDSA_XI))
    signature = bytes.fromhex(kat.MLDSA_SIG)
    message = bytes.fromhex(kat.MLDSA_MSG)
    assert len(signature) == 4627
    key.public_key().verify(signature, message, bytes.fromhex(kat.MLDSA_CTX))
    assert not pqc.verify(key, signature, message)
    ours = pqc.sign(key, message)
    assert len(ours) == 4627 and pqc.verify(key, ours, message)
    key.public_key().verify(ours, message)  # empty context, as documented


def test_more_kat_entries_when_the_vectors_package_is_installed():
    """The first ten entries of each official file, if ``cryptography_vectors`` is there."""
    vectors = pytest.importorskip("cryptography_vectors")
    from pathlib import Path

    base = Path(vectors.__file__).parent / "asymmetric"

    def entries(path: Path, count: int) -> list[dict]:
        out: list[dict] = []
        current: dict = {}
        with path.open() as handle:
            for line in handle:
                name, _, value = line.strip().partition(" =")
                if name == "count" and current:
                    out.append(current)
                    current = {}
                    if len(out) == count:
                        break
                if name:
                    current[name] = value.strip()
        return out

    for e in entries(base / "MLKEM" / "kat_MLKEM_1024.rsp", 10):
        key = pqc.mlkem_from_seed(bytes.fromhex(e["d"] + e["z"]))
        assert key.public_key().public_bytes_raw().hex() == e["pk"]
        assert pqc.decapsulate(key, bytes.fromhex(e["ct"])).hex() == e["ss"]
        assert pqc.decapsulate(key, bytes.fromhex(e["ct_n"])).hex() == e["ss_n"]
    for e in entries(base / "MLDSA" / "kat_MLDSA_87_det_pure.rsp", 10):
        key = pqc.mldsa_from_seed(bytes.fromhex(e["xi"]))
        assert key.public_key().public_bytes_raw().hex() == e["pk"]
        signed = bytes.fromhex(e["sm"])
        signature = signed[: len(signed) - int(e["mlen"])]
        key.public_key().verify(signature, bytes.fromhex(e["msg"]), bytes.fromhex(e["ctx"]))
