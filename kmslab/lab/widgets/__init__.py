"""ipywidgets panels over the service: key console, API explorer, lifecycle (CMKs and
hosted data keys), clock, encryption, asymmetric, QPS, white-box keys.

Every button goes through the service's public calls, so a refused action shows the
same documented code and message any client would get. Panels are plain objects with
their widgets as attributes (``panel.buttons["disable"].click()``), so tests can drive
them headlessly.
"""

from kmslab.lab.widgets.asymmetric import AsymmetricPanel
from kmslab.lab.widgets.clock import ClockControl
from kmslab.lab.widgets.console import KeyConsole
from kmslab.lab.widgets.datakeys import DataKeyPanel
from kmslab.lab.widgets.explorer import ApiExplorer
from kmslab.lab.widgets.lifecycle import LifecyclePanel
from kmslab.lab.widgets.playground import EncryptionPlayground
from kmslab.lab.widgets.qps import QpsPanel
from kmslab.lab.widgets.whitebox import WhiteBoxPanel

__all__ = [
    "ApiExplorer",
    "AsymmetricPanel",
    "ClockControl",
    "DataKeyPanel",
    "EncryptionPlayground",
    "KeyConsole",
    "LifecyclePanel",
    "QpsPanel",
    "WhiteBoxPanel",
]
