"""The attacker's view of a white-box key: the lifted block function, and a key check.

Every attack starts from what a device holds (the SDK and a white-box key, plus a
fingerprint the key is bound to, if it is) and ends by checking its answer the way an
attacker would: the recovered key must compute, in plain ``cryptography``, exactly what
the white-box computes. An answer that fails the check is never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kmslab.whitebox import keyblob
from kmslab.whitebox.client import Data, WhiteBoxCipher
from kmslab.whitebox.errors import ATTACK_FAILED, INVALID_ARGUMENT, INVALID_KEY, WhiteBoxError
from kmslab.whitebox.library import ALGORITHMS
from kmslab.whitebox.sdk import SDK

_CIPHERS = {keyblob.ALG_AES_256: algorithms.AES, keyblob.ALG_SM4: algorithms.SM4}


@dataclass
class Target:
    """A white-box key opened for attack: its block function and what it computes."""

    cipher: WhiteBoxCipher
    algorithm: int
    decrypts: bool

    @property
    def name(self) -> str:
        """The API algorithm name (``AES_256`` or ``SM4``)."""
        return "AES_256" if self.algorithm == keyblob.ALG_AES_256 else "SM4"

    def run(self, blocks: np.ndarray, **hooks: object) -> np.ndarray:
        """The white-box block function on ``(N, 16)`` blocks, with optional hooks."""
        return self.cipher.run_blocks(blocks, **hooks)  # type: ignore[arg-type]

    def matches(self, key: bytes, blocks: np.ndarray, outputs: np.ndarray) -> bool:
        """True if ``key`` in ``cryptography`` maps ``blocks`` to the white-box ``outputs``."""
        cipher = Cipher(_CIPHERS[self.algorithm](key), modes.ECB())
        ctx = cipher.decryptor() if self.decrypts else cipher.encryptor()
        return ctx.update(blocks.tobytes()) + ctx.finalize() == outputs.tobytes()


def open_target(sdk: SDK, white_box_key: Data, algorithm: str, fingerprint: str | None) -> Target:
    """Open ``white_box_key`` (a DecryptKey or an EncryptKey) of ``algorithm`` on ``sdk``."""
    alg = ALGORITHMS.get(algorithm) if isinstance(algorithm, str) else None
    if alg is None:
        raise WhiteBoxError(
            INVALID_ARGUMENT, "algorithm must be AES_256 or SM4", "算法必须为 AES_256 或 SM4"
        )
    cipher = WhiteBoxCipher(sdk, white_box_key, fingerprint)
    if cipher.algorithm != alg:
        raise WhiteBoxError(
            INVALID_KEY,
            f"the white-box key is not an {algorithm} key",
            f"该白盒密钥不是 {algorithm} 密钥",
        )
    return Target(cipher, alg, cipher.mode == keyblob.MODE_DECRYPT)


def rng_of(seed: int) -> np.random.Generator:
    """The attack's random source: seeded, so that a run reproduces."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise WhiteBoxError(
            INVALID_ARGUMENT, "seed must be a non-negative integer", "seed 必须为非负整数"
        )
    return np.random.default_rng(seed)


def failed(attack: str, why: str, why_zh: str) -> WhiteBoxError:
    """The error of an attack that found no verified key (never a guess returned)."""
    return WhiteBoxError(
        ATTACK_FAILED, f"{attack} found no key: {why}", f"{attack} 未能恢复密钥：{why_zh}"
    )
