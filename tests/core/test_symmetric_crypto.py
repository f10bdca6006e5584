"""Encrypt, Decrypt, ReEncrypt and GenerateDataKey in both crypto profiles: documented
limits, the canonical EncryptionContext, rotation (every version still decrypts, ReEncrypt
moves to the newest) and tampering (no single changed character ever yields plaintext)."""

from __future__ import annotations

import base64
import string

import pytest

from kmslab.actions.errors import KMSError
from kmslab.crypto import blob as blobs

REGIONS = ["ap-guangzhou", "ap-hongkong"]  # SM4-GCM and AES-256-GCM
BAD_BLOB = "InvalidParameterValue.InvalidCiphertext"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(params=REGIONS)
def face(request, kms):
    """The default account in an SM and in a FIPS region."""
    return kms.in_region(request.param)


@pytest.fixture
def key_id(face) -> str:
    return face.CreateKey(Alias="sym")["KeyId"]


# ----------------------------------------------------------------- Encrypt / Decrypt


@pytest.mark.parametrize("size", [1, 15, 16, 17, 1000, 4096])
def test_round_trip_sizes(face, key_id, size):
    data = bytes(range(256)) * 16
    plaintext = b64(data[:size])
    r = face.Encrypt(KeyId=key_id, Plaintext=plaintext)
    assert r["KeyId"] == key_id
    assert len(r["CiphertextBlob"].split("-k-")) == 3
    d = face.Decrypt(CiphertextBlob=r["CiphertextBlob"])
    assert (d["KeyId"], d["Plaintext"]) == (key_id, plaintext)


def test_region_suite_in_blob(kms):
    suites = []
    for region in ("ap-guangzhou", "ap-hongkong"):
        face = kms.in_region(region)
        k = face.CreateKey(Alias="s")["KeyId"]
        parsed = blobs.decode(face.Encrypt(KeyId=k, Plaintext="eA==")["CiphertextBlob"])
        assert parsed.key_id == k and parsed.version == 1
        suites.append(parsed.suite_id)
    assert suites[0] != suites[1]  # SM4-GCM and AES-256-GCM


def test_same_plaintext_gives_different_blobs(face, key_id):
    a = face.Encrypt(KeyId=key_id, Plaintext="eA==")["CiphertextBlob"]
    b = face.Encrypt(KeyId=key_id, Plaintext="eA==")["CiphertextBlob"]
    assert a != b


@pytest.mark.parametrize(
    ("plaintext", "code"),
    [
        (b64(bytes(4097)), "InvalidParameterValue.InvalidPlaintext"),
        ("", "InvalidParameterValue.InvalidPlaintext"),
        ("not base64!", "InvalidParameterValue.InvalidPlaintext"),
        ("eA=", "InvalidParameterValue.InvalidPlaintext"),
        ("日本", "InvalidParameterValue.InvalidPlaintext"),
        (5, "InvalidParameter"),
        (None, "MissingParameter"),
    ],
)
def test_encrypt_refuses_bad_plaintext(face, key_id, fails, plaintext, code):
    assert fails(face.Encrypt, KeyId=key_id, Plaintext=plaintext).code == code


@pytest.mark.parametrize(
    ("context", "code"),
    [
        ('{"k":"' + "v" * 1017 + '"}', "InvalidParameterValue"),  # 1025 characters
        ("[1, 2]", "InvalidParameter"),
        ("plain words", "InvalidParameter"),
        ('"a string"', "InvalidParameter"),
        ('{"a":', "InvalidParameter"),
        ('{"a":' + "[" * 500 + "]" * 500 + "}", None),
        ("[" * 1024, "InvalidParameter"),  # deep nesting is still just a bad context
    ],
    ids=["too-long", "array", "words", "string", "truncated", "nested-500", "nested-1024"],
)
def test_encrypt_context_refusals(face, key_id, fails, context, code):
    if code is None:
        face.Encrypt(KeyId=key_id, Plaintext="eA==", EncryptionContext=context)
        return
    assert fails(face.Encrypt, KeyId=key_id, Plaintext="eA==", EncryptionContext=context).code == (
        code
    )


