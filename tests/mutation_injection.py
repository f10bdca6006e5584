"""The all-or-nothing check every resource kind's tests share: run a scenario again and
again, injecting an exception after mutation step 1, 2, 3 ... (each attribute set on a
resource, each resource marked changed, added or removed), and require the whole state
to be unchanged after every failed run, in memory and, for SQLite, on disk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kmslab import KMS, KMSError
from kmslab.core.unit_of_work import UnitOfWork


class Injected(Exception):
    """The simulated failure."""


class Injector:
    """Counts mutation steps on ``classes`` and the unit of work; raises after step ``at``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int, classes: tuple[type, ...]):
        self.at = at
        self.steps = 0
        for cls in classes:

            def setattr_hook(obj, name, value, _original=cls.__setattr__):
                _original(obj, name, value)
                self.step()

            monkeypatch.setattr(cls, "__setattr__", setattr_hook)
        for method in ("touch", "add", "remove"):
            original = getattr(UnitOfWork, method)

            def wrapped(uow, *args, _original=original, **kwargs):
                _original(uow, *args, **kwargs)
                self.step()

            monkeypatch.setattr(UnitOfWork, method, wrapped)

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.at:
            raise Injected(f"after mutation step {self.at}")


def check_all_or_nothing(
    monkeypatch: pytest.MonkeyPatch,
    kms: KMS,
    scenario: Callable[[], Any],
    classes: tuple[type, ...],
    reopen: Callable[[], KMS] | None = None,
) -> None:
    """Fail the test unless every injected failure of ``scenario`` changed nothing, and the
    uninjected run did change something (and, with ``reopen``, persisted it)."""
    before = kms.inspect.state()
    failures = 0
    for at in range(1, 400):
        with monkeypatch.context() as patch:
            Injector(patch, at, classes)
            try:
                scenario()
            except (KMSError, Injected) as exc:
                assert isinstance(exc, Injected) or exc.code == "InternalError", exc
                failures += 1
            else:
                break  # the call finished before step ``at``: every step has been tried
        assert kms.inspect.state() == before, f"step {at} left a change behind"
    assert failures >= 2, "the scenario must have mutation steps to inject into"
    after = kms.inspect.state()
    assert after != before  # the last run, with no injection hit, applied
    if reopen is not None:
        kms.close()
        reopened = reopen()
        assert reopened.inspect.state()["resources"] == after["resources"]
        reopened.close()
