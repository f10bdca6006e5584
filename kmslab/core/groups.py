"""What a group of actions declares, and the dispatch a service builds from its groups.

Each group of actions lives in its own module (as OpenBao's transit keeps one
``path_*.go`` per group) and ends with one :class:`ActionGroup` naming its handlers,
the key usages it makes and the clock jobs it runs. A service assembles its
:class:`Dispatch` from an explicit list of groups when it is created: nothing is
registered by importing a module, and no table is shared between services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kmslab.core.context import CallContext
    from kmslab.core.resources import ResourceKind
    from kmslab.core.scheduler import Event

Handler = Callable[["CallContext", dict], dict]
"""handler(ctx, params) -> the documented response fields (without RequestId)."""


@dataclass(frozen=True)
class JobKind:
    """A kind of clock job on resources of one kind.

    ``due(obj)`` says when it next falls due for a resource (0: never); the service
    keeps the queue equal to it after every change. ``run(ctx, obj, due)`` performs the
    job on a copy of the resource (through ``ctx``) and returns an Event, or None.
    """

    name: str
    resource: ResourceKind
    due: Callable[[Any], float]
    run: Callable[[CallContext, Any, float], Event | None]


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
    generate: Callable[[CallContext, Any], object]
    external_ok: bool = False


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


@dataclass(frozen=True)
class ActionGroup:
    """One module's actions, key usages and clock jobs.

    ``read_only`` names the actions that never change a resource: they read live
    objects, while every other action works on copies inside a unit of work.
    """

    name: str
    actions: Mapping[str, Handler]
    read_only: frozenset[str] = frozenset()
    usages: tuple[KeyUsage, ...] = ()
    jobs: tuple[JobKind, ...] = ()
    resources: tuple[ResourceKind, ...] = field(default=())


class Dispatch:
    """A service's own tables, built once from its groups: action -> handler, which
    actions are read-only, the key usages by name and the job kinds by name."""

    def __init__(self, groups: tuple[ActionGroup, ...]) -> None:
        self.groups = groups
        self.handlers: dict[str, Handler] = {}
        self.read_only: set[str] = set()
        self.usages: dict[str, KeyUsage] = {}
        self.jobs: dict[str, JobKind] = {}
        self.resources: dict[str, ResourceKind] = {}
        for group in groups:
            for resource in group.resources:
                self.resources.setdefault(resource.name, resource)
            for name, handler in group.actions.items():
                if name in self.handlers:
                    raise ValueError(f"two groups implement {name}")
                self.handlers[name] = handler
            unknown = group.read_only - set(group.actions)
            if unknown:
                raise ValueError(f"group {group.name} marks unknown actions read-only: {unknown}")
            self.read_only |= group.read_only
            for usage in group.usages:
                if usage.usage in self.usages:
                    raise ValueError(f"two groups make KeyUsage {usage.usage}")
                self.usages[usage.usage] = usage
            for job in group.jobs:
                if job.name in self.jobs:
                    raise ValueError(f"two groups run clock job {job.name}")
                self.jobs[job.name] = job
                self.resources.setdefault(job.resource.name, job.resource)
        self.jobs_by_resource: dict[str, tuple[JobKind, ...]] = {
            kind: tuple(j for j in self.jobs.values() if j.resource.name == kind)
            for kind in self.resources
        }

    def built(self) -> frozenset[str]:
        """The names of every action this service implements."""
        return frozenset(self.handlers)
