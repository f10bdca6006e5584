"""The two SM2 backends agree byte for byte where SM2 is deterministic, read each other's
keys, signatures and ciphertexts, and the fallback's parsers refuse garbage cleanly; the
SM2 known-answer and interoperability tests pass with Tongsuo hidden."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.crypto import sm2, sm2_der, sm2_pure
from kmslab.crypto.randomness import DeterministicRandom

try:
    from kmslab.crypto import sm2_tongsuo as tongsuo
except ImportError:  # no Tongsuo wheel for this platform: only the fallback to test
    tongsuo = None
needs_tongsuo = pytest.mark.skipif(tongsuo is None, reason="no Tongsuo wheel here")
REPO = Path(__file__).resolve().parents[2]
BACKENDS = {"gmalg": sm2_pure, **({"tongsuo": tongsuo} if tongsuo else {})}
PAIRS = [(a, b) for a in BACKENDS for b in BACKENDS if a != b]


def _random(seed: int = 1) -> DeterministicRandom:
    with pytest.warns(UserWarning):
        return DeterministicRandom(seed)


def test_backend_is_named_and_chosen_by_environment():
    assert sm2.BACKEND in sm2.BACKENDS
    code = "from kmslab.crypto import sm2; print(sm2.BACKEND)"
    for choice in ("gmalg", "tongsuo") if tongsuo else ("gmalg",):
        env = dict(os.environ, KMSLAB_SM2_BACKEND=choice, PYTHONPATH=str(REPO))
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert out.stdout.strip() == choice, out.stderr
    env = dict(os.environ, KMSLAB_SM2_BACKEND="openssl", PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "KMSLAB_SM2_BACKEND must be one of" in out.stderr


@needs_tongsuo
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_random_source_same_key_bytes(seed):
    scalar = 1 + _random(seed).randbelow(sm2_der.ORDER - 2)
    ours = sm2_pure.private_der_of(scalar)
    assert ours == tongsuo.private_der_of(scalar)
    for name, backend in BACKENDS.items():
        key = backend.load_private(ours)
        assert backend.public_der(key) == sm2_pure.public_der(sm2_pure.load_private(ours)), name


@pytest.mark.parametrize(("signer", "verifier"), PAIRS)
def test_signatures_cross_verify(signer, verifier):
    der = sm2_pure.private_der_of(12345678901234567890)
    sign_with, verify_with = BACKENDS[signer], BACKENDS[verifier]
    key, other = sign_with.load_private(der), verify_with.load_private(der)
    signature = sign_with.sign(key, b"across backends", _random())
    assert verify_with.verify(other.public_key(), signature, b"across backends")
    assert not verify_with.verify(other.public_key(), signature, b"across backendz")
    digest = bytes(range(32))
    signature = sign_with.sign_digest(key, digest, _random())
    assert verify_with.verify_digest(other.public_key(), signature, digest)
    assert not verify_with.verify_digest(other.public_key(), signature, digest[::-1])


@pytest.mark.parametrize(("encrypter", "decrypter"), PAIRS)
@pytest.mark.parametrize("size", [1, 32, 200])
def test_ciphertexts_cross_decrypt(encrypter, decrypter, size):
    der = sm2_pure.private_der_of(98765432109876543210)
    enc, dec = BACKENDS[encrypter], BACKENDS[decrypter]
    public = enc.load_public_der(enc.public_der(enc.load_private(der)))
    ciphertext = enc.encrypt_der(public, b"q" * size, _random())
    assert dec.decrypt_der(dec.load_private(der), ciphertext) == b"q" * size


def test_pure_backend_reproduces_from_the_seed():
    key = sm2_pure.load_private(sm2_pure.private_der_of(424242))
    assert sm2_pure.sign(key, b"m", _random(7)) == sm2_pure.sign(key, b"m", _random(7))
    assert sm2_pure.sign(key, b"m", _random(7)) != sm2_pure.sign(key, b"m", _random(8))
    one = sm2_pure.encrypt_der(key.public_key(), b"m", _random(7))
    assert one == sm2_pure.encrypt_der(key.public_key(), b"m", _random(7))


@needs_tongsuo
def test_pure_backend_pem_and_repr():
    key = sm2_pure.load_private(sm2_pure.private_der_of(31337))
    from kmslab.crypto.asymmetric import pem_from_der

    pem = pem_from_der(sm2_pure.public_der(key)).encode()
    assert sm2_pure.load_public_pem(pem).point == key.public_key().point
    assert tongsuo.load_public_pem(pem) is not None
    assert (
        sm2_pure.load_public_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
        is None
    )
    assert sm2_pure.load_public_pem(pem.replace(b"PUBLIC", b"PRIVATE")) is None
    assert "31337" not in repr(key) and hex(31337)[2:] not in repr(key)


# -- attacks on the fallback's parsers --------------------------------------------------


def _quiet_random(seed: int) -> DeterministicRandom:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DeterministicRandom(seed)


_KEY = sm2_pure.load_private(sm2_pure.private_der_of(555))
_PRIVATE = sm2_pure.private_der_of(555)
_PUBLIC = sm2_pure.public_der(_KEY)
_SIGNATURE = sm2_pure.sign(_KEY, b"m", _quiet_random(1))
_CIPHERTEXT = sm2_pure.encrypt_der(_KEY.public_key(), b"secret", _quiet_random(2))


def _mutations(data: bytes):
    return st.one_of(
        st.binary(max_size=len(data) + 8),
        st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)).map(
            lambda p: data[: p[0]] + bytes([data[p[0]] ^ p[1]]) + data[p[0] + 1 :]
        ),
        st.integers(0, len(data) - 1).map(lambda n: data[:n]),
        st.binary(min_size=1, max_size=4).map(lambda tail: data + tail),
    )


@settings(max_examples=150, deadline=None)
@given(_mutations(_PRIVATE))
def test_private_key_parser_refuses_cleanly(data):
    try:
        key = sm2_pure.load_private(data)
    except sm2_der.SM2Error:
        return
    assert sm2_der.private_from_der(data) == key.d  # only a well-formed key gets through


@settings(max_examples=150, deadline=None)
@given(_mutations(_PUBLIC))
def test_public_key_parser_refuses_cleanly(data):
    try:
        key = sm2_pure.load_public_der(data)
    except sm2_der.SM2Error:
        return
    assert sm2_pure.public_der(key) == data  # accepted only if it re-encodes identically


@settings(max_examples=150, deadline=None)
@given(_mutations(_SIGNATURE))
def test_altered_signatures_never_verify(data):
    assert sm2_pure.verify(_KEY.public_key(), data, b"m") == (data == _SIGNATURE)


@settings(max_examples=100, deadline=None)
@given(_mutations(_CIPHERTEXT))
def test_altered_ciphertexts_never_decrypt(data):
    if data == _CIPHERTEXT:
        return
    with pytest.raises(sm2_der.SM2Error):
        sm2_pure.decrypt_der(_KEY, data)


@pytest.mark.parametrize(
    "der",
    [
        sm2_der.signature_to_der(0, 1),
        sm2_der.signature_to_der(1, sm2_der.ORDER),
        b"\x30\x06\x02\x01\x01\x02\x01",
        b"\x30\x08\x02\x02\x00\x01\x02\x02\x00\x01",  # non-minimal integers
        _SIGNATURE + b"\x00",
    ],
)
def test_malformed_signatures_are_refused(der):
    with pytest.raises(sm2_der.SM2Error):
        sm2_der.signature_from_der(der)


def test_off_curve_public_point_is_refused():
    x, y = _KEY.public_key().point
    with pytest.raises(sm2_der.SM2Error):
        sm2_pure.load_public_der(sm2_der.public_to_der(x, y ^ 1))


# -- the SM2 known-answer and interoperability tests, with Tongsuo hidden ---------------

_HIDDEN = (
    "import sys; sys.modules['tongsuopy'] = None\n"  # any import of tongsuopy now fails
    "import pytest\n"
    "from kmslab.crypto import sm2\n"
    "assert sm2.BACKEND == 'gmalg', sm2.BACKEND\n"
    "sys.exit(pytest.main(sys.argv[1:]))\n"
)


def test_sm2_known_answers_and_interop_pass_with_tongsuo_hidden():
    tests = REPO / "tests" / "asymmetric"
    argv = [
        str(tests / "test_known_answers.py"),
        str(tests / "test_sm2_pqc_wrap.py"),
        "-k",
        "sm2 or SM2 or sm3",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-W",
        "ignore::UserWarning",
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO), KMSLAB_SM2_BACKEND="")
    out = subprocess.run(
        [sys.executable, "-c", _HIDDEN, *argv],
        env=env,
        cwd=tests,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    summary = out.stdout.strip().splitlines()[-1]
    assert "passed" in summary and "failed" not in summary, summary
    assert int(summary.split(" passed")[0].split()[-1]) >= 15, summary


@pytest.mark.parametrize(
    ("platform", "machine", "gets_tongsuo"),
    [
        ("linux", "x86_64", True),
        ("linux", "aarch64", False),
        ("linux", "armv7l", False),
        ("darwin", "arm64", True),
        ("darwin", "x86_64", True),
        ("win32", "AMD64", True),
    ],
)
def test_tongsuo_is_required_only_where_its_wheels_exist(platform, machine, gets_tongsuo):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    from packaging.requirements import Requirement

    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    requirements = [Requirement(r) for r in config["project"]["dependencies"]]
    env = {"sys_platform": platform, "platform_machine": machine}
    wanted = {r.name for r in requirements if r.marker is None or r.marker.evaluate(env)}
    assert ("tongsuopy" in wanted) == gets_tongsuo
    assert "gmalg" in wanted  # the fallback is always installed
