"""Blob anatomy of post-quantum blobs: the fourth segment is the ML-KEM ciphertext."""

from __future__ import annotations

import base64

import pytest

import kmslab
from kmslab.crypto.blob import MalformedBlob
from kmslab.lab.anatomy import blob_anatomy, blob_summary, is_blob


@pytest.fixture(scope="module")
def pqc_blob():
    kms = kmslab.KMS(seed=5).in_region("ap-hongkong")
    key = kms.CreateKey(Alias="kem", KeyUsage="ASYMMETRIC_Encrypt_Decrypt_Kyber_AES")["KeyId"]
    text = base64.b64encode(b"post-quantum").decode()
    return key, kms.PostQuantumCryptoEncrypt(KeyId=key, PlainText=text)["CiphertextBlob"]


def test_pqc_blob_has_four_segments_with_the_kem_ciphertext_last(pqc_blob):
    key_id, blob = pqc_blob
    table = blob_anatomy(blob)
    assert list(table["segment"]) == ["1 header", "2 nonce", "3 sealed", "4 KEM ciphertext"]
    assert table.iloc[3]["bytes"] == 1568  # ML-KEM-1024 ciphertext size
    assert key_id in table.iloc[0]["holds"]
    assert blob_summary(blob)["key_id"] == key_id
    assert is_blob(blob)


@pytest.mark.parametrize("cut", ["-k-AAAA=", "-k-!!!"])
def test_a_mangled_kem_segment_is_refused(pqc_blob, cut):
    _, blob = pqc_blob
    head = blob.rpartition("-k-")[0]
    with pytest.raises(MalformedBlob):
        blob_anatomy(head + cut)
    assert not is_blob(head + cut)
