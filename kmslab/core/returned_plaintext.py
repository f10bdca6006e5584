"""The plaintext field of Decrypt, GenerateDataKey and PostQuantumCryptoDecrypt: Base64
of the plaintext, or of its encryption to the caller's ``EncryptionPublicKey``, so the
plaintext never appears in the response. The encryption itself is
:mod:`kmslab.crypto.public_wrap`; this module turns its refusals into the API's codes.
"""

from __future__ import annotations

import base64
import binascii

from kmslab.actions.errors import KMSError
from kmslab.crypto.public_wrap import BadPublicKey, WrapFailed, encrypt_to_public_key
from kmslab.crypto.randomness import RandomSource


def returned_plaintext(params: dict, plaintext: bytes, random: RandomSource) -> str:
    """The response's plaintext field for ``params`` (which may name a public key)."""
    pem = params.get("EncryptionPublicKey")
    if not pem:
        return binascii.b2a_base64(plaintext, newline=False).decode("ascii")  # b64encode
    algorithm = params.get("EncryptionAlgorithm") or "SM2"
    try:
        return base64.b64encode(encrypt_to_public_key(pem, algorithm, plaintext, random)).decode()
    except BadPublicKey as exc:
        raise KMSError(
            "InvalidParameter",
            f"EncryptionPublicKey: {exc.why}",
            detail_zh=f"EncryptionPublicKey 无效：{exc.why_zh}",
        ) from None
    except WrapFailed:
        raise KMSError(
            "FailedOperation.EncryptionError",
            f"the plaintext ({len(plaintext)} bytes) could not be encrypted with {algorithm} "
            "under EncryptionPublicKey",
            detail_zh="使用 EncryptionPublicKey 加密明文失败",
        ) from None
