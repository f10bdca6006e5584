"""A real browser: JupyterLab in headless Chromium runs a notebook whose lifecycle panel
must render and react to a click (disabling a key changes its badge).

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install -y chromium
chromium-driver``) and ``selenium``; skipped with the reason when they are absent.
The screenshot is kept in ``test-artifacts/lifecycle-panel.png``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from jupyterlab_server import jupyterlab

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="needs Debian chromium + chromium-driver: apt-get install -y chromium chromium-driver",
)

CELLS = [
    "import warnings\nimport kmslab\nwarnings.simplefilter('ignore')\nkms = kmslab.KMS(seed=1)\n"
    "kms.CreateKey(Alias='browser-demo')['KeyId']",
    "from kmslab.lab.widgets import LifecyclePanel\npanel = LifecyclePanel(kms)\npanel",
]


RUN_ALL = "//div[contains(@class,'lm-Menu-itemLabel') and text()='Run All Cells']"


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a temporary notebook."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    root = tmp_path / "notebooks"
    root.mkdir()
    nbformat.write(book, root / "demo.ipynb")
    with jupyterlab(root, tmp_path) as url:
        yield url


def test_lifecycle_panel_in_jupyterlab(lab):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        wait = WebDriverWait(driver, 40)
        driver.get(f"{lab}/lab/tree/demo.ipynb")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook")))
        # Wait for the kernel, then Run > Run All Cells.
        wait.until(
            ec.presence_of_element_located(
                (By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']")
            )
        )
        # Run > Run All Cells. On a cold start the kernel can report idle before the
        # notebook accepts work, and the request is lost; so try again until it runs.
        for attempt in range(4):
            # A cold JupyterLab may ask which kernel to start; take the preferred one.
            for button in driver.find_elements(
                By.XPATH, "//div[contains(@class,'jp-Dialog')]//button[normalize-space()='Select']"
            ):
                button.click()
            wait.until(
                ec.element_to_be_clickable(
                    (By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']")
                )
            ).click()
            wait.until(ec.element_to_be_clickable((By.XPATH, RUN_ALL))).click()
            try:
                WebDriverWait(driver, 20).until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, ".kmslab-state-Enabled"))
                )
                break
            except TimeoutException:
                if attempt == 3:
                    raise
        assert "browser-demo" in driver.find_element(By.CSS_SELECTOR, ".kmslab-lifecycle").text
        driver.find_element(By.XPATH, "//button[normalize-space()='Disable']").click()
        badge = wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, ".kmslab-state-Disabled"))
        )
        assert badge.text == "Disabled"
        assert "DisableKey ok" in driver.find_element(By.CSS_SELECTOR, ".kmslab-lifecycle").text
        driver.save_screenshot(str(ARTIFACTS / "lifecycle-panel.png"))
    except Exception:
        driver.save_screenshot(str(ARTIFACTS / "lifecycle-panel-failure.png"))
        raise
    finally:
        driver.quit()
