"""The typed Python API: generated from the action table, shipped with ``py.typed``, and
checked by mypy, which must pass over ``kmslab/`` and catch a misspelt parameter."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_typed_api", ROOT / "tools/gen_typed_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("which", ["responses", "stub"])
def test_generated_typed_api_is_up_to_date(which):
    gen = _generator()
    if which == "responses":
        path, text = gen.RESPONSES_OUT, gen.render_responses()
    else:
        path, text = gen.STUB_OUT, gen.render_stub()
    assert path.read_text(encoding="utf-8") == gen.formatted(text, path), (
        "run python tools/gen_typed_api.py"
    )


def test_package_is_marked_typed():
    assert (ROOT / "kmslab" / "py.typed").exists()
    assert "py.typed" in (ROOT / "pyproject.toml").read_text()


SNIPPET = textwrap.dedent(
    """
    import kmslab

    kms = kmslab.KMS(seed=1)
    key = kms.CreateKey(Alias="demo")
    kms.Encrypt(KeyID=key["KeyId"], Plaintext="aGk=")
    blob: str = kms.Encrypt(KeyId=key["KeyId"], Plaintext="aGk=")["CiphertextBlob"]
    size: int = kms.Decrypt(CiphertextBlob=blob)["Plaintext"]
    kms.ListKeys(Limit="10")
    fine: bool = kms.VerifyByAsymmetricKey(
        KeyId=key["KeyId"], SignatureValue="", Message="", Algorithm="SM2DSA"
    )["SignatureValid"]
    """
)


def test_mypy_passes_over_kmslab_and_reports_misuse(tmp_path):
    snippet = tmp_path / "uses_kmslab.py"
    snippet.write_text(SNIPPET)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "kmslab", str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    # mypy's cache may name the snippet by an earlier run's folder: match the file name
    mine = [line for line in errors if Path(line.split(":")[0]).name == snippet.name]
    in_kmslab = [line for line in errors if line not in mine]
    assert in_kmslab == [], "\n".join(in_kmslab)
    in_snippet = {int(line.split(":")[1]): line for line in mine}
    assert sorted(in_snippet) == [6, 8, 9], done.stdout
    assert 'Unexpected keyword argument "KeyID"' in in_snippet[6]
    assert 'did you mean "KeyId"' in in_snippet[6]
    assert "variable has type" in in_snippet[8]  # Plaintext is a str
    assert '"Limit"' in in_snippet[9]  # Limit is an int
