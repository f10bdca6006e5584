"""Testing code written for Tencent Cloud KMS offline: the in-process mock of the
official SDK (:func:`mock_kms`) and the pytest fixtures (:mod:`kmslab.testing.pytest_plugin`).

See ``docs/testing.md``.
"""

from kmslab.testing.mock import MockKMS, active, mock_kms

__all__ = ["MockKMS", "active", "mock_kms"]
