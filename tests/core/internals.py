"""Test-only access to a service's insides, for arranging states no action can reach.

Tests read through ``kms.inspect``; this module is the one place they may put a changed
copy back, so that every such shortcut is visible in one grep.
"""

from __future__ import annotations

from kmslab import KMS
from kmslab.core.model import Key


def put_key(kms: KMS, key: Key) -> None:
    """Replace a CMK in the repository as if a committed call had changed it."""
    with kms.lock:
        kms.state.repos["cmk"].put(key)


def unread(kms: KMS, kind: str = "cmk") -> int:
    """How many reopened resources of ``kind`` have not been parsed yet (see ``Unread``)."""
    from kmslab.core.resources import Unread

    with kms.lock:
        repo = kms.state.repos[kind]
        return sum(
            obj.__class__ is Unread
            for index in repo._scopes.values()
            for obj in index.by_id.values()
        )
