"""Binary parameters decode exactly as ``base64.b64decode(..., validate=True)`` would:
the hot path's C strict mode must accept and refuse the very same texts."""

from __future__ import annotations

import base64
import binascii
import string

from hypothesis import given
from hypothesis import strategies as st

from kmslab.core.binary import b64decode_strict

ALPHABET = string.ascii_letters + string.digits + "+/="
TEXTS = st.one_of(
    st.text(alphabet=ALPHABET + " \n-_.\u00e9\x00", max_size=14),
    st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode()),
    st.tuples(st.binary(min_size=1, max_size=12), st.integers(0, 20), st.sampled_from(ALPHABET))
    .map(lambda t: (base64.b64encode(t[0]).decode(), t[1], t[2]))
    .map(lambda t: t[0][: t[1] % len(t[0])] + t[2] + t[0][t[1] % len(t[0]) + 1 :]),
)


def _outcome(decode, text):
    try:
        return decode(text)
    except (binascii.Error, ValueError):
        return "refused"


@given(TEXTS)
def test_strict_decoding_matches_the_standard_library(text):
    assert _outcome(b64decode_strict, text) == _outcome(
        lambda t: base64.b64decode(t, validate=True), text
    )


def _reference_strict(text):
    """The definition: standard Base64 (validated) whose re-encoding is the text itself."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("not canonical")
    return raw


@given(TEXTS)
def test_blob_segments_decode_only_canonical_base64(text):
    from kmslab.crypto.blob import MalformedBlob, strict_b64decode

    def ours(t):
        try:
            return strict_b64decode(t)
        except MalformedBlob:
            return "refused"

    assert ours(text) == _outcome(_reference_strict, text)
