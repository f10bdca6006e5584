"""Property tests: Encrypt/Decrypt round-trips any plaintext of 1-4096 bytes under any
JSON-object context (in any key order); the blob parser refuses arbitrary text only with
MalformedBlob; Decrypt answers arbitrary strings only with documented error codes."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.crypto import blob as blobs

COMMON = {"InternalError", "InvalidParameter", "InvalidParameterValue", "MissingParameter"}
DECRYPT_CODES = (set(ACTIONS["Decrypt"].errors) | COMMON) - {"InternalError"}

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SERVICE = KMS(seed=99)
_KEY = _SERVICE.CreateKey(Alias="fuzz")["KeyId"]
_HK = _SERVICE.in_region("ap-hongkong")
_HK_KEY = _HK.CreateKey(Alias="fuzz")["KeyId"]
_SAMPLE = _SERVICE.Encrypt(KeyId=_KEY, Plaintext="eA==")["CiphertextBlob"]

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip
contexts = st.dictionaries(st.text(max_size=12), json_values, max_size=6)


def serialise(obj: dict, reverse: bool) -> str:
    items = sorted(obj.items(), reverse=reverse)
    return json.dumps(dict(items), ensure_ascii=False)


@FUZZ
@given(
    plaintext=st.binary(min_size=1, max_size=4096),
    context=contexts,
    fips=st.booleans(),
)
def test_round_trip(plaintext, context, fips):
    face, key_id = (_HK, _HK_KEY) if fips else (_SERVICE, _KEY)
    encoded = base64.b64encode(plaintext).decode()
    text = serialise(context, reverse=False) if context else None
    assume(text is None or len(text) <= 1024)  # beyond the documented context limit
    r = face.Encrypt(KeyId=key_id, Plaintext=encoded, EncryptionContext=text)
    again = serialise(context, reverse=True) if context else None
    if again is not None and len(again.encode()) > 1024:
        again = text if len(text.encode()) <= 1024 else None
        # Decrypt counts bytes where Encrypt counts characters (spec section 8).
        assume(again is not None)
    d = face.Decrypt(CiphertextBlob=r["CiphertextBlob"], EncryptionContext=again)
    assert d == {"KeyId": key_id, "Plaintext": encoded, "RequestId": d["RequestId"]}


@FUZZ
@given(
    st.text(max_size=200)
    | st.from_regex(r"[A-Za-z0-9+/=]{0,60}-k-[A-Za-z0-9+/=]{0,30}-k-[A-Za-z0-9+/=]{0,60}",
                    fullmatch=True)
)  # fmt: skip
def test_blob_decode_raises_only_malformed_blob(text):
    try:
        parsed = blobs.decode(text)
    except blobs.MalformedBlob:
        return
    assert blobs.encode(parsed.header, parsed.nonce, parsed.sealed) == text


@FUZZ
@given(st.binary(min_size=0, max_size=120))
def test_mutated_segments_never_decrypt(noise):
    """A real blob with one segment replaced by arbitrary bytes: the parser either refuses
    it or reads back exactly what it was given, and Decrypt always refuses it."""
    header, nonce, sealed = _SAMPLE.split("-k-")
    fake = base64.b64encode(noise).decode()
    for parts in ((fake, nonce, sealed), (header, fake, sealed), (header, nonce, fake)):
        text = "-k-".join(parts)
        assume(text != _SAMPLE)
        try:
            parsed = blobs.decode(text)
        except blobs.MalformedBlob:
            pass
        else:
            assert blobs.encode(parsed.header, parsed.nonce, parsed.sealed) == text
        with pytest.raises(KMSError) as info:
            _SERVICE.Decrypt(CiphertextBlob=text)
        assert info.value.code in DECRYPT_CODES


@FUZZ
@given(
    text=st.text(max_size=300)
    | st.binary(min_size=0, max_size=200).map(lambda b: base64.b64encode(b).decode())
    | st.lists(st.binary(max_size=60).map(lambda b: base64.b64encode(b).decode()),
               min_size=3, max_size=3).map("-k-".join),
    context=st.none() | st.text(max_size=40),
)  # fmt: skip
def test_decrypt_of_arbitrary_strings(text, context):
    try:
        _SERVICE.Decrypt(CiphertextBlob=text, EncryptionContext=context)
    except KMSError as exc:
        assert exc.code in DECRYPT_CODES, exc.code
    else:
        raise AssertionError("arbitrary text decrypted")


@FUZZ
@given(position=st.integers(0, len(_SAMPLE) - 1), char=st.characters())
def test_decrypt_of_one_changed_character(position, char):
    if _SAMPLE[position] == char:
        return
    forged = _SAMPLE[:position] + char + _SAMPLE[position + 1 :]
    try:
        _SERVICE.Decrypt(CiphertextBlob=forged)
    except KMSError as exc:
        assert exc.code in DECRYPT_CODES
    else:
        raise AssertionError("a forged blob decrypted")


def _parse(parser, text):
    try:
        return parser(text)
    except blobs.MalformedBlob as exc:
        return ("refused", str(exc))


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-k\u00e9 "
_LONG = _SERVICE.Encrypt(KeyId=_KEY, Plaintext=base64.b64encode(b"x" * 33).decode())


@FUZZ
@given(
    base=st.sampled_from([_SAMPLE, _LONG["CiphertextBlob"]]),
    edits=st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 3), st.text(_ALPHABET, max_size=3)),
        max_size=4,
    ),
)
def test_fixed_offset_decode_accepts_exactly_what_the_checked_parser_does(base, edits):
    """``decode`` reads segments at fixed offsets and decodes nonce and sealed bytes
    together; ``_decode_checked`` splits and checks each segment. Around real blobs
    (characters replaced, cut, inserted, padding and separators moved) both must accept
    the same texts with the same fields, and refuse the rest with the same reason."""
    text = base
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut :]
    assert _parse(blobs.decode, text) == _parse(blobs._decode_checked, text)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _unused_bits_flipped(text: str) -> str:
    """The same bytes with a different final character: the lowest of its bits that
    padding leaves unused is set, so the text is no longer the canonical encoding."""
    body = text.rstrip("=")
    last = _B64.index(body[-1]) ^ 1
    return body[:-1] + _B64[last] + text[len(body) :]


assert _SAMPLE.endswith("=")  # the fixture blob is padded: its last character has spare bits


@pytest.mark.parametrize(
    "text",
    [
        _SAMPLE,
        _unused_bits_flipped(_SAMPLE),
        _SAMPLE.replace("-k-", "-k--k-", 1),
        _SAMPLE + "-k-",
        _SAMPLE[:-1],
        _SAMPLE.rstrip("="),
        _SAMPLE + "==",
        _SAMPLE.split("-k-")[0] + "-k-AAAAAAAAAAAAAA==-k-",  # a padded nonce, nothing sealed
        _SAMPLE.split("-k-")[0] + "-k-AAAAAAAAAAAAAA==-k-" + "A" * 24,  # padding mid-body
    ],
)
def test_fixed_offset_decode_edge_cases(text):
    assert _parse(blobs.decode, text) == _parse(blobs._decode_checked, text)
