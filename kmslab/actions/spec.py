"""Types of the action table: what each action takes, its limits and its documented QPS.

The table is data, not code, so that validation, dispatch, the wire decoder, the docs
and the notebook views all read one description of the API instead of repeating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Wire types, spelled as the spec's catalog spells them.
STRING = "String"
INTEGER = "Integer"  # uint64 on the wire: a non-negative JSON integer
INTEGER_SIGNED = "Integer64"  # int64 on the wire
BOOLEAN = "Boolean"
STRING_LIST = "Array of String"

SCALAR_TYPES = frozenset({STRING, INTEGER, INTEGER_SIGNED, BOOLEAN})


@dataclass(frozen=True)
class Limits:
    """Documented limits of one parameter, with the error code a violation gets.

    ``error`` is the action-specific code the spec documents for this limit; where it
    documents none, the common ``InvalidParameterValue`` applies.
    """

    min_length: int | None = None  # characters
    max_length: int | None = None  # characters
    max_bytes: int | None = None  # UTF-8 bytes
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str | int, ...] | None = None
    pattern: str | None = None  # a regular expression the whole value must match
    max_items: int | None = None
    unique_items: bool = False
    error: str = "InvalidParameterValue"
    duplicate_error: str = "InvalidParameterValue"


@dataclass(frozen=True)
class Param:
    """One request parameter (or one field of a request structure), by its wire name.

    ``type`` is a scalar type above, ``STRING_LIST``, a structure name (``"Tag"``,
    ``"MemberAccount"``) or ``"Array of <structure>"``.
    """

    name: str
    type: str
    required: bool = False
    doc: str = ""
    limits: Limits | None = None

    @property
    def is_list(self) -> bool:
        return self.type.startswith("Array of ")

    @property
    def item_type(self) -> str:
        return self.type[len("Array of ") :] if self.is_list else self.type


@dataclass(frozen=True)
class Struct:
    """A request structure (``Tag``, ``TagFilter``, ``MemberAccount``, ``DeviceFingerprint``)."""

    name: str
    fields: tuple[Param, ...]


@dataclass(frozen=True)
class ActionSpec:
    """One action of the API: parameters, response fields, documented errors and QPS.

    ``qps`` is the documented per-second limit, or None where the documentation gives
    none. ``in_doc`` is ``"yes"``, ``"listed only"`` or ``"no"`` as in the catalog.
    """

    name: str
    group: str
    in_doc: str
    qps: int | None
    summary: str
    params: tuple[Param, ...] = ()
    response: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)
