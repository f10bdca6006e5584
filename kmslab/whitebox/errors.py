"""The one exception of the white-box library and offline client, with a stable code.

Device-side code raises it rather than ``KMSError``: the client runs without the service.
``code`` is Tencent's SDK code where Tencent documents one (``01000016``, device not
bound), else a kmslab code; ``detail_zh`` carries the Chinese message.
"""

from __future__ import annotations

DEVICE_NOT_BOUND = "01000016"
"""Tencent's SDK code: the DecryptKey is bound to other devices."""

INVALID_KEY = "InvalidWhiteBoxKey"
"""The white-box key blob is malformed, corrupted, or of the wrong mode."""

LIBRARY_MISMATCH = "LibraryMismatch"
"""The white-box key was issued for another white-box library."""

INVALID_DATA = "InvalidData"
"""The IV, ciphertext or plaintext is malformed (Base64, length or padding)."""

INVALID_SDK = "InvalidSDK"
"""An SDK directory is missing, incomplete or corrupted."""

INVALID_ARGUMENT = "InvalidArgument"
"""The issuer was given an unusable argument (seed, key, key id, fingerprint)."""

ATTACK_FAILED = "AttackFailed"
"""An attack of ``kmslab.whitebox.attacks`` found no key it could verify."""


class WhiteBoxError(Exception):
    """A white-box operation failed; ``code`` says why (see the module constants)."""

    def __init__(self, code: str, message: str, detail_zh: str = "") -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message
        self.detail_zh = detail_zh
