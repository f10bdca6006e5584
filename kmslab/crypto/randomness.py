"""The one injectable random source (DESIGN.md section 4).

Everything random in kmslab (key material, nonces, key ids, request ids, tokens) is
drawn from a :class:`RandomSource`, so that a seeded notebook reproduces byte for byte
while the default stays the operating system's CSPRNG.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
import warnings

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

_VARIANT = bytes.maketrans(b"0123456789abcdef", b"89ab89ab89ab89ab")
"""The RFC 4122 variant nibble (binary 10xx) for each value of a random hex digit."""

_UUID_TEXT = 37
"""Bytes per id in a batch's text: the 36 characters of a UUID and a newline."""
_HEX_COLUMNS = [i for i in range(36) if i not in (8, 13, 18, 23)]
"""Where each of an id's 32 hex digits goes in its text (the dashes stay put)."""


class InsecureDeterministicModeWarning(UserWarning):
    """Raised once per deterministic source: seeded randomness is for experiments only."""


class _IdPool:
    """Version 4 UUIDs for public identifiers (RequestId, TaskId), made 256 at a time
    from one draw of the OS CSPRNG: one system call and one tight loop per 256 ids
    instead of both on every call. Never for secrets, nonces or key ids; emptied in a
    forked child, which must not hand out the ids its parent will."""

    BATCH = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: list[str] = []

    def next_id(self) -> str:
        try:
            return self._ids.pop()  # atomic: no id is handed out twice
        except IndexError:
            with self._lock:
                if not self._ids:
                    self._ids = _uuid4_texts(os.urandom(16 * self.BATCH))
            return self.next_id()

    def empty(self) -> None:
        self._lock = threading.Lock()  # a lock held at fork time stays held in the child
        self._ids = []


def _uuid4_texts(raw: bytes) -> list[str]:
    """``str(uuid.UUID(bytes=chunk, version=4))`` of each 16-byte chunk of ``raw``.

    Column by column rather than id by id: each of the 32 hex digit positions of every id
    is copied in one strided slice, so a batch of 256 ids costs 32 C-level copies instead
    of 256 formatted strings. The version digit becomes 4, the variant digit 8 to b."""
    count = len(raw) // 16
    if count == 1:  # a seeded stream's single id: formatted directly is cheaper
        h = raw.hex()
        variant = h[16:17].encode().translate(_VARIANT).decode()
        return [f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"]
    digits = raw.hex().encode("ascii")
    text = bytearray(b"-" * (_UUID_TEXT * count))
    text[36::_UUID_TEXT] = b"\n" * count
    for source, column in enumerate(_HEX_COLUMNS):
        if source == 12:
            text[column::_UUID_TEXT] = b"4" * count
        elif source == 16:
            text[column::_UUID_TEXT] = digits[16::32].translate(_VARIANT)
        else:
            text[column::_UUID_TEXT] = digits[source::32]
    ids = text.decode("ascii").split("\n")
    ids.pop()  # the empty text after the last newline
    return ids


_ID_POOL = _IdPool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ID_POOL.empty)


