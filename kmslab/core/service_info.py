"""Service-level actions: status, regions, the algorithms each region offers, randomness."""

from __future__ import annotations

import base64

from kmslab.core.context import CallContext
from kmslab.core.pqc import EXTENSION_SETS, extensions_on
from kmslab.core.registry import USAGES, action

_CATEGORIES = {
    "symmetric": "SymmetricAlgorithms",
    "asymmetric": "AsymmetricAlgorithms",
    "sign": "AsymmetricSignVerifyAlgorithms",
}


@action("GetServiceStatus")
def get_service_status(ctx: CallContext, params: dict) -> dict:
    # A local service is always enabled; editions, clusters, hosting and sync do not exist.
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
        "CmkUserCount": len(ctx.keys),
        "CmkLimit": ctx.kms.cmk_limit,
        "ExclusiveHSMList": [],
        "IsAllowedDataKeyHosted": False,
        "DataKeyLimit": 0,
        "FreeDataKeyLimit": 0,
        "DataKeyUsedCount": 0,
        "SyncTaskList": [],
        "IsAllowedSync": False,
    }


@action("GetRegions")
def get_regions(ctx: CallContext, params: dict) -> dict:
    return {"Regions": list(ctx.kms.regions)}


@action("ListAlgorithms")
def list_algorithms(ctx: CallContext, params: dict) -> dict:
    """Exactly the usages that work in this region's profile, grouped as documented; the
    PQC extension's (``KMSLAB_EXT_PQC_*``, marked so by their name) only when it is on."""
    out: dict[str, list] = {field: [] for field in _CATEGORIES.values()}
    extended = extensions_on(ctx)
    for info in USAGES.values():
        if info.usage in EXTENSION_SETS and not extended:
            continue
        if ctx.profile in info.profiles:
            out[_CATEGORIES[info.category]].append(
                {"KeyUsage": info.usage, "Algorithm": info.algorithm(ctx.profile)}
            )
    return out


@action("GenerateRandom")
def generate_random(ctx: CallContext, params: dict) -> dict:
    data = ctx.random.bytes(params["NumberOfBytes"])
    return {"Plaintext": base64.b64encode(data).decode()}
