"""pandas views of the service: keys, data keys, white-box keys, versions, call records,
QPS and latency, lifecycles.

Each view reads what a client could read (``ListKeyDetail``, the call records, the clock
events) and gives it proper dtypes: instants as UTC datetimes, states as categoricals.
Version views add fingerprints from the key table, read-only; never any material.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

import pandas as pd

from kmslab.actions.table import ACTIONS
from kmslab.core.datakey import DATA_KEY_STATES
from kmslab.core.model import STATES
from kmslab.core.whitebox_key import WHITE_BOX_STATES

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

THROTTLED = "RequestLimitExceeded"
TIME_FIELDS = (
    "CreateTime",
    "NextRotateTime",
    "DeletionDate",
    "ValidTo",
    "LastRotateTime",
    "SyncStartTime",
    "SyncEndTime",
)
"""KeyMetadata fields holding Unix seconds (0 meaning "never"), shown as UTC datetimes."""

PAGE = 200  # the documented maximum of ListKeyDetail.Limit
OUTCOMES = ("ok", "error", "throttled")
_LIFECYCLE_ACTIONS = {
    "CreateKey": "created",
    "EnableKey": "enabled",
    "DisableKey": "disabled",
    "ArchiveKey": "archived",
    "CancelKeyArchive": "archive cancelled",
    "RotateKey": "rotated (on demand)",
    "EnableKeyRotation": "rotation enabled",
    "DisableKeyRotation": "rotation disabled",
    "ScheduleKeyDeletion": "deletion scheduled",
    "CancelKeyDeletion": "deletion cancelled",
    "ImportKeyMaterial": "material imported",
    "DeleteImportedKeyMaterial": "material deleted",
    # hosted data keys (their creation is read from the data key itself)
    "EnableDataKey": "enabled",
    "DisableDataKey": "disabled",
    "ScheduleDataKeyDeletion": "deletion scheduled",
    "CancelDataKeyDeletion": "deletion cancelled",
    "UpdateDataKeyName": "renamed",
}


def scope(kms: KMS | AccountView) -> tuple[KMS, int, str]:
    """The service, account and region that ``kms`` (a KMS or an account view) acts as."""
    service: KMS = getattr(kms, "kms", kms)  # type: ignore[arg-type]
    uin: int = getattr(kms, "uin", None) or service.default_uin
    region: str = getattr(kms, "region", None) or service.default_region
    return service, uin, region


def _utc(seconds: pd.Series) -> pd.Series:
    """Unix seconds as UTC datetimes; 0 ("never") becomes NaT."""
    numeric = pd.to_numeric(seconds, errors="coerce")
    known = numeric > 0  # NaN compares False
    return instants(numeric.where(known, 0)).where(known)


def instants(seconds: pd.Series) -> pd.Series:
    """Unix seconds (no NaN) as UTC nanosecond datetimes, rounded to whole microseconds.

    Through integers, so that every supported pandas gives the same instants: pandas 2
    and 3 convert fractional float seconds at different resolutions, and pandas 2's
    float path can read uninitialised memory when a value is NaN (pandas issue 58419).
    """
    micro = (seconds.astype("float64") * 1e6).round().astype("int64")
    return pd.to_datetime(micro, unit="us", utc=True).dt.as_unit("ns")  # as pandas 2 has it


def key_table(kms: KMS | AccountView, *, KeyUsage: str = "ALL", **filters: Any) -> pd.DataFrame:
    """Every key ``ListKeyDetail`` returns, all pages, one row per key.

    Takes every filter of ``ListKeyDetail`` by its wire name (``KeyState=1``,
    ``SearchKeyAlias="app"``, ``TagFilters=[...]``, ``Origin``, ``Role``, ``OrderType``...).
    Unlike the action, ``KeyUsage`` defaults to ``ALL``: a table that silently hid
    asymmetric keys would mislead. Tags become ``tag:<TagKey>`` columns.
    """
    service, uin, region = scope(kms)
    params = {"KeyUsage": KeyUsage, **filters}
    params.pop("Offset", None)
    params.pop("Limit", None)
    rows: list[dict] = []
    while True:
        page = kms.call("ListKeyDetail", {**params, "Offset": len(rows), "Limit": PAGE})
        rows.extend(page.get("KeyMetadatas") or [])
        if not page.get("KeyMetadatas") or len(rows) >= page["TotalCount"]:
            break
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["KeyId", "Alias", "KeyState", "KeyUsage", "CreateTime"])
    for name in TIME_FIELDS:
        if name in frame:
            frame[name] = _utc(frame[name])
    frame["KeyState"] = pd.Categorical(frame["KeyState"], categories=STATES)
    # Tags are not part of KeyMetadata; read them (never material) from the key table.
    tags = service.inspect.tags("cmk", uin, region)
    for tag in sorted({t for found in tags.values() for t in found}):
        frame[f"tag:{tag}"] = [tags.get(kid, {}).get(tag) for kid in frame["KeyId"]]
    return frame.reset_index(drop=True)


def key_versions(kms: KMS | AccountView) -> pd.DataFrame:
    """The key hierarchy as rows: root key fingerprint -> CMK -> each version.

    Shows which key wraps which, with fingerprints only (a fingerprint identifies
    material without revealing it). The newest version is the one Encrypt uses.
    """
    service, uin, region = scope(kms)
    rows = []
    for key in service.inspect.keys(uin, region):
        for v in key.versions:
            rows.append(
                {
                    "root_key": service.root_key.fingerprint,
                    "KeyId": key.key_id,
                    "Alias": key.alias,
                    "KeyUsage": key.usage,
                    "KeyState": key.state,
                    "version": v.version,
                    "created": v.created,
                    "fingerprint": v.fingerprint,
                    "current": v is key.versions[-1],
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "root_key",
            "KeyId",
            "Alias",
            "KeyUsage",
            "KeyState",
            "version",
            "created",
            "fingerprint",
            "current",
        ],
    )
    frame["created"] = _utc(frame["created"])
    frame["KeyState"] = pd.Categorical(frame["KeyState"], categories=STATES)
    return frame


def call_records(kms: KMS | AccountView, since: int = 0) -> pd.DataFrame:
    """The call records (DESIGN.md section 7), one row per call, oldest first.

    ``since``: only records with a sequence number above it (to look at one experiment).
    ``time`` is the service clock (virtual in deterministic mode); ``wall`` and
    ``latency`` are real measured seconds and vary from run to run.
    """
    service, _, _ = scope(kms)
    frame = pd.DataFrame(
        service.inspect.call_records(since),
        columns=["seq", "action", "uin", "region", "key_id", "time", "wall", "latency", "error"],
    )
    frame["time"] = instants(frame["time"])
    frame["outcome"] = pd.Categorical(
        ["ok" if not e else "throttled" if e == THROTTLED else "error" for e in frame["error"]],
        categories=OUTCOMES,
    )
    return frame


def qps_latency(kms: KMS | AccountView, since: int = 0) -> pd.DataFrame:
    """Per action: calls, outcomes, achieved QPS, p50/p95/p99 latency, and the limits.

    ``achieved_qps`` counts answered (not throttled) calls over the real time the calls
    spanned; ``service_qps`` over the service clock (NaN when no service time passed,
    as in a tight loop on a virtual clock). ``documented_qps`` is the documentation's
    limit; ``enforced_qps`` is what the limiter applies now (NaN: not limited).
    ``since``: only the records after that sequence number.
    """
    records = call_records(kms, since)
    service, _, _ = scope(kms)
    columns = [
        "calls",
        "ok",
        "errors",
        "throttled",
        "achieved_qps",
        "service_qps",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "documented_qps",
        "enforced_qps",
    ]
    rows = {}
    for action, group in records.groupby("action", sort=True):
        answered = group[group["outcome"] != "throttled"]
        span = (group["wall"] + group["latency"]).max() - group["wall"].min()
        seconds = (group["time"].max() - group["time"].min()).total_seconds()
        ms = answered["latency"] * 1000 if len(answered) else group["latency"] * 1000
        spec = ACTIONS.get(action)
        rows[action] = {
            "calls": len(group),
            "ok": int((group["outcome"] == "ok").sum()),
            "errors": int((group["outcome"] == "error").sum()),
            "throttled": int((group["outcome"] == "throttled").sum()),
            "achieved_qps": len(answered) / span if span > 0 else float("nan"),
            "service_qps": len(answered) / seconds if seconds > 0 else float("nan"),
            "p50_ms": ms.quantile(0.50),
            "p95_ms": ms.quantile(0.95),
            "p99_ms": ms.quantile(0.99),
            "documented_qps": spec.qps if spec and spec.qps else float("nan"),
            "enforced_qps": service.limiter.limits.get(action, float("nan")),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    frame.index.name = "action"
    return frame


def lifecycle(kms: KMS | AccountView, key_id: str) -> pd.DataFrame:
    """What happened to one key (a CMK or a hosted data key), in order: successful
    lifecycle calls and clock events (automatic rotations, deletions). Columns: ``time``
    (service clock, UTC), ``what``, ``source`` (``call`` or ``clock``), ``detail``."""
    service, uin, region = scope(kms)
    rows = [
        {
            "time": dk.create_time,
            "what": "created",
            "source": "call",
            "detail": f"hosted data key under {dk.key_id} ({dk.origin})",
            "seq": -1,
        }
        for dk in service.inspect.resources("data_key", uin, region)
        if dk.data_key_id == key_id
    ]
    rows += [
        {
            "time": r.time,
            "what": _LIFECYCLE_ACTIONS[r.action],
            "source": "call",
            "detail": r.action,
            "seq": r.seq,
        }
        for r in service.inspect.call_records()
        if r.key_id == key_id and not r.error and r.action in _LIFECYCLE_ACTIONS
    ]
    rows += [
        {"time": e.time, "what": e.kind, "source": "clock", "detail": e.detail, "seq": 0}
        for e in service.inspect.events()
        if e.key_id == key_id
    ]
    frame = pd.DataFrame(rows, columns=["time", "what", "source", "detail", "seq"])
    frame = frame.sort_values(["time", "seq"], kind="stable").drop(columns="seq")
    frame["time"] = instants(frame["time"])
    return frame.reset_index(drop=True)


def key_extras(kms: KMS | AccountView, key_id: str) -> dict:
    """What ``DescribeKey`` does not report about one key, read-only: its versions (number,
    creation, fingerprint; never material), cloud-resource bindings and tags."""
    service, uin, region = scope(kms)
    try:
        key = service.inspect.key(key_id, uin, region)
    except KeyError:
        return {"versions": [], "bindings": [], "tags": {}}
    return {
        "versions": [
            {"version": v.version, "created": v.created, "fingerprint": v.fingerprint}
            for v in key.versions
        ],
        "bindings": [tuple(pair) for pair in key.bindings],
        "tags": dict(key.tags),
    }


def service_revision(kms: KMS | AccountView) -> tuple:
    """Changes whenever the service may have: a call was recorded, the clock moved or a
    clock job ran. Panels compare it to know when to redraw."""
    service, _, _ = scope(kms)
    events = service.inspect.events()
    event = events[-1] if events else None
    return service.inspect.last_record_seq(), service.clock.now(), len(events), id(event)


def data_key_table(kms: KMS | AccountView, **filters: Any) -> pd.DataFrame:
    """Every hosted data key ``ListDataKeyDetail`` returns, all pages, one row per key.

    Takes every filter of ``ListDataKeyDetail`` by its wire name (``KeyState=1``,
    ``KeyId=...``, ``DataKeyLen=32``, ``SearchKeyAlias``, ``Origin``, ``TagFilters``...).
    Instants are UTC datetimes and ``KeyState`` a categorical; tags become
    ``tag:<TagKey>`` columns. Never the data keys themselves: only their metadata.
    """
    service, uin, region = scope(kms)
    params = {k: v for k, v in filters.items() if k not in ("Offset", "Limit")}
    rows: list[dict] = []
    while True:
        page = kms.call("ListDataKeyDetail", {**params, "Offset": len(rows), "Limit": PAGE})
        rows.extend(page.get("DataKeyMetadatas") or [])
        if not page.get("DataKeyMetadatas") or len(rows) >= page["TotalCount"]:
            break
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(
            columns=["DataKeyId", "DataKeyName", "KeyId", "KeyState", "NumberOfBytes", "CreateTime"]
        )
    for name in ("CreateTime", "DeletionDate"):
        if name in frame:
            frame[name] = _utc(frame[name])
    frame["KeyState"] = pd.Categorical(frame["KeyState"], categories=DATA_KEY_STATES)
    # Tags are not part of DataKeyMetadata; read them (never material) from the resources.
    keys = {d.data_key_id: d for d in service.inspect.resources("data_key", uin, region)}
    for tag in sorted({t for d in keys.values() for t in d.tags}):
        frame[f"tag:{tag}"] = [
            keys[i].tags.get(tag) if i in keys else None for i in frame["DataKeyId"]
        ]
    return frame.reset_index(drop=True)


WHITE_BOX_COLUMNS = [
    "KeyId",
    "Alias",
    "Algorithm",
    "Status",
    "CreateTime",
    "Description",
    "DeviceFingerprintBind",
    "devices",
    "decrypt_key_sha256",
]
"""The columns of :func:`whitebox_key_table` (before any ``tag:`` columns)."""


def whitebox_key_table(kms: KMS | AccountView, **filters: Any) -> pd.DataFrame:
    """Every white-box key ``DescribeWhiteBoxKeyDetails`` returns, one row per key.

    Takes its filters by wire name (``KeyStatus=1``, ``TagFilters=[...]``). The EncryptKey
    and DecryptKey blobs are not shown: whoever holds the SDK can use them. The table shows
    instead how many devices are bound and the first 16 hex digits of the DecryptKey's
    SHA-256, which changes each time a binding re-issues it. Tags become ``tag:`` columns.
    """
    service, uin, region = scope(kms)
    params = {k: v for k, v in filters.items() if k not in ("Offset", "Limit")}
    infos = kms.call("DescribeWhiteBoxKeyDetails", params)["KeyInfos"]
    rows = []
    for info in infos:
        bound = kms.call("DescribeWhiteBoxDeviceFingerprints", {"KeyId": info["KeyId"]})
        digest = hashlib.sha256(base64.b64decode(info["DecryptKey"])).hexdigest()[:16]
        rows.append(
            {
                **{c: info[c] for c in WHITE_BOX_COLUMNS[:7]},
                "devices": len(bound["DeviceFingerprints"]),
                "decrypt_key_sha256": digest,
            }
        )
    frame = pd.DataFrame(rows, columns=WHITE_BOX_COLUMNS)
    frame["CreateTime"] = _utc(frame["CreateTime"])
    frame["Status"] = pd.Categorical(frame["Status"], categories=WHITE_BOX_STATES)
    keys = {k.key_id: k for k in service.inspect.resources("whitebox_key", uin, region)}
    for tag in sorted({t for k in keys.values() for t in k.tags}):
        frame[f"tag:{tag}"] = [
            keys[kid].tags.get(tag) if kid in keys else None for kid in frame["KeyId"]
        ]
    return frame.reset_index(drop=True)
