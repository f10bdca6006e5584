"""Loads kmslab's pytest plugin from this tree when the installed kmslab does not
register its ``pytest11`` entry point (an editable install made from another tree)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register ``kmslab.testing.pytest_plugin`` once, under the entry point's name."""
    if not config.pluginmanager.has_plugin("kmslab"):
        from kmslab.testing import pytest_plugin

        config.pluginmanager.register(pytest_plugin, "kmslab")
