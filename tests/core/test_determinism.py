"""Deterministic mode: two services with the same seed doing the same things give
byte-identical answers (key ids, blobs, data keys, request ids, timestamps, errors and
clock events); another seed, or the default secure mode, gives different ones."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.core.clock import DETERMINISTIC_EPOCH
from kmslab.crypto.randomness import RandomSource


def scenario(kms: KMS) -> list[str]:
    """A notebook-like session; every answer (and error) as canonical JSON text."""
    out: list[object] = []

    def step(face, action: str, **params) -> dict:
        try:
            r = face.call(action, params)
        except KMSError as exc:
            out.append({"Error": exc.code, "RequestId": exc.request_id, "Message": exc.message})
            return {}
        out.append(r)
        return r

    other = kms.create_account("second")
    out.append({"Uin": other.uin, "SecretId": other.secret_id})
    hk = kms.in_region("ap-hongkong")
    a = step(kms, "CreateKey", Alias="a", Description="first")["KeyId"]
    b = step(hk, "CreateKey", Alias="b", Tags=[{"TagKey": "t", "TagValue": "v"}])["KeyId"]
    step(kms.as_account(other.uin), "CreateKey", Alias="a")
    blob = step(kms, "Encrypt", KeyId=a, Plaintext="aGVsbG8=", EncryptionContext='{"x":"1"}')
    step(hk, "GenerateDataKey", KeyId=b, KeySpec="AES_256")
    step(kms, "GenerateRandom", NumberOfBytes=64)
    step(kms, "EnableKeyRotation", KeyId=a, RotateDays=30)
    out.append([e.__dict__ for e in kms.clock.advance(days=65)])
    step(kms, "RotateKey", KeyId=a)
    step(kms, "RotateKey", KeyId=a)  # rate limited: an error with its own request id
    step(
        kms,
        "ReEncrypt",
        CiphertextBlob=blob["CiphertextBlob"],
        SourceEncryptionContext='{"x":"1"}',
    )
    step(hk, "DisableKey", KeyId=b)
    step(hk, "ScheduleKeyDeletion", KeyId=b, PendingWindowInDays=7)
    step(kms, "DescribeKey", KeyId="00000000-0000-1000-8000-000000000000")
    step(kms, "ListKeyDetail", KeyUsage="ALL")
    step(hk, "ListKeyDetail", KeyState=3)
    out.append([e.__dict__ for e in kms.clock.advance(days=8)])
    step(hk, "DescribeKey", KeyId=b)
    return [json.dumps(item, sort_keys=True) for item in out]


def test_same_seed_same_bytes():
    first, second = scenario(KMS(seed=7)), scenario(KMS(seed=7))
    assert first == second
    assert "rotated" in "".join(first) and "deleted" in "".join(first)


@pytest.mark.parametrize("seed", [8, "7", b"7"])
def test_other_seed_differs(seed):
    reference = scenario(KMS(seed=7))
    other = scenario(KMS(seed=seed))
    assert len(other) == len(reference)
    differing = sum(x != y for x, y in zip(reference, other, strict=True))
    assert differing >= len(reference) - 1  # every answer carries fresh ids


def test_deterministic_clock_starts_at_the_fixed_instant():
    kms = KMS(seed=1)
    assert kms.clock.now() == DETERMINISTIC_EPOCH
    assert kms.CreateKey(Alias="a")["CreateTime"] == int(DETERMINISTIC_EPOCH)
    assert KMS(seed=1, start=1_800_000_000).CreateKey(Alias="a")["CreateTime"] == 1_800_000_000


def test_default_mode_is_random():
    first, second = KMS(), KMS()
    assert not first.deterministic
    assert first.CreateKey(Alias="a")["KeyId"] != second.CreateKey(Alias="a")["KeyId"]
    assert (
        first.GenerateRandom(NumberOfBytes=32)["Plaintext"]
        != second.GenerateRandom(NumberOfBytes=32)["Plaintext"]
    )


def test_seeded_random_source_is_reproducible_and_labelled():
    from kmslab.crypto.randomness import (
        DeterministicRandom,
        InsecureDeterministicModeWarning,
        RandomSource,
        make_random,
    )

    with pytest.warns(InsecureDeterministicModeWarning):
        one = DeterministicRandom(42)
    with pytest.warns(InsecureDeterministicModeWarning):
        two = make_random(42)
    draws = [one.bytes(5), one.bytes(5000), one.randbelow(10**9), one.uuid4()]
    assert draws == [two.bytes(5), two.bytes(5000), two.randbelow(10**9), two.uuid4()]
    assert type(make_random(None)) is RandomSource
    assert one.deterministic and not make_random(None).deterministic


@given(raw=st.binary(min_size=16, max_size=16))
def test_uuid4_is_the_standard_version_4_form_of_the_drawn_bytes(raw):
    """uuid4 formats by hand (it is on every call): it must equal the standard library's
    UUID of the same bytes, or seeded RequestIds would change between versions."""

    class Fixed(RandomSource):
        def bytes(self, n: int) -> bytes:
            assert n == 16
            return raw

    assert Fixed().uuid4() == str(uuid.UUID(bytes=raw, version=4))


@given(raw=st.lists(st.binary(min_size=16, max_size=16), min_size=2, max_size=300))
def test_a_batch_of_request_ids_is_the_standard_form_of_each_chunk(raw):
    """The OS source's pool formats its ids column by column, many at once: each must
    equal the standard library's version 4 UUID of its 16 bytes, in order."""
    from kmslab.crypto.randomness import _uuid4_texts

    assert _uuid4_texts(b"".join(raw)) == [str(uuid.UUID(bytes=r, version=4)) for r in raw]


def test_request_ids_are_not_repeated_in_a_forked_child():
    """The OS source draws RequestIds from a pool of random bytes: a forked child must
    not hand out the ids its parent is about to (the pool is emptied at fork)."""
    import multiprocessing

    source = RandomSource()
    source.uuid4()  # the pool now holds bytes for the parent's next ids
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=lambda: queue.put([source.uuid4() for _ in range(3)]))
    child.start()
    in_child = queue.get(timeout=30)
    child.join(timeout=30)
    in_parent = [source.uuid4() for _ in range(3)]
    assert not set(in_child) & set(in_parent)
    assert all(uuid.UUID(i).version == 4 for i in in_child + in_parent)


@given(raw=st.lists(st.binary(min_size=16, max_size=16), min_size=1, max_size=5))
def test_the_id_pool_formats_every_chunk_as_the_standard_library_would(raw):
    from kmslab.crypto.randomness import _uuid4_texts

    assert _uuid4_texts(b"".join(raw)) == [str(uuid.UUID(bytes=r, version=4)) for r in raw]


def test_the_os_source_hands_out_distinct_version_4_ids():
    ids = [RandomSource().uuid4() for _ in range(600)]  # more than one batch of the pool
    assert len(set(ids)) == 600 and all(uuid.UUID(i).version == 4 for i in ids)
