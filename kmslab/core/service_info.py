"""Service-level actions: status, regions, the algorithms each region offers, randomness."""

from __future__ import annotations

import base64

from kmslab.core.context import CallContext
from kmslab.core.data_key_hosting import (
    data_key_limit,
    free_data_key_limit,
    hosting_allowed,
    used_count,
)
from kmslab.core.groups import ActionGroup

_CATEGORIES = {
    "symmetric": "SymmetricAlgorithms",
    "asymmetric": "AsymmetricAlgorithms",
    "sign": "AsymmetricSignVerifyAlgorithms",
}


def get_service_status(ctx: CallContext, params: dict) -> dict:
    # A local service is always enabled; editions, clusters and sync do not exist.
    return {
        "ServiceEnabled": True,
        "InvalidType": 1,
        "UserLevel": 0,
        "ProExpireTime": 0,
        "ProRenewFlag": 0,
        "ProResourceId": "",
        "ExclusiveVSMEnabled": False,
        "ExclusiveHSMEnabled": False,
        "SubscriptionInfo": "",
        "CmkUserCount": ctx.count(),
        "CmkLimit": ctx.settings.cmk_limit,
        "ExclusiveHSMList": [],
        "IsAllowedDataKeyHosted": hosting_allowed(ctx),
        "DataKeyLimit": data_key_limit(ctx),
        "FreeDataKeyLimit": free_data_key_limit(ctx),
        "DataKeyUsedCount": used_count(ctx),
        "SyncTaskList": [],
        "IsAllowedSync": False,
    }


def get_regions(ctx: CallContext, params: dict) -> dict:
    return {"Regions": list(ctx.settings.regions)}


def list_algorithms(ctx: CallContext, params: dict) -> dict:
    """Exactly the usages that work in this region's profile, grouped as documented; the
    PQC extension's (``KMSLAB_EXT_PQC_*``, marked so by their name) only when it is on."""
    out: dict[str, list] = {field: [] for field in _CATEGORIES.values()}
    for info in ctx.settings.usages.values():  # extension usages only where switched on
        if ctx.profile in info.profiles:
            out[_CATEGORIES[info.category]].append(
                {"KeyUsage": info.usage, "Algorithm": info.algorithm(ctx.profile)}
            )
    return out


def generate_random(ctx: CallContext, params: dict) -> dict:
    data = ctx.random.bytes(params["NumberOfBytes"])
    return {"Plaintext": base64.b64encode(data).decode()}


GROUP = ActionGroup(
    name="service",
    actions={
        "GetServiceStatus": get_service_status,
        "GetRegions": get_regions,
        "ListAlgorithms": list_algorithms,
        "GenerateRandom": generate_random,
    },
    read_only=frozenset(["GenerateRandom", "GetRegions", "GetServiceStatus", "ListAlgorithms"]),
)
"""Service-level actions: status, regions, algorithms and randomness."""
