"""The pytest plugin's fixtures: ``kms`` is fresh and seeded, ``kms_mock`` answers the SDK
in process with credentials in the environment, ``kms_endpoint`` serves over HTTP; the
environment is restored after each test."""

from __future__ import annotations

import os

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.kms.v20190118 import models
from tencentcloud.kms.v20190118.kms_client import KmsClient

import kmslab
from kmslab.testing import active
from kmslab.testing.pytest_plugin import KMS_SEED

pytest_plugins = ["pytester"]


_PLUGIN_CONFTEST = """
def pytest_configure(config):
    if not config.pluginmanager.has_plugin("kmslab"):
        from kmslab.testing import pytest_plugin

        config.pluginmanager.register(pytest_plugin, "kmslab")
"""


def test_kms_is_fresh_and_seeded(kms):
    assert kms.deterministic and kms.ListKeys()["TotalCount"] == 0
    twin = kmslab.KMS(seed=KMS_SEED)
    twin.ListKeys()  # the same calls draw the same random numbers
    assert kms.CreateKey(Alias="a")["KeyId"] == twin.CreateKey(Alias="a")["KeyId"]


def test_kms_mock_answers_a_client_built_from_the_environment(kms_mock):
    assert active() is not None and active().kms is kms_mock
    cred = credential.EnvironmentVariableCredential().get_credential()
    c = KmsClient(cred, os.environ["TENCENTCLOUD_REGION"])
    key_id = c.CreateKey(_create("env")).KeyId
    assert kms_mock.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "env"


def test_kms_endpoint_serves_over_http(kms_endpoint, kms):
    assert active() is None  # a real endpoint, not the mock
    http = HttpProfile(protocol="http", endpoint=os.environ["KMSLAB_ENDPOINT"])
    cred = credential.Credential(
        os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]
    )
    c = KmsClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http))
    key_id = c.CreateKey(_create("served")).KeyId
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "served"
    assert os.environ["KMSLAB_URL"] == kms_endpoint.url


def _create(alias: str) -> models.CreateKeyRequest:
    r = models.CreateKeyRequest()
    r.Alias = alias
    return r


def test_fixtures_restore_the_environment_and_the_sdk(pytester):
    """Run a small suite under the plugin; afterwards nothing it set remains."""
    pytester.makeconftest(_PLUGIN_CONFTEST)
    pytester.makepyfile(
        """
        import os
        from tencentcloud.kms.v20190118.kms_client import KmsClient

        def test_mock(kms_mock):
            assert "request" in vars(KmsClient)
            assert os.environ["TENCENTCLOUD_SECRET_ID"].startswith("AKID")

        def test_endpoint(kms_endpoint):
            assert os.environ["KMSLAB_ENDPOINT"] == kms_endpoint.endpoint

        def test_after():
            assert "request" not in vars(KmsClient)
            assert "KMSLAB_ENDPOINT" not in os.environ
        """
    )
    before = {k: os.environ.get(k) for k in ("TENCENTCLOUD_SECRET_ID", "KMSLAB_ENDPOINT")}
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:nbval", "-q")
    result.assert_outcomes(passed=3)
    assert {k: os.environ.get(k) for k in before} == before


def test_the_testing_guide_examples_pass(pytester):
    """Every Python block of docs/testing.md, as one test module under the plugin."""
    import re
    from pathlib import Path

    guide = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
    blocks = re.findall(r"```python\n(.*?)```", guide.read_text(), re.S)
    tests = sum(len(re.findall(r"^def test_", b, re.M)) for b in blocks)
    assert tests >= 6
    pytester.makeconftest(_PLUGIN_CONFTEST)
    pytester.makepyfile(test_guide="\n\n".join(blocks))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:nbval", "-q")
    result.assert_outcomes(passed=tests)
