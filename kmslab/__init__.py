"""kmslab: the whole Tencent Cloud KMS as a local, simulated service with real cryptography.

Start with ``kms = kmslab.KMS()`` (or ``KMS(seed=1)`` for reproducible notebooks) and
call actions by their names: ``kms.CreateKey(Alias="demo")``.

A seeded service warns (:class:`InsecureDeterministicModeWarning`) on every creation. A
notebook that is deterministic on purpose silences it in one line:
``warnings.simplefilter("ignore", kmslab.InsecureDeterministicModeWarning)``.
"""

from kmslab.actions.errors import KMSError
from kmslab.core.clock import Clock, VirtualClock
from kmslab.core.service import KMS, ApiKey
from kmslab.crypto.randomness import InsecureDeterministicModeWarning


def mock_kms(*args, **kwargs):
    """Answer every official ``tencentcloud`` ``KmsClient`` in the process with a kmslab
    service, in process and without sockets (see :func:`kmslab.testing.mock_kms`)."""
    from kmslab.testing.mock import mock_kms as _mock_kms

    return _mock_kms(*args, **kwargs)


__all__ = [
    "KMS",
    "ApiKey",
    "Clock",
    "InsecureDeterministicModeWarning",
    "KMSError",
    "VirtualClock",
    "mock_kms",
]
__version__ = "0.1.0"