def test_context_limit_is_1024_characters_on_encrypt(face, key_id):
    context = '{"k":"' + "v" * 1016 + '"}'
    assert len(context) == 1024
    blob = face.Encrypt(KeyId=key_id, Plaintext="eA==", EncryptionContext=context)
    face.Decrypt(CiphertextBlob=blob["CiphertextBlob"], EncryptionContext=context)


def test_decrypt_context_limit_is_1024_bytes(face, key_id, fails):
    """Decrypt documents its limit in bytes where Encrypt says characters (spec section 8)."""
    context = '{"k":"' + "密" * 300 + '"}'  # 308 characters, 908 bytes
    blob = face.Encrypt(KeyId=key_id, Plaintext="eA==", EncryptionContext=context)
    face.Decrypt(CiphertextBlob=blob["CiphertextBlob"], EncryptionContext=context)
    too_long = '{"k":"' + "密" * 340 + '"}'  # 348 characters, 1028 bytes
    err = fails(face.Decrypt, CiphertextBlob=blob["CiphertextBlob"], EncryptionContext=too_long)
    assert err.code == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ('{"a":"1","b":"2"}', True),
        ('{"b":"2","a":"1"}', True),  # key order is irrelevant
        ('{ "b" : "2",\n "a" : "1" }', True),  # so is whitespace
        ('{"a":"1"}', False),
        ('{"a":"1","b":"3"}', False),
        ('{"a":"1","b":"2","c":"3"}', False),
        ("{}", False),
        ("", False),
        (None, False),
    ],
)
def test_context_must_match_canonically(face, key_id, fails, given, ok):
    blob = face.Encrypt(KeyId=key_id, Plaintext="aGk=", EncryptionContext='{"a":"1","b":"2"}')
    text = blob["CiphertextBlob"]
    if ok:
        assert face.Decrypt(CiphertextBlob=text, EncryptionContext=given)["Plaintext"] == "aGk="
    else:
        assert fails(face.Decrypt, CiphertextBlob=text, EncryptionContext=given).code == BAD_BLOB


def test_blob_without_context_refuses_a_context(face, key_id, fails):
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    assert face.Decrypt(CiphertextBlob=text, EncryptionContext="")["Plaintext"] == "aGk="
    err = fails(face.Decrypt, CiphertextBlob=text, EncryptionContext='{"a":"1"}')
    assert err.code == BAD_BLOB


@pytest.mark.parametrize(
    "text", ["", "abc", "a-k-b-k-c", "-k--k-", "AAAA-k-AAAA-k-AAAA", "eA==", "x" * 5000]
)
def test_decrypt_garbage(face, fails, text):
    assert fails(face.Decrypt, CiphertextBlob=text).code == BAD_BLOB


def test_disabled_key_cannot_decrypt(face, key_id, fails):
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    face.DisableKey(KeyId=key_id)
    assert fails(face.Decrypt, CiphertextBlob=text).code == "ResourceUnavailable.CmkDisabled"
    face.EnableKey(KeyId=key_id)
    assert face.Decrypt(CiphertextBlob=text)["Plaintext"] == "aGk="


def test_bad_encryption_public_key_never_yields_clear_plaintext(face, key_id, fails):
    """A malformed EncryptionPublicKey is refused with InvalidParameter; it is never
    ignored so as to return the plaintext in the clear."""
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"
    err = fails(
        face.Decrypt, CiphertextBlob=text, EncryptionPublicKey=pem, EncryptionAlgorithm="SM2"
    )
    assert err.code == "InvalidParameter"


# ----------------------------------------------------------------- tampering


