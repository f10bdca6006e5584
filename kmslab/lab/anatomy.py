"""The anatomy of a ``CiphertextBlob``: what each segment holds, without any secret.

A blob carries everything Decrypt needs to find its key (DESIGN.md section 6); showing
the segments makes that visible. Only public structure is shown: the nonce and sealed
bytes are given as lengths, never as key material (there is none in a blob).
"""

from __future__ import annotations

import base64

import pandas as pd

from kmslab.crypto.blob import SEPARATOR, MalformedBlob, decode, strict_b64decode
from kmslab.crypto.suites import SUITES_BY_ID, TAG_SIZE


class AnatomyFrame(pd.DataFrame):
    """A DataFrame that displays its ``holds`` column in full: cut at pandas' default 50
    characters, the header's key id and version would be lost."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return AnatomyFrame

    def _repr_html_(self) -> str | None:
        with pd.option_context("display.max_colwidth", None):
            return super()._repr_html_()

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 250):
            return super().__repr__()


def blob_anatomy(blob: str) -> AnatomyFrame:
    """One row per segment of ``blob``: its Base64 length, byte length and meaning.

    A post-quantum blob (PostQuantumCryptoEncrypt) has a fourth segment, the KEM
    ciphertext that encapsulates the AEAD key (ML-KEM for Tencent's usage, another
    family for a ``KMSLAB_EXT_PQC_*`` key). Raises ``ValueError`` (a
    :class:`~kmslab.crypto.blob.MalformedBlob`) if the text is not a well-formed blob:
    the same check Decrypt makes before it tries the key.
    """
    blob, kem = _split_kem(blob)
    parsed = decode(blob)
    text = blob.split(SEPARATOR)
    suite = SUITES_BY_ID.get(parsed.suite_id)
    rows = [
        {
            "segment": "1 header",
            "base64_chars": len(text[0]),
            "bytes": len(parsed.header),
            "holds": (
                f"format 1, suite {suite.name if suite else parsed.suite_id}, "
                f"key {parsed.key_id}, version {parsed.version}"
            ),
        },
        {
            "segment": "2 nonce",
            "base64_chars": len(text[1]),
            "bytes": len(parsed.nonce),
            "holds": f"{len(parsed.nonce) * 8}-bit nonce from the service's random source",
        },
        {
            "segment": "3 sealed",
            "base64_chars": len(text[2]),
            "bytes": len(parsed.sealed),
            "holds": (
                f"{len(parsed.sealed) - TAG_SIZE} bytes of ciphertext + {TAG_SIZE}-byte tag "
                "(AAD: header, account, region, EncryptionContext)"
            ),
        },
    ]
    if kem is not None:
        rows[2]["holds"] = str(rows[2]["holds"]).replace("(AAD", "under the KEM-derived key (AAD")
        rows.append(
            {
                "segment": "4 KEM ciphertext",
                "base64_chars": len(base64.b64encode(kem)),
                "bytes": len(kem),
                "holds": "KEM encapsulation of the shared secret the AEAD key derives from",
            }
        )
    return AnatomyFrame(rows)


def _split_kem(blob: str) -> tuple[str, bytes | None]:
    """A symmetric blob's text and, for a post-quantum blob, its KEM ciphertext bytes."""
    if isinstance(blob, str) and blob.count(SEPARATOR) == 3:
        head, _, kem_text = blob.rpartition(SEPARATOR)
        return head, strict_b64decode(kem_text)
    return blob, None


def blob_summary(blob: str) -> dict:
    """The key id, key version, suite and sizes of ``blob`` as a dict (for widgets)."""
    blob, _ = _split_kem(blob)
    parsed = decode(blob)
    suite = SUITES_BY_ID.get(parsed.suite_id)
    return {
        "key_id": parsed.key_id,
        "version": parsed.version,
        "suite": suite.name if suite else str(parsed.suite_id),
        "nonce_bits": len(parsed.nonce) * 8,
        "ciphertext_bytes": len(parsed.sealed) - TAG_SIZE,
        "tag_bytes": TAG_SIZE,
    }


def is_blob(text: str) -> bool:
    """True if ``text`` parses as a blob of the current format."""
    try:
        decode(_split_kem(text)[0])
    except MalformedBlob:
        return False
    return True


__all__ = ["AnatomyFrame", "blob_anatomy", "blob_summary", "is_blob"]
