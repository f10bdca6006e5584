"""Imports every action module so that each registers its handlers, usages and jobs.

Add a new group of actions by writing its module and naming it here.
"""

from kmslab.core import (  # noqa: F401
    asymmetric,
    byok,
    keys,
    lifecycle,
    pqc,
    service_info,
    symmetric,
)
