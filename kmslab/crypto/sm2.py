"""SM2 (GB/T 32918) for the service: one interface over two backends, Tongsuo in C where
its wheel exists, else pure Python (``gmalg``) drawing on kmslab's random source.

``tongsuopy`` has wheels for Linux x86_64, macOS and Windows only, so ``pip install
kmslab`` installs it only there; elsewhere (Linux aarch64) SM2 runs on the fallback at
a fraction of the speed (docs/algorithms.md has the figures). ``KMSLAB_SM2_BACKEND``
(``tongsuo`` or ``gmalg``) chooses explicitly; :data:`BACKEND` names the one in use.
Both produce the same key bytes from the same random source and read each other's keys,
signatures and ciphertexts.

Signatures are SM2DSA over SM3 with the default user id ``1234567812345678``,
DER-encoded. Ciphertexts are C1C3C2, either raw (``x || y || C3 || C2``, no ``04``
prefix, as the catalog's section 7.2 shows) or ASN.1 DER.
"""

from __future__ import annotations

import os
from types import ModuleType

from kmslab.crypto.sm2_der import DEFAULT_UID, ORDER, SM2Error, der_to_raw, raw_to_der

BACKENDS = ("tongsuo", "gmalg")
"""The SM2 backends, fastest first."""


def _load(choice: str | None) -> ModuleType:
    if choice not in (None, "", *BACKENDS):
        raise ImportError(f"KMSLAB_SM2_BACKEND must be one of {BACKENDS}, not {choice!r}")
    if choice != "gmalg":
        try:
            from kmslab.crypto import sm2_tongsuo

            return sm2_tongsuo
        except ImportError:
            if choice == "tongsuo":
                raise
    from kmslab.crypto import sm2_pure

    return sm2_pure


_impl = _load(os.environ.get("KMSLAB_SM2_BACKEND"))

BACKEND: str = _impl.NAME
"""``"tongsuo"`` or ``"gmalg"``: the SM2 implementation this process uses."""

load_private = _impl.load_private
public_der = _impl.public_der
load_public_pem = _impl.load_public_pem
load_public_der = _impl.load_public_der
sign = _impl.sign
verify = _impl.verify
sign_digest = _impl.sign_digest
verify_digest = _impl.verify_digest
encrypt_der = _impl.encrypt_der
decrypt_der = _impl.decrypt_der


def generate_private_der(random) -> bytes:
    """A new SM2 private key (PKCS#8 DER), its scalar drawn from ``random`` in [1, n-2]."""
    return _impl.private_der_of(1 + random.randbelow(ORDER - 2))


__all__ = [
    "BACKEND",
    "BACKENDS",
    "DEFAULT_UID",
    "ORDER",
    "SM2Error",
    "decrypt_der",
    "der_to_raw",
    "encrypt_der",
    "generate_private_der",
    "load_private",
    "load_public_der",
    "load_public_pem",
    "public_der",
    "raw_to_der",
    "sign",
    "sign_digest",
    "verify",
    "verify_digest",
]
