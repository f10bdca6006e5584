"""The notebook face of kmslab: pandas views, matplotlib plots and ipywidgets panels.

Everything here goes through the public service API (``kms.call`` and the action
methods, the call records, the clock events), so what a notebook shows is what any
client of the service would see. No view or panel ever shows key material.
"""

from kmslab.lab.anatomy import blob_anatomy
from kmslab.lab.comparison import plot_pqc_compare, pqc_compare
from kmslab.lab.experiment import run_qps_experiment
from kmslab.lab.views import (
    call_records,
    data_key_table,
    key_table,
    key_versions,
    lifecycle,
    qps_latency,
    whitebox_key_table,
)

__all__ = [
    "blob_anatomy",
    "call_records",
    "data_key_table",
    "key_table",
    "key_versions",
    "lifecycle",
    "plot_pqc_compare",
    "pqc_compare",
    "qps_latency",
    "run_qps_experiment",
    "whitebox_key_table",
]
