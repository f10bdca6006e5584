"""Teaching hooks: tracing records lookups without changing results; a fault is one byte."""

from __future__ import annotations

import numpy as np
import pytest
from wb_helpers import KEY_ID, ecb

from kmslab.whitebox import Fault, Library, Trace, WhiteBoxCipher, WhiteBoxError
from kmslab.whitebox.errors import INVALID_DATA

BLOCKS = bytes(range(256)) * 2  # 32 blocks
KEYS = {"AES_256": bytes(range(100, 132)), "SM4": bytes(range(50, 66))}


def _cipher(lib: Library, algorithm: str, decrypt: bool) -> WhiteBoxCipher:
    keys = lib.encode_key(algorithm, KEYS[algorithm], KEY_ID)
    return WhiteBoxCipher(lib.sdk, keys.decrypt_key if decrypt else keys.encrypt_key)


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("decrypt", [False, True])
def test_tracing_leaves_the_output_unchanged(lib: Library, algorithm: str, decrypt: bool) -> None:
    cipher = _cipher(lib, algorithm, decrypt)
    plain = cipher.run_blocks(BLOCKS)
    trace = Trace()
    traced = cipher.run_blocks(BLOCKS, trace=trace)
    assert np.array_equal(plain, traced)
    assert plain.tobytes() == ecb(algorithm, KEYS[algorithm], BLOCKS, decrypt=decrypt)
    rounds = 15 if algorithm == "AES_256" else 32
    assert trace.stages() == (
        ["xk", "tbox", "ty", "state"] if algorithm == "AES_256" else ["xk", "tbox", "t", "state"]
    )
    xk = [r for r in trace.records if r.stage == "xk"]
    assert [r.round for r in xk] == list(range(rounds))
    assert all(len(r.values) == 32 for r in trace.records)


def test_trace_values_are_copies(lib: Library) -> None:
    cipher = _cipher(lib, "SM4", False)
    trace = Trace()
    cipher.run_blocks(BLOCKS, trace=trace)
    before = [r.values.copy() for r in trace.records]
    cipher.run_blocks(BLOCKS, trace=Trace())
    assert all(np.array_equal(a, r.values) for a, r in zip(before, trace.records, strict=True))


def _changed_bytes(a: np.ndarray, b: np.ndarray) -> set[int]:
    return {int(k) for k in np.nonzero((a != b).any(axis=0))[0]}


@pytest.mark.parametrize("decrypt", [False, True])
@pytest.mark.parametrize(("round_", "width"), [(14, 1), (13, 1), (12, 4), (11, 16)])
def test_aes_fault_is_a_single_byte_of_the_state(
    lib: Library, decrypt: bool, round_: int, width: int
) -> None:
    cipher = _cipher(lib, "AES_256", decrypt)
    good = cipher.run_blocks(BLOCKS)
    for index in (0, 5, 15):
        bad = cipher.run_blocks(BLOCKS, fault=Fault(round_, index, 0x5A))
        changed = _changed_bytes(good, bad)
        assert len(changed) == width  # 1 byte after MixColumns, a column before it, ...
        per_block = (good != bad).sum(axis=1)
        assert (per_block <= width).all() and per_block.max() == width
    assert np.array_equal(cipher.run_blocks(BLOCKS), good)  # no fault left behind


@pytest.mark.parametrize("decrypt", [False, True])
@pytest.mark.parametrize(("round_", "index"), [(31, 12), (31, 0), (30, 7), (0, 3)])
def test_sm4_fault_changes_the_output(lib: Library, decrypt: bool, round_: int, index: int) -> None:
    cipher = _cipher(lib, "SM4", decrypt)
    good = cipher.run_blocks(BLOCKS)
    bad = cipher.run_blocks(BLOCKS, fault=Fault(round_, index, 0x01))
    assert (good != bad).any(axis=1).all()  # every block is hit
    assert np.array_equal(bad, cipher.run_blocks(BLOCKS, fault=Fault(round_, index, 0x01)))
    assert np.array_equal(cipher.run_blocks(BLOCKS), good)


def test_sm4_last_round_fault_leaves_the_untouched_words(lib: Library) -> None:
    cipher = _cipher(lib, "SM4", False)
    good = cipher.run_blocks(BLOCKS)
    # X[34] is output word 1; X[35] = X[31] ^ T(...X[34]...) is word 0; X[33], X[32] stay.
    bad = cipher.run_blocks(BLOCKS, fault=Fault(31, 12, 0x80))
    assert _changed_bytes(good, bad) <= set(range(8))
    assert np.array_equal(good[:, 8:], bad[:, 8:])


