"""The layers keep to themselves: the crypto layer raises its own exceptions and never
imports the API's; the core knows nothing of HTTP or widgets; handlers never reach the
service object."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KMSLAB = Path(__file__).resolve().parents[2] / "kmslab"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


@pytest.mark.parametrize("path", sorted((KMSLAB / "crypto").glob("*.py")), ids=lambda p: p.name)
def test_crypto_never_uses_the_api_layer(path):
    assert not {m for m in imports(path) if m.startswith(("kmslab.actions", "kmslab.core"))}
    assert "KMSError" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted((KMSLAB / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_knows_nothing_of_http_or_widgets(path):
    found = imports(path)
    assert not {m for m in found if m.startswith(("kmslab.server", "kmslab.lab"))} - {
        "kmslab.server.runner"  # KMS.serve() and sdk_client() start it lazily, on request
    }
    assert not {m for m in found if m.split(".")[0] in ("ipywidgets", "uvicorn", "pandas")}


HANDLER_MODULES = [
    p
    for p in sorted((KMSLAB / "core").glob("*.py"))
    if "GROUP = ActionGroup(" in p.read_text(encoding="utf-8")
]


@pytest.mark.parametrize("path", HANDLER_MODULES, ids=lambda p: p.name)
def test_handlers_never_reach_the_service(path):
    text = path.read_text(encoding="utf-8")
    assert "ctx.kms" not in text
    assert "kmslab.core.service" not in imports(path)


def test_there_are_group_modules():
    assert len(HANDLER_MODULES) >= 7
