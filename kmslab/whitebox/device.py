"""This device's white-box fingerprint: 70 characters, 8-14-14-14-16 lowercase hex groups.

Tencent's collector hashes hardware identifiers; kmslab hashes stable machine identifiers
(OS and architecture, machine id, network node id, host name) the same shape, so the
``DeviceFingerprint.Identity`` rule accepts it. ``KMSLAB_WB_FINGERPRINT`` overrides it,
so a notebook can play another device (which is also how an attacker would spoof one).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import uuid
from pathlib import Path

from kmslab.whitebox.errors import INVALID_ARGUMENT, WhiteBoxError

FINGERPRINT_ENV = "KMSLAB_WB_FINGERPRINT"
"""The environment variable that overrides :func:`device_fingerprint`."""

FINGERPRINT_RE = re.compile(
    r"^[0-9a-f]{8}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{14}[-][0-9a-f]{16}$"
)
"""The ``DeviceFingerprint.Identity`` rule of the API."""


def is_fingerprint(value: object) -> bool:
    """True if ``value`` is a string matching the Identity rule."""
    return isinstance(value, str) and FINGERPRINT_RE.fullmatch(value) is not None


def _machine_id() -> str:
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text:
            return text
    return ""


def _node_id() -> str:
    """The network node id, or "" when Python had to invent a random one (multicast bit)."""
    node = uuid.getnode()
    return "" if (node >> 40) & 1 else f"{node:012x}"


def _group(label: str, source: str, hex_chars: int) -> str:
    return hashlib.sha256(f"kmslab-wb-fp|{label}|{source}".encode()).hexdigest()[:hex_chars]


def device_fingerprint() -> str:
    """This device's fingerprint, or the value of ``KMSLAB_WB_FINGERPRINT`` if set."""
    override = os.environ.get(FINGERPRINT_ENV)
    if override is not None:
        if not is_fingerprint(override):
            raise WhiteBoxError(
                INVALID_ARGUMENT,
                f"{FINGERPRINT_ENV} is not a fingerprint (8-14-14-14-16 lowercase hex groups)",
                f"{FINGERPRINT_ENV} 不是有效的设备指纹（8-14-14-14-16 位小写十六进制）",
            )
        return override
    system = f"{platform.system()}|{platform.machine()}"
    machine, node, host = _machine_id(), _node_id(), platform.node()
    groups = [
        _group("system", system, 8),
        _group("machine-id", machine, 14),
        _group("node", node, 14),
        _group("host", host, 14),
        _group("all", "|".join((system, machine, node, host)), 16),
    ]
    return "-".join(groups)
