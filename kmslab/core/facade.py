"""The Pythonic face: one method per action, named exactly like the action.

``kms.Encrypt(KeyId=..., Plaintext=...)`` is ``kms.call("Encrypt", {...})``. The
methods are made from the action table so that they can never drift from it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kmslab.actions.table import ACTIONS

if TYPE_CHECKING:
    from kmslab.core.service import KMS


class ActionMethods(ABC):
    """Mixin giving every action of the table as a method that forwards to ``call``."""

    @abstractmethod
    def call(self, action: str, params: dict | None = None, **caller: Any) -> dict:
        """Run ``action``; KMS and AccountView say as whom."""


def _make_method(name: str):
    spec = ACTIONS[name]

    def method(self: ActionMethods, **params: Any) -> dict:
        return self.call(name, params)

    method.__name__ = method.__qualname__ = name
    lines = [spec.summary, "", "Parameters (wire names):"]
    for p in spec.params:
        lines.append(f"    {p.name} ({p.type}{', required' if p.required else ''}): {p.doc}")
    lines += ["", f"Returns: {', '.join(spec.response + ('RequestId',))}."]
    if spec.qps:
        lines.append(f"Documented limit: {spec.qps} requests per second.")
    method.__doc__ = "\n".join(lines)
    return method


for _name in ACTIONS:
    setattr(ActionMethods, _name, _make_method(_name))


def give_direct_methods(cls: type, run: Callable[[Any, str, dict], dict]) -> None:
    """Replace ``cls``'s action methods with ones that call ``run(self, name, params)``
    straight away: the service's own methods skip the ``call`` frame on the hot path,
    with the same names and documentation."""

    def make(name: str):
        def method(self: Any, **params: Any) -> dict:
            return run(self, name, params)

        original = getattr(ActionMethods, name)
        method.__name__ = method.__qualname__ = name
        method.__doc__ = original.__doc__
        return method

    for name in ACTIONS:
        setattr(cls, name, make(name))


class AccountView(ActionMethods):
    """The service as one account in one region sees it; made by ``KMS.as_account``."""

    def __init__(self, kms: KMS, uin: int, region: str, language: str) -> None:
        self.kms = kms
        self.uin = uin
        self.region = region
        self.language = language

    def call(self, action: str, params: dict | None = None, **caller: Any) -> dict:
        caller.setdefault("uin", self.uin)
        caller.setdefault("region", self.region)
        caller.setdefault("language", self.language)
        return self.kms.call(action, params, **caller)

    def __repr__(self) -> str:
        return f"<KMS account {self.uin} in {self.region}>"