def test_every_single_character_change_fails(face, key_id):
    text = face.Encrypt(KeyId=key_id, Plaintext=b64(b"secret!"), EncryptionContext='{"a":"b"}')[
        "CiphertextBlob"
    ]
    alphabet = string.ascii_letters + string.digits + "+/=-k_ .é\x00"
    tried = 0
    for i, original in enumerate(text):
        for c in dict.fromkeys(alphabet):
            if c == original:
                continue
            forged = text[:i] + c + text[i + 1 :]
            with pytest.raises(KMSError) as info:
                face.Decrypt(CiphertextBlob=forged, EncryptionContext='{"a":"b"}')
            assert info.value.code in (BAD_BLOB, "ResourceUnavailable.CmkNotFound"), (i, c)
            tried += 1
    assert tried > 60 * len(text)


def test_blob_of_one_key_under_another_key_id_fails(face, key_id, fails):
    other = face.CreateKey(Alias="other")["KeyId"]
    parsed = blobs.decode(face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"])
    header = blobs.make_header(parsed.suite_id, other, 1)
    forged = blobs.encode(header, parsed.nonce, parsed.sealed)
    assert fails(face.Decrypt, CiphertextBlob=forged).code == BAD_BLOB


# ----------------------------------------------------------------- rotation


def test_every_version_still_decrypts_and_reencrypt_moves_to_newest(kms, face, key_id):
    face.EnableKeyRotation(KeyId=key_id)
    blobs_by_version = {}
    for version in range(1, 6):
        text = face.Encrypt(KeyId=key_id, Plaintext=b64(b"v%d" % version))["CiphertextBlob"]
        assert blobs.decode(text).version == version
        blobs_by_version[version] = text
        kms.clock.advance(days=1)
        face.RotateKey(KeyId=key_id)
    for version, text in blobs_by_version.items():
        assert face.Decrypt(CiphertextBlob=text)["Plaintext"] == b64(b"v%d" % version)
        r = face.ReEncrypt(CiphertextBlob=text)
        assert r["ReEncrypted"] is True
        assert (r["KeyId"], r["SourceKeyId"]) == (key_id, key_id)
        assert blobs.decode(r["CiphertextBlob"]).version == 6
        again = face.Decrypt(CiphertextBlob=r["CiphertextBlob"])
        assert again["Plaintext"] == b64(b"v%d" % version)


# ----------------------------------------------------------------- ReEncrypt


def test_reencrypt_same_unrotated_key_returns_the_blob(face, key_id):
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=", EncryptionContext='{"a":"1"}')[
        "CiphertextBlob"
    ]
    for dest in (None, key_id):
        r = face.ReEncrypt(
            CiphertextBlob=text,
            DestinationKeyId=dest,
            SourceEncryptionContext='{"a":"1"}',
            DestinationEncryptionContext='{"a":"1"}',
        )
        assert r["ReEncrypted"] is False
        assert r["CiphertextBlob"] == text
        assert (r["KeyId"], r["SourceKeyId"]) == (key_id, key_id)


def test_reencrypt_to_another_key(face, key_id, fails):
    dest = face.CreateKey(Alias="dest")["KeyId"]
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    r = face.ReEncrypt(CiphertextBlob=text, DestinationKeyId=dest)
    assert r["ReEncrypted"] is True
    assert (r["KeyId"], r["SourceKeyId"]) == (dest, key_id)
    assert blobs.decode(r["CiphertextBlob"]).key_id == dest
    d = face.Decrypt(CiphertextBlob=r["CiphertextBlob"])
    assert (d["KeyId"], d["Plaintext"]) == (dest, "aGk=")
    # the source key still opens the original blob; a disabled source does not matter now
    face.DisableKey(KeyId=key_id)
    assert face.Decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"] == "aGk="
    assert fails(face.Decrypt, CiphertextBlob=text).code == "ResourceUnavailable.CmkDisabled"


