"""The web page in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium),
against a real server process, with every non-loopback request sent to a dead proxy: it must work
offline. Screenshots go to build/ui-test/ (ignored by git), kept as test artifacts.

`make browser` (run by `make test`) installs the two Debian packages when they are missing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import Server, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "ui-test"
WAIT_S = 120


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if shutil.which(p) is None]
    assert not missing, (
        f"{missing} not installed: run `make browser` (Debian packages chromium, chromium-driver)"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tensorseed-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
            "--window-size=1400,1000",
            # Offline: anything not on loopback goes to a proxy that does not exist.
            "--proxy-server=http://127.0.0.1:9",
        ):  # fmt: skip
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def wait(driver: WebDriver, condition: object, message: str) -> object:
    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(d), message)  # type: ignore[operator]


def shot(driver: WebDriver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_the_page_runs_a_recipe_offline(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.url}/ui")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preset option")) > 1, "presets not loaded")
    browser.find_element(By.ID, "run-stats").click()
    rows = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-table tbody tr"), "no table rows")
    names = [r.find_element(By.CSS_SELECTOR, "td").text for r in rows]  # type: ignore[attr-defined]
    assert sorted(names) == ["conv1.bias", "conv1.weight", "fc1.bias", "fc1.weight", "scale"]
    counts = [
        int(b.get_attribute("data-count"))
        for b in browser.find_elements(By.CSS_SELECTOR, "#histogram rect.bar")
    ]
    assert len(counts) == 32 and sum(counts) > 0  # the histogram of the first tensor, with data
    dots = browser.find_elements(By.CSS_SELECTOR, "#std-chart circle.observed")
    assert len(dots) >= 4 and all(float(d.get_attribute("data-value")) > 0 for d in dots)
    shot(browser, "statistics")

    # Every resource the page used came from the server itself.
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
    )
    assert {urlparse(u).netloc for u in origins} == {urlparse(server.url).netloc}
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_validation_errors_appear_next_to_the_field(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.url}/ui")
    recipe = {"seed": 1, "layers": [{"name": "fc", "type": "linear", "in_features": 0, "out_features": 3}]}
    editor = browser.find_element(By.ID, "recipe")
    browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                           editor, json.dumps(recipe, indent=2))  # fmt: skip
    browser.find_element(By.ID, "run-stats").click()
    error = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-error"), "no field error")[0]  # type: ignore[index]
    assert "in_features" in error.get_attribute("data-loc") and "greater than or equal to 1" in error.text
    # It sits on the line of "in_features" (line 7 of the indented JSON), not at the top.
    line_height = browser.execute_script(
        "return parseFloat(getComputedStyle(arguments[0]).lineHeight)", editor
    )
    top = browser.execute_script("return parseFloat(arguments[0].style.top)", error)
    assert abs(top - 6 * line_height - 6) < 1, (top, line_height)
    assert "422" in browser.find_element(By.ID, "recipe-status").text
    shot(browser, "validation-error")

    browser.find_element(By.CSS_SELECTOR, "[data-snippet='curl']").click()
    snippet = browser.find_element(By.ID, "snippet").text
    assert (
        snippet.startswith("curl -sS -X POST") and "/v1/weights" in snippet and '"in_features": 0' in snippet
    )
    browser.find_element(By.CSS_SELECTOR, "[data-snippet='sdk']").click()
    assert "generate_weights.stream_detailed" in browser.find_element(By.ID, "snippet").text


def test_a_preset_loads_into_the_editor(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.url}/ui")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preset option")) > 1, "presets not loaded")
    Select(browser.find_element(By.ID, "preset")).select_by_value("mlp")
    browser.find_element(By.ID, "load-preset").click()
    recipe = json.loads(browser.find_element(By.ID, "recipe").get_attribute("value"))
    assert recipe["model"]["preset"] == "mlp"
    browser.find_element(By.ID, "run-stats").click()
    wait(
        browser,
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#stats-table tbody tr")) == 4,
        "mlp: 4 tensors",
    )


def test_the_depth_view_shows_he_stable_and_fan_in_uniform_vanishing(
    browser: WebDriver, server: Server
) -> None:
    browser.get(f"{server.url}/ui")
    browser.find_element(By.ID, "tab-depth").click()
    for field, value in (("depth-width", "96"), ("depth-depth", "20"), ("depth-batch", "32")):
        box = browser.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    browser.find_element(By.ID, "run-depth").click()
    wait(
        browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#depth-table tbody tr")) == 8, "no verdicts"
    )

    def curve(label: str) -> list[float | None]:
        path = browser.find_element(By.CSS_SELECTOR, f"#depth-activations path[data-label='{label}']")
        values: list[float | None] = json.loads(path.get_attribute("data-values"))
        return values

    he, small = curve("He"), curve("U(+-1/sqrt(n))")
    assert len(he) == len(small) == 21
    assert he[0] is not None and he[-1] is not None and 0.25 < he[-1] / he[0] < 4  # He keeps the scale
    assert small[0] is not None and small[-1] is not None and small[-1] / small[0] < 1e-5  # ~0.41^20
    rows = {r.get_attribute("data-label"): r.get_attribute("data-forward")
            for r in browser.find_elements(By.CSS_SELECTOR, "#depth-table tbody tr")}  # fmt: skip
    assert rows["He"] == "stable" and rows["U(+-1/sqrt(n))"] == "vanishing" and rows["N(0, 1)"] == "exploding"
    # the mean-field curves are drawn too (dashed)
    assert browser.find_elements(
        By.CSS_SELECTOR, "#depth-activations path.dashed[data-label='He (mean field)']"
    )
    shot(browser, "depth-view")
