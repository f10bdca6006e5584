"""Where action modules register what they implement.

Each group of actions lives in its own module (as OpenBao's transit keeps one
``path_*.go`` per group) and registers its handlers, its key usages and its clock jobs
here. The service dispatches through these tables and knows no action by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kmslab.core.context import CallContext
    from kmslab.core.model import Key

Handler = Callable[["CallContext", dict], dict]

HANDLERS: dict[str, Handler] = {}
"""Action name -> handler(ctx, params) returning the documented response fields."""


@dataclass(frozen=True)
class JobKind:
    """A kind of clock job: ``due(key)`` says when it next falls due for a key (0: never),
    which rebuilds the queue from stored keys; ``run(ctx, key, due)`` performs it and
    returns an Event, or None when the entry is stale (the key changed since)."""

    due: Callable
    run: Callable


JOB_HANDLERS: dict[str, JobKind] = {}
"""Clock job kind -> how to find and run its jobs."""


def action(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of action ``name``."""

    def register(fn: Handler) -> Handler:
        if name in HANDLERS:
            raise RuntimeError(f"two handlers for {name}")
        HANDLERS[name] = fn
        return fn

    return register


def job(kind: str, due: Callable) -> Callable:
    """Register the decorated function as the runner of clock jobs of ``kind``;
    ``due(key)`` gives the instant the job next falls due for ``key`` (0: not scheduled)."""

    def register(fn: Callable) -> Callable:
        JOB_HANDLERS[kind] = JobKind(due, fn)
        return fn

    return register


@dataclass(frozen=True)
class KeyUsage:
    """A ``KeyUsage`` the service can create, and how.

    ``category`` places it in ListAlgorithms (``symmetric``, ``asymmetric`` for
    decryption and PQC encryption, ``sign``); ``profiles`` says in which crypto
    profiles (FIPS, SM) it works; ``generate(ctx, key)`` gives a new key its material.
    ``external_ok`` says whether material of this usage may be imported (CreateKey Type 2).
    """

    usage: str
    algorithm: Callable[[str], str]
    category: str
    profiles: frozenset[str]
    generate: Callable[[CallContext, Key], None]
    external_ok: bool = False


USAGES: dict[str, KeyUsage] = {}
"""KeyUsage name -> how to create it; ListAlgorithms and CreateKey read this."""

KNOWN_USAGES = (
    "ENCRYPT_DECRYPT",
    "ASYMMETRIC_DECRYPT_RSA_2048",
    "ASYMMETRIC_DECRYPT_SM2",
    "ASYMMETRIC_SIGN_VERIFY_SM2",
    "ASYMMETRIC_SIGN_VERIFY_ECC",
    "ASYMMETRIC_SIGN_VERIFY_RSA_2048",
    "ASYMMETRIC_SIGN_VERIFY_ECDSA384",
    "ASYMMETRIC_SIGN_VERIFY_RSA_3072",
    "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
)
"""Every usage the documentation names (section 6), whether or not kmslab builds it."""


def key_usage(info: KeyUsage) -> KeyUsage:
    """Register a key usage."""
    USAGES[info.usage] = info
    return info
