"""The white-box SDK a device downloads: the key-independent tables, and nothing secret.

It holds the AES-256 forward and inverse networks and the SM4 network, the library id
(a hash of every table, so a key names the library it was encoded for) and the blob
integrity key. ``save(dir)`` / ``SDK.load(dir)`` write and read one ``.npz`` file and a
JSON manifest; loading recomputes the library id, so a changed table is detected.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np

from kmslab.whitebox.aes_net import AESNetwork, AESTables
from kmslab.whitebox.errors import INVALID_SDK, WhiteBoxError
from kmslab.whitebox.keyblob import ALG_AES_256, ALG_SM4, MODE_DECRYPT
from kmslab.whitebox.sm4_net import SM4Network, SM4Tables

SDK_FILE = "kmslab-whitebox-sdk.npz"
"""The tables' file name inside an SDK directory."""
MANIFEST_FILE = "kmslab-whitebox-sdk.json"
"""The manifest's file name inside an SDK directory."""
SDK_FORMAT = 1
"""The SDK directory format version."""


def _library_id(arrays: dict[str, np.ndarray], blob_key: bytes) -> bytes:
    h = hashlib.sha256(b"kmslab-whitebox-library-v1")
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(arr.tobytes())
    h.update(blob_key)
    return h.digest()[:16]


class SDK:
    """The public half of a white-box library (what ``kms.whitebox_sdk()`` will hand out)."""

    def __init__(
        self, aes_forward: AESTables, aes_inverse: AESTables, sm4: SM4Tables, blob_key: bytes
    ) -> None:
        self.aes_forward, self.aes_inverse, self.sm4 = aes_forward, aes_inverse, sm4
        self.blob_key = blob_key
        self.library_id = _library_id(self._arrays(), blob_key)
        self._networks: dict[str, AESNetwork | SM4Network] = {}

    def _arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for prefix, tables in (("aesf", self.aes_forward), ("aesi", self.aes_inverse)):
            out.update({f"{prefix}_{k}": v for k, v in tables.arrays().items()})
        out.update({f"sm4_{k}": v for k, v in self.sm4.arrays().items()})
        return out

    @property
    def nbytes(self) -> int:
        """Total size of the tables in bytes."""
        return sum(a.nbytes for a in self._arrays().values())

    def tables(self) -> dict[str, np.ndarray]:
        """Every table by name (writable arrays: a notebook may fault a table byte)."""
        return self._arrays()

    def network(self, algorithm: int, mode: int) -> AESNetwork | SM4Network:
        """The table network that runs keys of ``algorithm`` in ``mode``."""
        if algorithm == ALG_SM4:
            name = "sm4"
        elif algorithm == ALG_AES_256:
            name = "aes-inverse" if mode == MODE_DECRYPT else "aes-forward"
        else:
            raise ValueError(f"unknown algorithm type {algorithm}")
        if name not in self._networks:
            if name == "sm4":
                self._networks[name] = SM4Network(self.sm4)
            else:
                tables = self.aes_inverse if name == "aes-inverse" else self.aes_forward
                self._networks[name] = AESNetwork(tables)
        return self._networks[name]

    def __repr__(self) -> str:
        return f"SDK(library_id={self.library_id.hex()}, {self.nbytes / 2**20:.1f} MiB)"

    def save(self, directory: str | Path) -> Path:
        """Write the SDK into ``directory`` (created if needed); return the directory."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        arrays = self._arrays()
        arrays["blob_key"] = np.frombuffer(self.blob_key, dtype=np.uint8)
        np.savez(path / SDK_FILE, **arrays)  # type: ignore[arg-type]
        manifest = {
            "format": SDK_FORMAT,
            "library_id": self.library_id.hex(),
            "algorithms": {"AES_256": ALG_AES_256, "SM4": ALG_SM4},
            "tables_bytes": self.nbytes,
        }
        (path / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
        return path

    @classmethod
    def load(cls, directory: str | Path) -> SDK:
        """Read an SDK written by :meth:`save`, checking its library id."""
        path = Path(directory)
        try:
            manifest = json.loads((path / MANIFEST_FILE).read_text())
            with np.load(path / SDK_FILE, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            blob_key = arrays.pop("blob_key").tobytes()

            def part(prefix: str, fields: tuple[str, ...]) -> dict[str, np.ndarray]:
                """The tables of one network, from their saved names."""
                return {f: arrays[f"{prefix}_{f}"] for f in fields}

            sdk = cls(
                AESTables(**part("aesf", AESTables.FIELDS)),
                AESTables(**part("aesi", AESTables.FIELDS)),
                SM4Tables(**part("sm4", SM4Tables.FIELDS)),
                blob_key,
            )
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise WhiteBoxError(
                INVALID_SDK, f"cannot read a white-box SDK in {path}: {exc}", "无法读取白盒 SDK"
            ) from None
        if not isinstance(manifest, dict) or (
            manifest.get("format"),
            manifest.get("library_id"),
        ) != (SDK_FORMAT, sdk.library_id.hex()):
            raise WhiteBoxError(
                INVALID_SDK,
                f"the white-box SDK in {path} is corrupted (library id mismatch)",
                "白盒 SDK 已损坏（库标识不符）",
            )
        return sdk
