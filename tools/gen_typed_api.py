"""Generate the typed Python API from the action table.

Writes ``kmslab/actions/responses.py`` (a TypedDict per request structure, per response
structure and per action response) and ``kmslab/core/facade.pyi`` (one method per
action with keyword-only, wire-named, typed parameters), so that a type checker reports
``kms.Encrypt(KeyID=...)`` and every response field has its type. At run time the
methods stay the generic ones of ``kmslab/core/facade.py``. Run from the repository
root: ``python tools/gen_typed_api.py``; a test checks both files are up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kmslab.actions.catalog import STRUCTS  # noqa: E402
from kmslab.actions.shapes import RESPONSES, STRUCTURES  # noqa: E402
from kmslab.actions.spec import BOOLEAN, INTEGER, INTEGER_SIGNED, STRING, STRING_LIST  # noqa: E402
from kmslab.actions.table import ACTIONS  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
from gen_shapes import formatted  # noqa: E402  (one ruff-format step for both generators)

RESPONSES_OUT = ROOT / "kmslab" / "actions" / "responses.py"
STUB_OUT = ROOT / "kmslab" / "core" / "facade.pyi"
SCALARS = {STRING: "str", INTEGER: "int", INTEGER_SIGNED: "int", BOOLEAN: "bool"}


def py_type(wire: str, prefix: str = "") -> str:
    """The Python annotation of a wire type (structures by their TypedDict name)."""
    if wire == STRING_LIST:
        return "list[str]"
    if wire.startswith("Array of "):
        return f"list[{py_type(wire[len('Array of ') :], prefix)}]"
    if wire in SCALARS:
        return SCALARS[wire]
    return f"{prefix}{wire}"


def typed_dict(name: str, required: list[tuple[str, str]], optional: list[tuple[str, str]]):
    """A TypedDict class (with a ``total=False`` part for fields not always present)."""
    lines: list[str] = []
    if optional:
        lines += [f"class _{name}(TypedDict):"]
        lines += [f"    {f}: {t}" for f, t in required] or ["    pass"]
        lines += ["", "", f"class {name}(_{name}, total=False):"]
        lines += [f"    {f}: {t}" for f, t in optional]
    else:
        lines += [f"class {name}(TypedDict):"]
        lines += [f"    {f}: {t}" for f, t in required] or ["    pass"]
    return lines


def render_responses() -> str:
    out = [
        "# GENERATED FILE - DO NOT EDIT BY HAND.",
        "# Regenerate from the repository root with: python tools/gen_typed_api.py",
        '"""Typed shapes of every request structure and every response, from the action table.',
        "",
        "Annotate code that calls kmslab with them (``r: EncryptResponse = kms.Encrypt(...)``);",
        "``kmslab/core/facade.pyi`` gives each action method its response type.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TypedDict",
        "",
    ]
    seen: set[str] = set()
    for name, struct in STRUCTS.items():
        fields = [(p.name, py_type(p.type)) for p in struct.fields]
        out += ["", *typed_dict(name, [], fields), ""]
        seen.add(name)
    for name, fields in STRUCTURES.items():
        if name in seen:
            continue
        out += ["", *typed_dict(name, [], [(f, py_type(t)) for f, t in fields]), ""]
    for action, fields in RESPONSES.items():
        required = [(f, py_type(t)) for f, t, always in fields if always]
        optional = [(f, py_type(t)) for f, t, always in fields if not always]
        required.append(("RequestId", "str"))
        out += ["", *typed_dict(f"{action}Response", required, optional), ""]
    return "\n".join(out).rstrip() + "\n"


def render_stub() -> str:
    out = [
        "# GENERATED FILE - DO NOT EDIT BY HAND.",
        "# Regenerate from the repository root with: python tools/gen_typed_api.py",
        '"""Typed signatures of the Pythonic face: one method per action (see facade.py)."""',
        "",
        "from collections.abc import Callable",
        "from typing import Any",
        "",
        "from kmslab.actions import responses as r",
        "from kmslab.core.service import KMS",
        "",
        "class ActionMethods:",
        "    def call(",
        "        self,",
        "        action: str,",
        "        params: dict[str, Any] | None = None,",
        "        *,",
        "        uin: int | None = None,",
        "        region: str | None = None,",
        "        language: str | None = None,",
        "    ) -> dict[str, Any]: ...",
    ]
    for name, spec in ACTIONS.items():
        args = []
        for p in sorted(spec.params, key=lambda p: not p.required):
            annotation = py_type(p.type, "r.")
            args.append(f"{p.name}: {annotation}" + ("" if p.required else " = ..."))
        sig = ", ".join(["self", "*", *args]) if args else "self"
        out.append(f"    def {name}({sig}) -> r.{name}Response:")
        out.append(f'        """{spec.summary}"""')
        out.append("        ...")
    out += [
        "",
        "class AccountView(ActionMethods):",
        "    kms: KMS",
        "    uin: int",
        "    region: str",
        "    language: str",
        "    def __init__(self, kms: KMS, uin: int, region: str, language: str) -> None: ...",
        "",
        "def give_direct_methods(cls: type, run: Callable[[Any, str, dict], dict]) -> None: ...",
    ]
    return "\n".join(out) + "\n"


def main() -> int:
    RESPONSES_OUT.write_text(formatted(render_responses(), RESPONSES_OUT), encoding="utf-8")
    STUB_OUT.write_text(formatted(render_stub(), STUB_OUT), encoding="utf-8")
    print(f"wrote {RESPONSES_OUT.name} and {STUB_OUT.name}: {len(ACTIONS)} actions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
