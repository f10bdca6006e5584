"""The tutorial notebooks in a real browser: JupyterLab in headless Chromium runs notebooks
01, 03, 04, 07 and 10 (the key console and the API explorer), clicks every button of
their panels at least once and checks what each click visibly changed.

Needs Debian's ``chromium`` and ``chromium-driver`` (``tools/install-browser.sh``) and
``selenium``; skipped with the reason when they are absent. Screenshots of every
notebook (and of any failure) are kept in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from jupyterlab_server import jupyterlab

from kmslab.launcher import sync_notebooks

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="needs Debian chromium + chromium-driver: bash tools/install-browser.sh",
)

from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
RUN_MENU = "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']"
RUN_ALL = "//div[contains(@class,'lm-Menu-itemLabel') and text()='Run All Cells']"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the tutorial notebooks."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "notebooks"
    sync_notebooks(root, NOTEBOOKS)
    with jupyterlab(root, tmp, pythonpath=str(NOTEBOOKS.parent)) as url:
        yield url


@pytest.fixture(scope="module")
def driver():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1500,1100")
    chrome = webdriver.Chrome(service=Service(DRIVER), options=options)
    ARTIFACTS.mkdir(exist_ok=True)
    yield chrome
    chrome.quit()


class Page:
    """One notebook open in JupyterLab: run it, then act on its panels."""

    def __init__(self, driver, lab: str, name: str) -> None:
        self.driver, self.name = driver, name
        self.wait = WebDriverWait(driver, 60)
        driver.get(f"{lab}/lab/tree/{name}.ipynb?reset")
        self.wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"{PANEL} .jp-Notebook")))

    def run_all(self, ready: str) -> None:
        """Run > Run All Cells until ``ready`` (a CSS selector) shows; a cold kernel can
        drop the first request, and may ask which kernel to start."""
        self.wait.until(
            ec.presence_of_element_located(
                (By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']")
            )
        )
        for attempt in range(4):
            for b in self.driver.find_elements(
                By.XPATH, "//div[contains(@class,'jp-Dialog')]//button[normalize-space()='Select']"
            ):
                b.click()
            self.wait.until(ec.element_to_be_clickable((By.XPATH, RUN_MENU))).click()
            self.wait.until(ec.element_to_be_clickable((By.XPATH, RUN_ALL))).click()
            try:
                WebDriverWait(self.driver, 90).until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, f"{PANEL} {ready}"))
                )
                return
            except TimeoutException:
                if attempt == 3:
                    raise

    def panel(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, f"{PANEL} {css}")

    def click(self, css: str, label: str, scope: str = ""):
        """Click the button labelled ``label`` in the panel ``css`` (optionally inside the
        first element matching the XPath ``scope`` there), scrolled into view; returns it."""
        path = f"{scope}//button[normalize-space()='{label}']"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                b = self.panel(css).find_element(By.XPATH, "." + path)
                self.driver.execute_script("arguments[0].scrollIntoView({block:'center'})", b)
                b.click()
                return b
            except (StaleElementReferenceException, NoSuchElementException):
                time.sleep(0.3)  # a redraw is replacing it: find it again
        raise AssertionError(f"could not click {label!r} in {css}")

    def click_text(self, css: str, text: str) -> None:
        """Click the element whose own text is ``text`` (an accordion title, say)."""
        node = self.panel(css).find_element(By.XPATH, f".//*[normalize-space(text())='{text}']")
        self.driver.execute_script("arguments[0].scrollIntoView({block:'center'})", node)
        node.click()

    def shows(self, css: str, text: str, timeout: float = 30) -> None:
        """Wait until the panel ``css`` visibly contains ``text``."""

        def seen(_driver) -> bool:
            try:
                return text in self.panel(css).text
            except StaleElementReferenceException:
                return False

        try:
            WebDriverWait(self.driver, timeout).until(seen)
        except TimeoutException:
            raise AssertionError(f"{text!r} never appeared in {css}") from None

    def type(self, css: str, xpath: str, text: str) -> None:
        field = self.panel(css).find_element(By.XPATH, xpath)
        field.clear()
        field.send_keys(text)

    def select(self, css: str, index: int, option: str) -> None:
        Select(self.panel(css).find_elements(By.TAG_NAME, "select")[index]).select_by_visible_text(
            option
        )

    def screenshot(self, suffix: str = "") -> None:
        self.driver.save_screenshot(str(ARTIFACTS / f"{self.name}{suffix}.png"))


def _page(driver, lab, name, ready):
    page = Page(driver, lab, name)
    try:
        page.run_all(ready)
    except Exception:
        page.screenshot("-failure")
        raise
    return page


def _checked(page: Page, steps) -> None:
    try:
        steps()
    except Exception:
        page.screenshot("-failure")
        raise
    page.screenshot()


def test_01_encryption_playground(driver, lab):
    page = _page(driver, lab, "01-quick-start", ".kmslab-playground")
    css = ".kmslab-playground"

    def steps():
        page.click(css, "Refresh keys")
        page.click(css, "Encrypt")
        page.shows(css, "Encrypt ok")
        page.shows(css, "1 header")  # the anatomy of the new blob
        page.click(css, "Decrypt")
        page.shows(css, "Decrypt ok")
        page.shows(css, "Decrypted with key")

    _checked(page, steps)


def test_03_lifecycle_panel_and_clock(driver, lab):
    page = _page(driver, lab, "03-key-lifecycle", ".kmslab-lifecycle")
    css = ".kmslab-lifecycle"

    def steps():
        page.type(css, ".//input[@placeholder='alias of a new key']", "browser-key")
        page.click(css, "Create key")
        page.shows(css, "browser-key")
        for label, expected in [
            ("Enable rotation", "every 365 days"),
            ("Rotate now", "RotateKey ok"),
            ("Archive", "ArchiveKey ok"),
            ("Cancel archive", "CancelKeyArchive ok"),
            ("Disable", "DisableKey ok"),
            ("Schedule deletion", "ScheduleKeyDeletion ok"),
            ("Cancel deletion", "CancelKeyDeletion ok"),
            ("Enable", "EnableKey ok"),
        ]:
            page.click(css, label)
            page.shows(css, expected)
        page.click(css, "Refresh")
        page.shows(css, "browser-key")
        page.click(".kmslab-clock", "Advance")
        page.shows(".kmslab-clock", "advanced 1 day(s)")

    _checked(page, steps)


def test_04_asymmetric_panel(driver, lab):
    page = _page(driver, lab, "04-asymmetric-keys", ".kmslab-asymmetric")
    css = ".kmslab-asymmetric"

    def steps():
        page.shows(css, "SM2 backend")
        page.click(css, "Create key")
        page.shows(css, "BEGIN PUBLIC KEY")
        page.click(css, "Sign")
        page.shows(css, "signature: 256 bytes")
        page.click(css, "Verify")
        page.shows(css, "SignatureValid: True")
        page.select(css, 0, "ASYMMETRIC_DECRYPT_RSA_2048")
        page.click(css, "Create key")
        page.click(css, "Refresh")
        page.click(css, "Encrypt to public key, then Decrypt")
        page.shows(css, "decrypted by AsymmetricRsaDecrypt")
        page.shows(css, "hello, kmslab")

    _checked(page, steps)


def test_07_qps_panel(driver, lab):
    page = _page(driver, lab, "07-qps-and-performance", ".kmslab-qps-panel")
    css = ".kmslab-qps-panel"

    def steps():
        images = page.panel(css).find_elements(By.TAG_NAME, "img")
        assert all(not i.is_displayed() for i in images)  # no broken image before a run
        page.click(css, "Run experiment")
        page.shows(css, "throttled", timeout=90)
        page.shows(css, "achieved_qps")

        def plotted(d) -> bool:  # the front end decodes the PNG after the status line is drawn
            try:
                img = page.panel(css).find_element(By.TAG_NAME, "img")
                return (
                    img.is_displayed()
                    and d.execute_script("return arguments[0].naturalWidth", img) > 100
                )
            except StaleElementReferenceException:
                return False

        WebDriverWait(driver, 30).until(plotted)

    _checked(page, steps)


def test_10_key_console_and_api_explorer(driver, lab):
    page = _page(driver, lab, "13-key-console-and-api-explorer", ".kmslab-explorer")
    css = ".kmslab-console"
    web = "//div[contains(@class,'kmslab-console-row')][.//button[normalize-space()='web-app']]"
    signer = "//div[contains(@class,'kmslab-console-row')][.//button[normalize-space()='signer']]"

    def steps():
        page.shows(css, "web-app")
        bound = page.panel(css).find_element(
            By.XPATH, f".{web}//button[normalize-space()='Disable']"
        )
        assert not bound.is_enabled() and "UnbindCloudResource" in bound.get_attribute("title")
        for row, label, status in [
            (web, "Rotation off", "DisableKeyRotation ok"),
            (web, "Rotation on", "EnableKeyRotation ok"),
            (web, "Rotate now", "RotateKey ok"),
            (signer, "Disable", "DisableKey ok"),
            (signer, "Enable", "EnableKey ok"),
            (signer, "Archive", "ArchiveKey ok"),
            (signer, "Unarchive", "CancelKeyArchive ok"),
            (signer, "Disable", "DisableKey ok"),
            (signer, "Delete…", "ScheduleKeyDeletion ok"),
            (signer, "Cancel deletion", "CancelKeyDeletion ok"),
        ]:
            clicked = page.click(css, label, scope=row)
            page.shows(css, status)
            # the console then redraws its rows: wait until the clicked one is replaced
            WebDriverWait(driver, 30).until(ec.staleness_of(clicked))
        WebDriverWait(driver, 30).until(
            lambda _: "Disabled" in page.panel(css).find_element(By.XPATH, "." + signer).text
        )
        page.click(css, "web-app", scope=web)  # the details
        page.shows(css, "fingerprint")
        page.shows(css, "cos:bucket-1")
        page.click(css, "Refresh")
        page.click(css, "data keys")
        page.shows(css, "orders")  # the hosted data key the notebook made, and its page
        page.shows(css, "DataKeyId")
        page.click(css, "white-box keys")
        page.shows(css, "phone-app")
        page.click(css, "CMKs")
        page.shows(css, "signer")
        assert page.panel(css).find_elements(By.XPATH, "." + signer)  # the rows are back
        explorer = ".kmslab-explorer"
        page.select(explorer, 0, "GenerateRandom")
        page.type(explorer, ".//input[contains(@placeholder,'Integer')]", "16")
        page.click(explorer, "Call")
        page.shows(explorer, "GenerateRandom ok")
        page.shows(explorer, "Plaintext")
        page.click_text(explorer, "Signed HTTP request (official SDK, TC3)")
        page.shows(explorer, "X-TC-Action: GenerateRandom")
        page.shows(explorer, "Authorization: TC3-HMAC-SHA256")

    _checked(page, steps)
