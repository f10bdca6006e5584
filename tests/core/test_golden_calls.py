"""A seeded session answers byte for byte what earlier kmslab versions answered: blobs,
data keys and RequestIds. The hot path formats blobs, ids and associated data by hand
(for speed); this known-answer file, recorded before those shortcuts, pins them down."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from kmslab import KMS

GOLDEN = Path(__file__).with_name("golden_seeded_calls.json")


def session() -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kms = KMS(seed=5)
    out = []
    for region in ("ap-guangzhou", "ap-hongkong"):  # AES-256-GCM and SM4-GCM regions
        key = kms.call("CreateKey", {"Alias": "g" + region}, region=region)["KeyId"]
        for context in ("", '{"b":"2","a":"1"}'):
            extra = {"EncryptionContext": context} if context else {}
            sealed = kms.call(
                "Encrypt", {"KeyId": key, "Plaintext": "aGVsbG8=", **extra}, region=region
            )
            out.append(sealed)
            blob = {"CiphertextBlob": sealed["CiphertextBlob"], **extra}
            out.append(kms.call("Decrypt", blob, region=region))
            out.append(
                kms.call("GenerateDataKey", {"KeyId": key, "NumberOfBytes": 16}, region=region)
            )
        out.append(kms.call("Encrypt", {"KeyId": key, "Plaintext": "aGVsbG8="}, region=region))
    return out


def test_a_seeded_session_answers_as_recorded():
    assert session() == json.loads(GOLDEN.read_text())