class RandomSource:
    """Randomness from the operating system's CSPRNG (``os.urandom``): the default."""

    deterministic = False

    def __init__(self) -> None:
        if type(self).bytes is RandomSource.bytes:  # one call frame less on the hot path
            self.bytes = os.urandom  # type: ignore[method-assign,assignment]
        if type(self) is RandomSource:  # the same for every RequestId
            self.uuid4 = _ID_POOL.next_id  # type: ignore[method-assign]

    def bytes(self, n: int) -> bytes:
        """``n`` random bytes."""
        return os.urandom(n)

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)``, by rejection sampling (no modulo bias)."""
        if n <= 0:
            raise ValueError("randbelow needs a positive bound")
        nbytes = (n.bit_length() + 7) // 8 + 8
        limit = (1 << (8 * nbytes)) // n * n
        while True:
            value = int.from_bytes(self.bytes(nbytes), "big")
            if value < limit:
                return value % n

    def fork(self, label: str) -> None:
        """Continue on a stream of its own for ``label``; the OS CSPRNG needs nothing."""

    def uuid4(self) -> str:
        """A random (version 4) UUID string, as used for ``RequestId`` and ``TaskId``."""
        if type(self) is RandomSource:  # the OS source: from the pool of ready ids
            return _ID_POOL.next_id()
        return _uuid4_texts(self.bytes(16))[0]  # a seeded stream: the next 16 bytes, in turn

    def uuid1(self, unix_seconds: float) -> str:
        """A time-based (version 1) UUID for ``unix_seconds``, with random clock sequence
        and node, so that key ids look like the service's and carry the service clock."""
        ticks = int(unix_seconds * 10_000_000) + 0x01B21DD213814000
        rnd = int.from_bytes(self.bytes(8), "big")
        clock_seq = rnd & 0x3FFF
        node = (rnd >> 14) & 0xFFFFFFFFFFFF | 0x010000000000  # multicast bit: not a MAC
        return str(
            uuid.UUID(
                fields=(
                    ticks & 0xFFFFFFFF,
                    (ticks >> 32) & 0xFFFF,
                    ((ticks >> 48) & 0x0FFF) | 0x1000,
                    0x80 | (clock_seq >> 8),
                    clock_seq & 0xFF,
                    node,
                )
            )
        )


class DeterministicRandom(RandomSource):
    """INSECURE, reproducible randomness: a ChaCha20 keystream keyed by SHA-256 of a seed.

    ChaCha20 as a stream generator is the construction of OpenBSD's arc4random and the
    Linux kernel's CRNG, here from ``cryptography``. Anyone who knows the seed knows every
    key, so this exists only to make notebooks and experiments reproducible.
    """

    deterministic = True
    _CHUNK = 4096

    def __init__(self, seed: int | str | bytes) -> None:
        if isinstance(seed, int):
            seed = seed.to_bytes((seed.bit_length() + 8) // 8, "big", signed=True)
        elif isinstance(seed, str):
            seed = seed.encode("utf-8")
        key = hashlib.sha256(b"kmslab deterministic DRBG v1\x00" + seed).digest()
        self._seed_key = key
        self._stream = Cipher(algorithms.ChaCha20(key, bytes(16)), mode=None).encryptor()
        self._buffer = b""
        self._pos = 0
        # The notebook thread and the wire endpoint's thread may draw at once: one stream
        # position must never be handed out twice (that would repeat a nonce).
        self._lock = threading.Lock()
        warnings.warn(
            "kmslab deterministic mode: all keys and nonces derive from the seed; "
            "never protect real data with it",
            InsecureDeterministicModeWarning,
            stacklevel=4,  # the caller of KMS(seed=...)
        )

    def fork(self, label: str) -> None:
        """Switch to the independent stream of (seed, ``label``): still reproducible, but
        a reopened store's session never reuses bytes (nonces!) an earlier one drew."""
        key = hashlib.sha256(self._seed_key + b"\x00fork\x00" + label.encode()).digest()
        with self._lock:
            self._stream = Cipher(algorithms.ChaCha20(key, bytes(16)), mode=None).encryptor()
            self._buffer = b""
            self._pos = 0

    def bytes(self, n: int) -> bytes:
        with self._lock:
            pos = self._pos
            if pos + n > len(self._buffer):
                rest = self._buffer[pos:]
                self._buffer = rest + self._stream.update(bytes(max(self._CHUNK, n)))
                pos = 0
            self._pos = pos + n
            return self._buffer[pos : pos + n]


def make_random(seed: int | str | bytes | None = None) -> RandomSource:
    """The OS CSPRNG when ``seed`` is None, else the seeded (insecure) DRBG."""
    return RandomSource() if seed is None else DeterministicRandom(seed)
