"""Every built action's response has every field the spec says is always present, with
its wire type, down into structures and arrays. The expected shapes come from
``kmslab/actions/shapes.py``, generated from the spec; only the sample calls are here,
and a built action without one fails, so a new action cannot skip this check."""

from __future__ import annotations

import base64

import pytest
from action_samples import SAMPLES, make_env

from kmslab import KMS
from kmslab.actions.shapes import RESPONSES, STRUCTURES
from kmslab.core.assembly import built_actions

PLAIN = base64.b64encode(b"shape").decode()
SCALARS = {"String": str, "Integer": int, "Boolean": bool}


def check(value, wire: str, where: str) -> None:
    """Assert ``value`` has wire type ``wire`` (structures: every field present and typed)."""
    if wire.startswith("Array of "):
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for i, item in enumerate(value):
            check(item, wire[len("Array of ") :], f"{where}[{i}]")
    elif wire in SCALARS:
        assert isinstance(value, SCALARS[wire]), f"{where}: {value!r} is not a {wire}"
        if wire == "Integer":
            assert not isinstance(value, bool), f"{where}: a Boolean where an Integer belongs"
    else:
        assert isinstance(value, dict), f"{where}: {value!r} is not a {wire} object"
        for field, field_type in STRUCTURES[wire]:
            assert field in value, f"{where}.{field} is missing"
            check(value[field], field_type, f"{where}.{field}")


@pytest.fixture(scope="module")
def env():
    return make_env(KMS(seed=51))  # ap-guangzhou: the SM profile, every built usage works


def test_every_built_action_has_a_sample_call():
    assert sorted(built_actions()) == sorted(SAMPLES)


@pytest.mark.parametrize("action", list(SAMPLES))
def test_response_has_every_always_present_field_with_its_type(env, action):
    response = env["kms"].call(action, SAMPLES[action](env))
    assert isinstance(response.pop("RequestId"), str)
    expected = {field: (wire, always) for field, wire, always in RESPONSES[action]}
    assert set(response) <= set(expected), f"fields the spec does not name: {response}"
    for field, (wire, always) in expected.items():
        if always:
            assert field in response, f"{action}.{field} is missing"
        if field in response:
            check(response[field], wire, f"{action}.{field}")
