"""A live comparison of every post-quantum parameter set from ``pqcrypto`` with the
classical keys (RSA-2048, P-256, SM2): NIST level, sizes and operations per second.

Users of a workbench compare families; this measures them here, on this machine, in one
run, so the numbers are comparable with each other (never with another machine's). The
rates are real time and vary run to run; a notebook marks them ``NBVAL_IGNORE_OUTPUT``.
No key material is kept or shown: only sizes and rates.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from matplotlib.axes import Axes

from kmslab.crypto import pqc_families as fam
from kmslab.crypto import sm2
from kmslab.crypto.randomness import make_random

OPERATIONS = ("keygen", "encaps", "decaps", "sign", "verify")
METHOD = (
    "Each operation runs single-threaded, in process, repeatedly on one key for at least "
    "{seconds:g} s of wall time (time.perf_counter) and at least {min_runs} time(s), after "
    "one untimed warm-up call; the rate is runs / elapsed. Encaps and decaps of the "
    "classical rows are RSA-OAEP-SHA-256, ephemeral ECDH and SM2 encryption of a 32-byte "
    "secret. Classical sizes are fixed forms: RSA as DER (SubjectPublicKeyInfo; PKCS#8, "
    "typically 1217), EC public keys as uncompressed points, ECDSA and SM2 signatures as "
    "r || s (64; DER adds 6-8), SM2 ciphertexts as Tencent's raw C1C3C2 (bare 64-byte C1)."
)
"""How :func:`pqc_compare` measures; the DataFrame carries it in ``attrs['method']``."""

COLUMNS = (
    "family",
    "parameter_set",
    "kind",
    "nist_level",
    "public_key_bytes",
    "secret_key_bytes",
    "output_bytes",
    *(f"{op}_per_s" for op in OPERATIONS),
)


@dataclass(frozen=True)
class _Scheme:
    """One row to measure: sizes come from one key made by ``keygen``; ``ops`` maps an
    operation to a function of that key's state."""

    family: str
    name: str
    kind: str
    level: int
    keygen: Callable[[], Any]
    ops: Callable[[Any], dict[str, Callable[[], object]]]
    sizes: Callable[[Any], tuple[int, int, int]]


def rate(fn: Callable[[], object], seconds: float, min_runs: int = 1) -> float:
    """Calls per second of ``fn``: one untimed warm-up, then at least ``min_runs`` calls
    and at least ``seconds`` of wall time."""
    fn()
    runs, start = 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < seconds:
        fn()
        runs += 1
    return runs / (time.perf_counter() - start)


def _pq_scheme(p: fam.ParameterSet) -> _Scheme:
    def keygen():
        public, secret = p.keygen()
        return public, secret

    if p.kind == "kem":

        def ops(state):
            public, secret = state
            _, ciphertext = p.encaps(public)
            return {
                "encaps": lambda: p.encaps(public),
                "decaps": lambda: p.decaps(secret, ciphertext),
            }

    else:

        def ops(state):
            public, secret = state
            signature = p.sign(secret, b"message")
            return {
                "sign": lambda: p.sign(secret, b"message"),
                "verify": lambda: p.verify(public, b"message", signature),
            }

    return _Scheme(
        p.family,
        p.name,
        "KEM" if p.kind == "kem" else "signature",
        p.nist_level,
        keygen,
        ops,
        lambda state: (p.public_key_size, p.secret_key_size, p.output_size),
    )


_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
_DER = serialization.Encoding.DER
_SPKI = serialization.PublicFormat.SubjectPublicKeyInfo


def _rsa_size(key, output: bytes) -> tuple[int, int, int]:
    # PKCS#8 DER of an RSA-2048 key is 1216-1218 bytes, depending on its CRT values; the
    # table reports the typical 1217 so that it reads the same on every run.
    return len(key.public_key().public_bytes(_DER, _SPKI)), 1217, len(output)


def _rsa_kem() -> _Scheme:
    def ops(key):
        ct = key.public_key().encrypt(bytes(32), _OAEP)
        return {
            "encaps": lambda: key.public_key().encrypt(bytes(32), _OAEP),
            "decaps": lambda: key.decrypt(ct, _OAEP),
        }

    def sizes(key):
        return _rsa_size(key, key.public_key().encrypt(bytes(32), _OAEP))

    return _Scheme("RSA", "RSA-2048 OAEP", "KEM", 0, _new_rsa, ops, sizes)


def _new_rsa():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _rsa_sign() -> _Scheme:
    pad = padding.PKCS1v15()

    def ops(key):
        sig = key.sign(b"message", pad, hashes.SHA256())
        public = key.public_key()
        return {
            "sign": lambda: key.sign(b"message", pad, hashes.SHA256()),
            "verify": lambda: public.verify(sig, b"message", pad, hashes.SHA256()),
        }

    def sizes(key):
        return _rsa_size(key, key.sign(b"message", pad, hashes.SHA256()))

    return _Scheme("RSA", "RSA-2048 PKCS#1 v1.5", "signature", 0, _new_rsa, ops, sizes)