def test_reencrypt_destination_context(face, key_id, fails):
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=", EncryptionContext='{"s":"1"}')[
        "CiphertextBlob"
    ]
    err = fails(face.ReEncrypt, CiphertextBlob=text)  # source context missing
    assert err.code == BAD_BLOB
    r = face.ReEncrypt(
        CiphertextBlob=text,
        SourceEncryptionContext='{"s":"1"}',
        DestinationEncryptionContext='{"d":"2"}',
    )
    assert r["ReEncrypted"] is True
    new = r["CiphertextBlob"]
    assert face.Decrypt(CiphertextBlob=new, EncryptionContext='{"d":"2"}')["Plaintext"] == "aGk="
    for wrong in ('{"s":"1"}', None):
        assert fails(face.Decrypt, CiphertextBlob=new, EncryptionContext=wrong).code == BAD_BLOB


@pytest.mark.parametrize(
    ("disable", "code"),
    [("source", "ResourceUnavailable.CmkDisabled"), ("dest", "ResourceUnavailable.CmkDisabled")],
)
def test_reencrypt_refuses_disabled_keys(face, key_id, fails, disable, code):
    dest = face.CreateKey(Alias="dest")["KeyId"]
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    face.DisableKey(KeyId=key_id if disable == "source" else dest)
    assert fails(face.ReEncrypt, CiphertextBlob=text, DestinationKeyId=dest).code == code


def test_reencrypt_to_missing_key(face, key_id, fails):
    text = face.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    missing = "00000000-0000-1000-8000-000000000000"
    err = fails(face.ReEncrypt, CiphertextBlob=text, DestinationKeyId=missing)
    assert err.code == "ResourceUnavailable.CmkNotFound"


# ----------------------------------------------------------------- GenerateDataKey


@pytest.mark.parametrize(
    ("params", "size"),
    [
        ({"KeySpec": "AES_128"}, 16),
        ({"KeySpec": "AES_256"}, 32),
        ({"NumberOfBytes": 1}, 1),
        ({"NumberOfBytes": 1024}, 1024),
        ({"NumberOfBytes": 7, "KeySpec": "AES_256"}, 7),  # NumberOfBytes wins
        ({"NumberOfBytes": 64, "KeySpec": "AES_128"}, 64),
    ],
)
def test_generate_data_key_sizes(face, key_id, params, size):
    r = face.GenerateDataKey(KeyId=key_id, **params)
    data_key = base64.b64decode(r["Plaintext"])
    assert len(data_key) == size
    assert r["KeyId"] == key_id
    assert face.Decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"] == r["Plaintext"]


def test_generate_data_key_context(face, key_id, fails):
    r = face.GenerateDataKey(KeyId=key_id, KeySpec="AES_256", EncryptionContext='{"f":"x"}')
    text = r["CiphertextBlob"]
    assert fails(face.Decrypt, CiphertextBlob=text).code == BAD_BLOB
    got = face.Decrypt(CiphertextBlob=text, EncryptionContext='{"f":"x"}')["Plaintext"]
    assert got == r["Plaintext"]


def test_generate_data_key_is_fresh(face, key_id):
    keys = {face.GenerateDataKey(KeyId=key_id, KeySpec="AES_256")["Plaintext"] for _ in range(8)}
    assert len(keys) == 8


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "MissingParameter"),
        ({"KeySpec": ""}, "MissingParameter"),
        ({"KeySpec": "AES_512"}, "InvalidParameterValue"),
        ({"NumberOfBytes": 0}, "InvalidParameterValue"),
        ({"NumberOfBytes": 1025}, "InvalidParameterValue"),
        ({"NumberOfBytes": True}, "InvalidParameter"),
        ({"KeySpec": "AES_256", "EncryptionContext": "nope"}, "InvalidParameter"),
    ],
)
def test_generate_data_key_refusals(face, key_id, fails, params, code):
    assert fails(face.GenerateDataKey, KeyId=key_id, **params).code == code


def test_generate_data_key_refuses_unusable_keys(face, key_id, fails):
    face.DisableKey(KeyId=key_id)
    err = fails(face.GenerateDataKey, KeyId=key_id, KeySpec="AES_128")
    assert err.code == "ResourceUnavailable.CmkDisabled"
