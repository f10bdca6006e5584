"""Every post-quantum family and parameter set kmslab can experiment with, from ``pqcrypto``,
behind one uniform interface: sizes, NIST level, keygen/encaps/decaps/sign/verify.

The table is what the comparison lab and the opt-in service extension both read, so the
two can never disagree on a name, a size or a level. ``pqcrypto`` (a ``lab`` extra) is
imported only when an operation first runs; reading the table needs nothing.

Randomness: ``pqcrypto`` takes no random source. Its key generation, encapsulation and
hedged signing draw from the operating system's CSPRNG inside the Rust library, so
nothing here reproduces under ``KMS(seed=...)`` (docs/algorithms.md).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


class PqcUnavailable(RuntimeError):
    """``pqcrypto`` is not installed; it comes with ``pip install kmslab[lab]``."""


class PqcFormatError(ValueError):
    """A key, ciphertext or encoded public key has the wrong size or structure."""


@dataclass(frozen=True)
class ParameterSet:
    """One parameter set: its name, family, kind (``kem`` or ``sign``), claimed NIST level,
    the ``pqcrypto`` module that implements it, and its standard OID where one exists
    (the public key is then encoded as a SubjectPublicKeyInfo; else it travels raw)."""

    name: str
    family: str
    kind: str
    nist_level: int
    module_name: str
    oid: str | None = None

    @property
    def module(self) -> ModuleType:
        """The ``pqcrypto`` submodule, imported on first use and then kept on the entry."""
        module = self.__dict__.get("_loaded_module")
        if module is None:
            module = _module(self.kind, self.module_name)
            object.__setattr__(self, "_loaded_module", module)
        return module

    @property
    def public_key_size(self) -> int:
        """Bytes of a raw public key."""
        return self.module.PUBLIC_KEY_SIZE

    @property
    def secret_key_size(self) -> int:
        """Bytes of a secret key as ``pqcrypto`` stores it."""
        return self.module.SECRET_KEY_SIZE

    @property
    def output_size(self) -> int:
        """Bytes of a KEM ciphertext or of a signature."""
        if self.kind == "kem":
            return self.module.CIPHERTEXT_SIZE
        return self.module.SIGNATURE_SIZE

    @property
    def shared_secret_size(self) -> int:
        """Bytes of a KEM's shared secret (0 for a signature scheme)."""
        return self.module.SHARED_SECRET_SIZE if self.kind == "kem" else 0

    def keygen(self) -> tuple[bytes, bytes]:
        """A fresh (public key, secret key), both raw bytes."""
        public, secret = self.module.keygen()
        return bytes(public), bytes(secret)

    # The four operations below are the service's hot path: one module lookup each, and
    # pqcrypto's bytes are returned as they come.

    def encaps(self, public: bytes) -> tuple[bytes, bytes]:
        """(shared secret, ciphertext) to a raw public key."""
        module = self._of_kind("kem")
        if len(public) != module.PUBLIC_KEY_SIZE:
            raise PqcFormatError(f"a {self.name} public key is {module.PUBLIC_KEY_SIZE} bytes")
        ciphertext, secret = module.encaps(public)
        return secret, ciphertext

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        """The shared secret of ``ciphertext`` (implicit rejection: a wrong ciphertext of
        the right size gives an unrelated secret, which the caller's AEAD then refuses)."""
        module = self._of_kind("kem")
        if len(ciphertext) != module.CIPHERTEXT_SIZE:
            raise PqcFormatError(f"a {self.name} ciphertext is {module.CIPHERTEXT_SIZE} bytes")
        return module.decaps(secret_key, ciphertext)

    def sign(self, secret_key: bytes, message: bytes) -> bytes:
        """A signature of ``message`` (pure mode, empty context)."""
        return self._of_kind("sign").sign(secret_key, message)

    def verify(self, public: bytes, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is valid for ``message`` under a raw public key; a
        malformed signature is simply invalid."""
        module = self._of_kind("sign")
        if len(signature) != module.SIGNATURE_SIZE:
            return False
        try:
            module.verify(public, message, signature)
        except ValueError:  # InvalidSignatureError is a ValueError
            return False
        return True

    def encode_public(self, public: bytes) -> bytes:
        """The public key as kmslab publishes it: SubjectPublicKeyInfo DER when the
        parameter set has a standard OID (ML-KEM, ML-DSA, SLH-DSA), else the raw bytes."""
        if self.oid is None:
            return public
        algorithm = _tlv(0x30, _tlv(0x06, _oid_body(self.oid)))
        return _tlv(0x30, algorithm + _tlv(0x03, b"\x00" + public))

    def decode_public(self, encoded: bytes) -> bytes:
        """The raw public key of :meth:`encode_public`'s output; refuses anything else."""
        if self.oid is None:
            raw = encoded
        else:
            size = self.public_key_size
            prefix = self.encode_public(bytes(size))[:-size]
            if not encoded.startswith(prefix):
                raise PqcFormatError(f"not a {self.name} SubjectPublicKeyInfo")
            raw = encoded[len(prefix) :]
        if len(raw) != self.public_key_size:
            raise PqcFormatError(f"a {self.name} public key is {self.public_key_size} bytes")
        return raw

    def _of_kind(self, kind: str) -> ModuleType:
        if self.kind != kind:
            raise TypeError(f"{self.name} is a {self.kind} scheme")
        return self.module


_MODULES: dict[str, ModuleType] = {}


def _module(kind: str, name: str) -> ModuleType:
    # Cached: the hot path (one service action) must not pay for an import lookup.
    qualified = f"pqcrypto.{kind}.{name}"
    module = _MODULES.get(qualified)
    if module is None:
        try:
            module = importlib.import_module(qualified)
        except ImportError:
            raise PqcUnavailable(
                "pqcrypto is not installed: pip install 'kmslab[lab]' (or pip install pqcrypto)"
            ) from None
        _MODULES[qualified] = module
    return module


def _tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes((tag, n)) + body
    length = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + body


def _oid_body(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray((40 * arcs[0] + arcs[1],))
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        while arc > 0x7F:
            arc >>= 7
            chunk.append(0x80 | (arc & 0x7F))
        out += bytes(reversed(chunk))
    return bytes(out)


_NIST_KEM = "2.16.840.1.101.3.4.4."
_NIST_SIG = "2.16.840.1.101.3.4.3."


def _kem(name: str, family: str, level: int, module: str, oid: str | None = None):
    return ParameterSet(name, family, "kem", level, module, oid)


def _sig(name: str, family: str, level: int, module: str, oid: str | None = None):
    return ParameterSet(name, family, "sign", level, module, oid)


PARAMETER_SETS: tuple[ParameterSet, ...] = (
    _kem("ML-KEM-512", "ML-KEM", 1, "ml_kem_512", _NIST_KEM + "1"),
    _kem("ML-KEM-768", "ML-KEM", 3, "ml_kem_768", _NIST_KEM + "2"),
    _kem("ML-KEM-1024", "ML-KEM", 5, "ml_kem_1024", _NIST_KEM + "3"),
    _kem("HQC-128", "HQC", 1, "hqc_128"),
    _kem("HQC-192", "HQC", 3, "hqc_192"),
    _kem("HQC-256", "HQC", 5, "hqc_256"),
    _kem("mceliece348864", "Classic McEliece", 1, "mceliece_348864"),
    _kem("mceliece348864f", "Classic McEliece", 1, "mceliece_348864f"),
    _kem("mceliece460896", "Classic McEliece", 3, "mceliece_460896"),
    _kem("mceliece460896f", "Classic McEliece", 3, "mceliece_460896f"),
    _kem("sntrup761", "NTRU Prime", 2, "sntrup_761"),
    _sig("ML-DSA-44", "ML-DSA", 2, "ml_dsa_44", _NIST_SIG + "17"),
    _sig("ML-DSA-65", "ML-DSA", 3, "ml_dsa_65", _NIST_SIG + "18"),
    _sig("ML-DSA-87", "ML-DSA", 5, "ml_dsa_87", _NIST_SIG + "19"),
    _sig("SLH-DSA-SHA2-128s", "SLH-DSA", 1, "slh_dsa_sha2_128s", _NIST_SIG + "20"),
    _sig("SLH-DSA-SHA2-128f", "SLH-DSA", 1, "slh_dsa_sha2_128f", _NIST_SIG + "21"),
    _sig("SLH-DSA-SHA2-192f", "SLH-DSA", 3, "slh_dsa_sha2_192f", _NIST_SIG + "23"),
    _sig("SLH-DSA-SHA2-256f", "SLH-DSA", 5, "slh_dsa_sha2_256f", _NIST_SIG + "25"),
    _sig("SLH-DSA-SHAKE-128s", "SLH-DSA", 1, "slh_dsa_shake_128s", _NIST_SIG + "26"),
    _sig("SLH-DSA-SHAKE-128f", "SLH-DSA", 1, "slh_dsa_shake_128f", _NIST_SIG + "27"),
    _sig("SLH-DSA-SHAKE-192f", "SLH-DSA", 3, "slh_dsa_shake_192f", _NIST_SIG + "29"),
    _sig("SLH-DSA-SHAKE-256f", "SLH-DSA", 5, "slh_dsa_shake_256f", _NIST_SIG + "31"),
)
"""Every parameter set, KEMs first. ML-KEM-1024 and ML-DSA-87 are Tencent's own levels
(built in from ``cryptography``); here they are ``pqcrypto``'s, for the cross-checks."""

BY_NAME: dict[str, ParameterSet] = {p.name: p for p in PARAMETER_SETS}
"""Parameter set name -> its entry."""


def available() -> bool:
    """Whether ``pqcrypto`` is installed, so the operations can run."""
    try:
        _module("kem", "ml_kem_512")
    except PqcUnavailable:
        return False
    return True
