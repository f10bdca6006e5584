"""Helpers of the white-box service tests: a seeded service and test-only key access."""

from __future__ import annotations

import base64

from kmslab import KMS, KMSError
from kmslab.core.whitebox_library import real_key
from kmslab.whitebox import SDK

PLAIN = base64.b64encode(b"white-box secret\n").decode()


def service(**kwargs) -> KMS:
    """A deterministic service (the same seed: the library is built once per session)."""
    return KMS(seed=1111, **kwargs)


def real_material(kms: KMS, key_id: str) -> bytes:
    """Test-only: the real key behind a white-box key, unsealed from the stored record, to
    check ciphertexts with ``cryptography`` and to search for the key where it must not be."""
    (key,) = [k for k in kms.inspect.resources("whitebox_key") if k.key_id == key_id]
    with kms.lock:
        return real_key(kms.root_key, kms.state.secrets, key)


_SDKS: dict[bytes, SDK] = {}


def sdk_for(kms: KMS, decrypt_key: str) -> SDK:
    """The downloaded SDK that ``decrypt_key`` needs (downloads are kept per library id:
    services with the same seed and call order make the same library)."""
    library_id = base64.b64decode(decrypt_key)[8:24]
    if library_id not in _SDKS:
        sdk = kms.whitebox_sdk()
        _SDKS[sdk.library_id] = sdk
    return _SDKS[library_id]


def code_of(call, *args, **kwargs) -> str:
    """The error code ``call`` raises (the test fails if it succeeds)."""
    try:
        call(*args, **kwargs)
    except KMSError as exc:
        return exc.code
    raise AssertionError(f"{call} succeeded")
