"""Binary request parameters: Base64 text on the wire, decoded strictly, with sizes checked.

Plaintexts, messages, signatures and ciphertexts all arrive this way; each action names
the error code its documentation gives for a bad value.
"""

from __future__ import annotations

import base64
import binascii

from kmslab.actions.errors import KMSError
from kmslab.crypto.blob import STRICT_MODE, a2b_base64


def b64decode_strict(text: str) -> bytes:
    """``base64.b64decode(text, validate=True)``: the alphabet only, padding only at the
    end. Python 3.11's strict mode checks exactly that in C, without the regular
    expression (every call of the hot path decodes a Plaintext or a blob)."""
    if STRICT_MODE:
        return a2b_base64(text, strict_mode=True)
    return base64.b64decode(text, validate=True)  # pragma: no cover - Python 3.10


def decode_binary(
    text: str, name: str, code: str = "InvalidParameter", max_bytes: int | None = None
) -> bytes:
    """The bytes of Base64 ``text``; with ``max_bytes``, also 1 to ``max_bytes`` of them.

    A value that is not Base64, or of the wrong size, gets ``code``.
    """
    try:
        data = a2b_base64(text, strict_mode=True) if STRICT_MODE else b64decode_strict(text)
    except (binascii.Error, ValueError):
        raise KMSError(
            code, f"{name} is not Base64", detail_zh=f"{name} 不是合法的 Base64"
        ) from None
    if max_bytes is not None and not 0 < len(data) <= max_bytes:
        raise KMSError(
            code,
            f"{name} must decode to 1 to {max_bytes} bytes, not {len(data)}",
            detail_zh=f"{name} 解码后长度须为 1 到 {max_bytes} 字节",
        )
    return data
