"""The explicit lists a service is assembled from: its action groups and resource kinds.

Add a group of actions by writing its module (ending in an ``ActionGroup``) and naming
it in ``SERVICE_GROUPS``; add a resource kind by writing its module (a
``ResourceKind``) and naming it in ``RESOURCE_KINDS``. No other file changes.
"""

from __future__ import annotations

from kmslab.core import (
    asymmetric,
    byok,
    data_keys,
    keys,
    lifecycle,
    pqc,
    service_info,
    symmetric,
    whitebox_keys,
)
from kmslab.core.cmk import CMK
from kmslab.core.datakey import DATA_KEY
from kmslab.core.groups import ActionGroup, Dispatch
from kmslab.core.resources import ResourceKind
from kmslab.core.whitebox_key import LIBRARY_SEED, WHITE_BOX_KEY

RESOURCE_KINDS: tuple[ResourceKind, ...] = (CMK, DATA_KEY, WHITE_BOX_KEY, LIBRARY_SEED)
"""Every kind of resource a service holds, each in its own repository and store table."""

SERVICE_GROUPS: tuple[ActionGroup, ...] = (
    keys.GROUP,
    symmetric.GROUP,
    lifecycle.GROUP,
    asymmetric.GROUP,
    pqc.GROUP,
    byok.GROUP,
    data_keys.GROUP,
    whitebox_keys.GROUP,
    service_info.GROUP,
)
"""The action groups of the Tencent Cloud KMS API 3.0 service, in ListAlgorithms order."""


EXTENSION_GROUPS: dict[str, ActionGroup] = {"pqc": pqc.EXTENSION_GROUP}
"""Opt-in groups beyond Tencent's API, by the name ``KMS(extensions=[...])`` takes."""


def extension_groups(names: frozenset[str]) -> tuple[ActionGroup, ...]:
    """The groups of the chosen extensions, in a fixed order."""
    return tuple(group for name, group in EXTENSION_GROUPS.items() if name in names)


def built_actions() -> frozenset[str]:
    """The actions a default service implements (for docs and views made without one)."""
    return Dispatch(SERVICE_GROUPS).built()