def _point(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _p256_kem() -> _Scheme:
    def encaps(public):
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        return ephemeral.exchange(ec.ECDH(), public), _point(ephemeral)

    def ops(key):
        public = key.public_key()
        _, sent = encaps(public)
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sent)
        return {"encaps": lambda: encaps(public), "decaps": lambda: key.exchange(ec.ECDH(), peer)}

    return _Scheme(
        "P-256",
        "P-256 ECDH",
        "KEM",
        0,
        lambda: ec.generate_private_key(ec.SECP256R1()),
        ops,
        lambda key: (65, 32, 65),
    )


def _p256_sign() -> _Scheme:
    algorithm = ec.ECDSA(hashes.SHA256())

    def ops(key):
        sig = key.sign(b"message", algorithm)
        public = key.public_key()
        return {
            "sign": lambda: key.sign(b"message", algorithm),
            "verify": lambda: public.verify(sig, b"message", algorithm),
        }

    return _Scheme(
        "P-256",
        "P-256 ECDSA",
        "signature",
        0,
        lambda: ec.generate_private_key(ec.SECP256R1()),
        ops,
        lambda key: (65, 32, 64),
    )


def _sm2_schemes() -> list[_Scheme]:
    random = make_random(None)

    def keygen():
        return sm2.load_private(sm2.generate_private_der(random))

    def enc_ops(key):
        public = key.public_key()
        ct = sm2.encrypt_der(public, bytes(32), random)
        return {
            "encaps": lambda: sm2.encrypt_der(public, bytes(32), random),
            "decaps": lambda: sm2.decrypt_der(key, ct),
        }

    def sign_ops(key):
        public = key.public_key()
        sig = sm2.sign(key, b"message", random)
        return {
            "sign": lambda: sm2.sign(key, b"message", random),
            "verify": lambda: sm2.verify(public, sig, b"message"),
        }

    return [
        _Scheme(
            "SM2",
            "SM2 encryption",
            "KEM",
            0,
            keygen,
            enc_ops,
            lambda key: (65, 32, 128),
        ),
        _Scheme(
            "SM2",
            "SM2DSA",
            "signature",
            0,
            keygen,
            sign_ops,
            lambda key: (65, 32, 64),
        ),
    ]


def schemes() -> list[str]:
    """Every row name :func:`pqc_compare` can measure, post-quantum first."""
    return [s.name for s in _all_schemes()]


def _all_schemes() -> list[_Scheme]:
    classical = [_rsa_kem(), _rsa_sign(), _p256_kem(), _p256_sign(), *_sm2_schemes()]
    return [_pq_scheme(p) for p in fam.PARAMETER_SETS] + classical


def pqc_compare(
    *, seconds: float = 0.05, min_runs: int = 1, only: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per parameter set (every ``pqcrypto`` family, then RSA-2048, P-256 and
    SM2): NIST level (0: no post-quantum security), public key, secret key and
    ciphertext or signature bytes, and live keygen / encaps / decaps / sign / verify
    rates. ``only`` restricts the rows by name (see :func:`schemes`); the measurement
    method is in ``df.attrs['method']``."""
    if seconds < 0 or min_runs < 1:
        raise ValueError("seconds is >= 0 and min_runs >= 1")
    chosen = _all_schemes()
    if only is not None:
        wanted = list(only)
        unknown = set(wanted) - {s.name for s in chosen}
        if unknown:
            raise ValueError(f"unknown schemes {sorted(unknown)}; see schemes()")
        chosen = [s for s in chosen if s.name in wanted]
    rows = []
    for scheme in chosen:
        state = scheme.keygen()
        row = {
            "family": scheme.family,
            "parameter_set": scheme.name,
            "kind": scheme.kind,
            "nist_level": scheme.level,
        }
        row.update(zip(COLUMNS[4:7], scheme.sizes(state), strict=True))
        row["keygen_per_s"] = rate(scheme.keygen, seconds, min_runs)
        measured = {op: rate(fn, seconds, min_runs) for op, fn in scheme.ops(state).items()}
        for op in OPERATIONS[1:]:
            row[f"{op}_per_s"] = measured.get(op, float("nan"))
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df.attrs["method"] = METHOD.format(seconds=seconds, min_runs=min_runs)
    return df


def plot_pqc_compare(
    df: pd.DataFrame,
    *,
    size: str = "output_bytes",
    speed: str = "sign_per_s",
    ax: Axes | None = None,
    label: bool = True,
) -> Axes:
    """Size against speed on log scales, one marker per family, for the rows of
    :func:`pqc_compare` that have ``speed`` (KEM rows have no sign rate, and so on)."""
    import matplotlib.pyplot as plt

    for column in (size, speed):
        if column not in df.columns:
            raise ValueError(f"{column!r} is not a column of the comparison")
    rows = df.dropna(subset=[speed])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    markers = "os^DvP*Xhp<>"
    for i, (family, group) in enumerate(rows.groupby("family", sort=False)):
        ax.scatter(group[size], group[speed], marker=markers[i % len(markers)], s=45, label=family)
        if label:
            for _, row in group.iterrows():
                ax.annotate(
                    row["parameter_set"],
                    (row[size], row[speed]),
                    fontsize=6,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(size.replace("_", " "))
    ax.set_ylabel(speed.replace("_per_s", " per second (live)").replace("_", " "))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return ax
