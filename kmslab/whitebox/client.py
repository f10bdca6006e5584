"""The offline client a device runs: CBC with PKCS#7 around the white-box block function.

It needs only the SDK and a white-box key, never the service. Strings are Base64 (as the
API returns ``DecryptKey``, ``InitializationVector`` and ``CipherText``); bytes are raw
(as in the ``decrypt_key.bin`` file of Tencent's workflow). Decryption runs every block
through the tables in one batch; encryption is sequential, as CBC requires.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import numpy as np

from kmslab.whitebox import keyblob
from kmslab.whitebox.device import device_fingerprint
from kmslab.whitebox.errors import INVALID_DATA, INVALID_KEY, WhiteBoxError
from kmslab.whitebox.hooks import Fault, Trace
from kmslab.whitebox.sdk import SDK

BLOCK = 16
"""The block size of AES and SM4 in bytes."""
MAX_PLAINTEXT = 4096
"""EncryptByWhiteBox's documented plaintext limit; the client encrypts as much."""

Data = str | bytes | bytearray | memoryview
"""Input data: a Base64 string, or raw bytes."""


def _raw(value: Data, what: str) -> bytes:
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise WhiteBoxError(
                INVALID_DATA, f"{what} is not valid Base64", f"{what} 不是有效的 Base64"
            ) from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise WhiteBoxError(
        INVALID_DATA,
        f"{what} must be a Base64 string or bytes",
        f"{what} 必须为 Base64 字符串或字节",
    )


def _iv(value: Data) -> np.ndarray:
    iv = _raw(value, "IV")
    if len(iv) != BLOCK:
        raise WhiteBoxError(INVALID_DATA, "the IV must be 16 bytes", "初始向量必须为 16 字节")
    return np.frombuffer(iv, dtype=np.uint8)


class WhiteBoxCipher:
    """A white-box key opened on this device: its block function, with the teaching hooks."""

    def __init__(self, sdk: SDK, key: Data, fingerprint: str | None = None) -> None:
        blob = keyblob.parse(_raw(key, "white-box key"), sdk.blob_key, sdk.library_id)
        encoded = keyblob.unmask(
            blob, fingerprint if fingerprint is not None else device_fingerprint()
        )
        self.algorithm, self.mode, self.key_id = blob.algorithm, blob.mode, blob.key_id
        self._network = sdk.network(blob.algorithm, blob.mode)
        shape = (15, 16) if blob.algorithm == keyblob.ALG_AES_256 else (32, 4)
        self._keys = np.frombuffer(encoded, dtype=np.uint8).reshape(shape)

    def __repr__(self) -> str:
        kind = "decrypt" if self.mode == keyblob.MODE_DECRYPT else "encrypt"
        alg = "AES_256" if self.algorithm == keyblob.ALG_AES_256 else "SM4"
        return f"WhiteBoxCipher({alg}, {kind}, key_id={self.key_id})"

    def run_blocks(
        self, blocks: np.ndarray | bytes, trace: Trace | None = None, fault: Fault | None = None
    ) -> np.ndarray:
        """Run the block function (ECB) on 16-byte blocks: decryption for a DecryptKey,
        encryption for an EncryptKey. ``trace`` records the table outputs; ``fault``
        corrupts one encoded intermediate byte."""
        arr: np.ndarray  # of any shape: numpy's newer stubs would pin the first one's
        if isinstance(blocks, (bytes, bytearray, memoryview)):
            arr = np.frombuffer(bytes(blocks), dtype=np.uint8)
        else:
            arr = np.asarray(blocks)
            if arr.dtype != np.uint8:
                raise WhiteBoxError(INVALID_DATA, "blocks must be uint8", "分组必须为 uint8 数组")
        if arr.size == 0 or arr.size % BLOCK:
            raise WhiteBoxError(
                INVALID_DATA,
                "blocks must be a non-empty multiple of 16 bytes",
                "分组长度必须为 16 字节的正整数倍",
            )
        rounds = 15 if self.algorithm == keyblob.ALG_AES_256 else 32
        if fault is not None and fault.round >= rounds:
            raise ValueError(f"this cipher has rounds 0-{rounds - 1} to fault")
        arr = np.ascontiguousarray(arr).reshape(-1, BLOCK)
        return self._network.run(self._keys, arr, trace=trace, fault=fault)


