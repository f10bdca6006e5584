"""Every message template in both languages (issue 9, item 9): zh-CN messages are
Chinese apart from identifiers and values, English ones carry no Chinese.

The error catalogue is walked as data. The endpoint's own messages (decoder, signature
checks, HTTP parser, the ciphertext and public-key parsers it reaches first) are walked
in the source: every call that builds an error names an English and a Chinese template.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
import requests
from wire_helpers import answer, tc3_headers

import kmslab.server
from kmslab.actions.error_catalogue import CATALOGUE
from kmslab.core import returned_plaintext
from kmslab.crypto import public_wrap

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_/.][A-Za-z0-9]+)*")
PLAIN = re.compile(r"[A-Z]?[a-z]{1,}[a-z]")
"""A word that looks like English prose: letters only, capitalised at most."""
IDENTIFIERS = {
    # header, parameter and type names, protocol words the Chinese text names as is
    "Authorization",
    "Token",
    "Type",
    "Nonce",
    "Signature",
    "Timestamp",
    "Region",
    "Action",
    "Version",
    "String",
    "Integer",
    "Boolean",
    "Field",
    "Name",
    "multipart",
    "kms",
    "kmslab",
    "true",
    "false",
    "host",
    "Unix",
    "Credential",
    # legacy API 2.0 parameter names (lowerCamelCase; the one-word ones read as prose)
    "alias",
    "type",
}


def _english_words(zh: str) -> list[str]:
    """Words of ``zh`` that read as English prose rather than identifiers or values."""
    return [w for w in WORD.findall(zh) if PLAIN.fullmatch(w) and w not in IDENTIFIERS]


def test_the_walk_catches_half_english():
    assert _english_words("签名错误：the credential scope names service 'x'") == [
        "the",
        "credential",
        "scope",
        "names",
        "service",
    ]
    assert _english_words("参数错误：Content-Type application/json 与 SecretId 无效") == []


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_catalogue_messages(code):
    en, zh = CATALOGUE[code]
    assert en and zh
    assert not CJK.search(en), en
    assert CJK.search(zh), zh
    assert not _english_words(zh), zh


# -- the endpoint's messages, from the source --------------------------------------------

SOURCES = [
    *sorted(Path(kmslab.server.__file__).parent.glob("*.py")),
    Path(inspect.getfile(public_wrap)),
    Path(inspect.getfile(returned_plaintext)),
]
BUILDERS = {
    "KMSError",
    "_err",
    "_fail",
    "_bad",
    "_bad_key",
    "signature_failure",
    "_signature_failure",
}


def _text(node: ast.AST) -> str | None:
    """The literal text of a str constant or f-string (placeholders as ``{}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    return None


class _Walker(ast.NodeVisitor):
    """Collects ``(where, english, chinese)`` argument nodes of every error built."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.params: list[set[str]] = [set()]
        self.found: list[tuple[str, ast.AST | None, ast.AST | None]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.params.append({a.arg for a in node.args.args + node.args.kwonlyargs})
        self.generic_visit(node)
        self.params.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, call: ast.Call) -> None:
        self.generic_visit(call)
        name = getattr(call.func, "id", getattr(call.func, "attr", ""))
        if name not in BUILDERS:
            return
        if name == "KMSError":
            en = call.args[1] if len(call.args) > 1 else None
            zh = next((k.value for k in call.keywords if k.arg == "detail_zh"), None)
            if en is None and zh is None:
                return  # the catalogue message alone
        elif len(call.args) >= 2:
            en, zh = call.args[-2], call.args[-1]
        else:
            en, zh = (call.args or [None])[0], None
        forwarded = self.params[-1]
        if all(isinstance(a, ast.Name) and a.id in forwarded for a in (en, zh)):
            return  # a helper passing its own parameters on
        self.found.append((f"{self.name}:{call.lineno}", en, zh))


def _templates():
    """Every error built in the endpoint's modules, with its two templates."""
    out = []
    for path in SOURCES:
        walker = _Walker(path.name)
        walker.visit(ast.parse(path.read_text()))
        out.extend(walker.found)
    return out


TEMPLATES = _templates()


def test_the_source_walk_finds_the_endpoint_messages():
    assert len(TEMPLATES) > 60


@pytest.mark.parametrize(("where", "en", "zh"), TEMPLATES, ids=[w for w, *_ in TEMPLATES])
def test_endpoint_message(where, en, zh):
    en, zh = _text(en) if en is not None else None, _text(zh) if zh is not None else None
    if en is not None:
        assert not CJK.search(en), f"{where}: {en}"
        assert zh is not None, f"{where}: the English template {en!r} has no Chinese one"
    if zh is None:
        return  # both computed: checked where they are built
    assert CJK.search(zh), f"{where}: {zh}"
    assert not _english_words(zh), f"{where}: {zh}"


# -- and as answered ---------------------------------------------------------------------


def _zh_message(http_endpoint, key, body: bytes, **extra) -> str:
    headers = tc3_headers(key, http_endpoint.endpoint, "GetRegions", body, **extra)
    headers["X-TC-Language"] = "zh-CN"
    return answer(requests.post(http_endpoint.url, data=body, headers=headers))["Error"]["Message"]


@pytest.mark.parametrize(
    ("body", "extra", "fragment"),
    [
        (b"{", {}, "请求体不是合法的 JSON"),
        (b"{}", {"service": "cvm"}, "凭证范围中的服务名为 'cvm'"),
        (b'{"Limit": ' + b"1" * 5000 + b"}", {}, "位数过多"),
    ],
    ids=["json", "scope", "digits"],
)
def test_answered_zh_messages_are_chinese(http_endpoint, wire_kms, body, extra, fragment):
    message = _zh_message(http_endpoint, wire_kms.api_keys()[0], body, **extra)
    assert fragment in message
    assert not _english_words(re.sub(r"'[^']*'", "", message)), message  # values aside