@pytest.mark.parametrize(("args"), [(0, 16, 1), (0, -1, 1), (0, 0, 0), (0, 0, 256), (-1, 0, 1)])
def test_bad_faults_are_refused(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        Fault(*args)


@pytest.mark.parametrize(("algorithm", "round_"), [("AES_256", 15), ("SM4", 32), ("SM4", 99)])
def test_fault_beyond_the_last_round_is_refused(lib: Library, algorithm: str, round_: int) -> None:
    with pytest.raises(ValueError):
        _cipher(lib, algorithm, True).run_blocks(BLOCKS, fault=Fault(round_, 0, 1))


@pytest.mark.parametrize(
    "blocks", [b"", bytes(15), bytes(33), np.zeros((2, 16), dtype=np.int64), np.zeros(0, np.uint8)]
)
def test_bad_blocks_are_refused(lib: Library, blocks: object) -> None:
    with pytest.raises(WhiteBoxError) as err:
        _cipher(lib, "SM4", True).run_blocks(blocks)
    assert err.value.code == INVALID_DATA


def test_blocks_may_be_any_uint8_shape(lib: Library) -> None:
    cipher = _cipher(lib, "AES_256", True)
    flat = np.frombuffer(BLOCKS, dtype=np.uint8)
    assert np.array_equal(cipher.run_blocks(flat), cipher.run_blocks(flat.reshape(4, 8, 16)))


@pytest.mark.parametrize(("algorithm", "table"), [("AES_256", "aesi_ty"), ("SM4", "sm4_xk")])
def test_a_corrupted_table_byte_changes_the_output(
    lib: Library, algorithm: str, table: str
) -> None:
    """Deadpool-style faults: the SDK's tables are the arrays the network reads."""
    cipher = _cipher(lib, algorithm, True)
    good = cipher.run_blocks(BLOCKS)
    arr = lib.sdk.tables()[table].reshape(-1)
    saved = arr.copy()
    try:
        arr[: arr.size // 2] ^= 1
        assert not np.array_equal(cipher.run_blocks(BLOCKS), good)
    finally:
        arr[:] = saved
    assert np.array_equal(cipher.run_blocks(BLOCKS), good)


@pytest.mark.parametrize("decrypt", [False, True])
def test_aes_tbox_records_are_the_table_reads(lib: Library, decrypt: bool) -> None:
    """The ``tbox`` stage holds what each T-box table returns for what it was given."""
    cipher = _cipher(lib, "AES_256", decrypt)
    trace = Trace()
    cipher.run_blocks(BLOCKS, trace=trace)
    ty = (lib.sdk.aes_inverse if decrypt else lib.sdk.aes_forward).ty
    for r in (0, 5, 12):
        given = next(x.values for x in trace.records if x.round == r and x.stage == "xk")
        reads = next(x.values for x in trace.records if x.round == r and x.stage == "tbox")
        assert reads.shape == (32, 16, 8)
        assert np.array_equal(reads, ty[r][np.arange(16), given])


def test_sm4_tbox_records_are_the_table_reads(lib: Library) -> None:
    cipher = _cipher(lib, "SM4", True)
    trace = Trace()
    cipher.run_blocks(BLOCKS, trace=trace)
    for r in (0, 17, 31):
        stage = {x.stage: x.values for x in trace.records if x.round == r}
        assert stage["tbox"].shape == (32, 4)
        assert np.array_equal(stage["tbox"], lib.sdk.sm4.t[r][np.arange(4), stage["xk"]])
        assert np.array_equal(np.bitwise_xor.reduce(stage["tbox"], axis=1), stage["t"])


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_hooks_left_off_change_nothing(lib: Library, algorithm: str) -> None:
    """Explicitly passing no hook, after hooked runs, is the plain cipher."""
    cipher = _cipher(lib, algorithm, True)
    cipher.run_blocks(BLOCKS, trace=Trace(), fault=Fault(3, 2, 9))
    out = cipher.run_blocks(BLOCKS, trace=None, fault=None)
    assert out.tobytes() == ecb(algorithm, KEYS[algorithm], BLOCKS, decrypt=True)