def _open(sdk: SDK, key: Data, mode: int, fingerprint: str | None = None) -> WhiteBoxCipher:
    cipher = WhiteBoxCipher(sdk, key, fingerprint)
    if cipher.mode != mode:
        want = "DecryptKey" if mode == keyblob.MODE_DECRYPT else "EncryptKey"
        raise WhiteBoxError(INVALID_KEY, f"this operation needs a {want}", f"此操作需要 {want}")
    return cipher


def decrypt(
    sdk: SDK, decrypt_key: Data, iv: Data, ciphertext: Data, *, fingerprint: str | None = None
) -> bytes:
    """The plaintext of an EncryptByWhiteBox ciphertext (CBC, PKCS#7), computed offline;
    ``fingerprint`` plays another device (default: :func:`device_fingerprint`)."""
    cipher = _open(sdk, decrypt_key, keyblob.MODE_DECRYPT, fingerprint)
    prev = _iv(iv)
    ct = _raw(ciphertext, "ciphertext")
    if not ct or len(ct) % BLOCK:
        raise WhiteBoxError(
            INVALID_DATA,
            "the ciphertext must be a non-empty multiple of 16 bytes",
            "密文长度必须为 16 字节的正整数倍",
        )
    blocks = np.frombuffer(ct, dtype=np.uint8).reshape(-1, BLOCK)
    chain = np.concatenate([prev[None, :], blocks[:-1]])
    plain = (cipher.run_blocks(blocks) ^ chain).tobytes()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise WhiteBoxError(
            INVALID_DATA,
            "bad padding: wrong key, IV or ciphertext",
            "填充错误：密钥、初始向量或密文不匹配",
        )
    return plain[:-pad]


def encrypt(sdk: SDK, encrypt_key: Data, iv: Data, plaintext: bytes) -> str:
    """Base64 CBC/PKCS#7 ciphertext of ``plaintext`` (at most 4 KB), like EncryptByWhiteBox."""
    cipher = _open(sdk, encrypt_key, keyblob.MODE_ENCRYPT)
    prev = _iv(iv)
    if (
        not isinstance(plaintext, (bytes, bytearray, memoryview))
        or not 0 < len(plaintext) <= MAX_PLAINTEXT
    ):
        raise WhiteBoxError(
            INVALID_DATA, "plaintext must be 1 to 4096 bytes", "明文长度必须为 1 到 4096 字节"
        )
    data = bytes(plaintext)
    pad = BLOCK - len(data) % BLOCK
    blocks = np.frombuffer(data + bytes([pad]) * pad, dtype=np.uint8).reshape(-1, BLOCK)
    out = np.empty_like(blocks)
    for k in range(len(blocks)):
        prev = cipher.run_blocks((blocks[k] ^ prev)[None, :])[0]
        out[k] = prev
    return base64.b64encode(out.tobytes()).decode()


def whitebox_decrypt(
    sdk_dir: str | Path, key_file: str, iv: Data, ciphertext: Data, algorithm_type: int
) -> bytes:
    """Tencent's sample call shape: SDK directory, key file name, IV, ciphertext and
    ``algorithmType`` (0 = AES_256, 1 = SM4); the raw DecryptKey file lies in ``sdk_dir``."""
    sdk = SDK.load(sdk_dir)
    try:
        key = (Path(sdk_dir) / key_file).read_bytes()
    except OSError as exc:
        raise WhiteBoxError(
            INVALID_KEY, f"cannot read the key file: {exc}", "无法读取密钥文件"
        ) from None
    cipher = _open(sdk, key, keyblob.MODE_DECRYPT)
    if cipher.algorithm != algorithm_type:
        raise WhiteBoxError(
            INVALID_KEY,
            "the key file is not of the requested algorithm type",
            "密钥文件与请求的算法类型不符",
        )
    return decrypt(sdk, key, iv, ciphertext)
