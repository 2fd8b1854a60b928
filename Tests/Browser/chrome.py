"""Chromium driven by Selenium for the browser tests: one headless browser (Debian chromium + chromedriver) and the
helpers the scenarios share (waiting, reading text, signing in, colour scheme and size, console, axe, screenshots)."""

import base64
import os

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from peers import REPOSITORY

SCREENSHOTS = os.path.join(REPOSITORY, "Tests", "Browser", "screenshots")
DESKTOP = (1280, 800)
PHONE = (390, 844)


def start_chromium(base):
    """A headless Chromium at desktop size on the dashboard at `base`; the caller quits `.driver`."""
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"]:
        options.add_argument(flag)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    started = Browser(driver, base)
    started.size(DESKTOP)
    return started


class Browser:
    def __init__(self, driver, base):
        self.driver = driver
        self.base = base

    def open(self, hash_route="#/"):
        self.driver.get(f"{self.base}/{hash_route}")
        self.wait(lambda d: d.execute_script("return document.body.dataset.usable === 'true'"), "the page is usable")

    def route(self, hash_route):
        self.driver.execute_script("location.hash = arguments[0]", hash_route)

    def wait(self, condition, what, seconds=20):
        def guarded(driver):
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, seconds, poll_frequency=0.1).until(guarded, message=f"waiting for {what}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        """The visible text of every match, read in one script (the page re-renders while we read)."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.innerText).join(' ')", css)

    def wait_text(self, css, words, seconds=20):
        return self.wait(lambda d: words in self.text(css), f"“{words}” in {css}", seconds)

    def sign_in(self, token):
        if self.finds("#sign-out"):
            self.find("#sign-out").click()
        box = self.find("#token")
        box.clear()
        box.send_keys(token)
        self.find("#sign-in button[type=submit]").click()

    def scheme(self, dark):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def size(self, width_height):
        width, height = width_height
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def console_problems(self):
        """console.error (SEVERE) and CSP violations since the last call."""
        return [entry["message"] for entry in self.driver.get_log("browser")
                if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]]

    def axe_serious(self):
        axe = Axe(self.driver)
        axe.inject()
        result = axe.run()
        return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    def screenshot(self, name, full_page=False):
        """The viewport, or with `full_page` the whole page (through CDP, beyond the viewport)."""
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, f"{name}.png")
        if not full_page:
            self.driver.save_screenshot(path)
            return path
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path
