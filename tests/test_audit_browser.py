"""The audit report in a real browser: headless Chromium driven through Debian's chromedriver.

It loads with no console error and no request, hostile input runs nothing, the claims
filter and sort work, hovering a highlight shows its row and rule, and a flag link lands
on its place. Skipped, saying why, where Chromium is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from extract.audit import write_report

from . import audit_cases as cases

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# Without the background-networking flags Chromium tries to reach update and sync
# servers; the report itself must need nothing from outside.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "headless Chromium is not installed (Debian packages chromium and "
            "chromium-driver; .ci/run installs them)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="audit-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser")
    directory = cases.full_dataset(base / "full")
    path, _ = write_report(directory, base / "full.html")
    return path


def load(driver: webdriver.Chrome, path: Path, fragment: str = "") -> list[dict[str, Any]]:
    """Open the report, wait for its script to finish, return the console's messages."""
    driver.get("about:blank")  # a fresh document even when only the fragment differs
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri() + fragment)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.documentElement.dataset.ready") == "1"
    )
    return driver.get_log("browser")  # type: ignore[no-any-return]


def visible_rows(driver: webdriver.Chrome) -> int:
    rows = driver.execute_script("return document.querySelectorAll('#claim-body tr').length")
    return int(rows)


def test_loads_without_errors_requests_or_injected_script(
    browser: webdriver.Chrome, report: Path
) -> None:
    messages = load(browser, report)
    assert messages == []
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.title == "extract audit: full"


def test_filter_and_sort_the_claims_table(browser: webdriver.Chrome, report: Path) -> None:
    load(browser, report)
    assert visible_rows(browser) == 5
    box = browser.find_element(By.CSS_SELECTOR, "#claim-filters input[name=benchmark]")
    box.send_keys("math")
    WebDriverWait(browser, 5).until(lambda d: visible_rows(d) == 2)
    count = browser.find_element(By.ID, "claim-count")
    assert count.text == "2 of 5 claims"
    box.clear()
    box.send_keys('"<bench>"')  # quoted: the whole value, so MATH does not match
    WebDriverWait(browser, 5).until(lambda d: visible_rows(d) == 1)
    box.clear()
    browser.find_element(By.CSS_SELECTOR, "#claim-filters input[name=flagged]").click()
    WebDriverWait(browser, 5).until(lambda d: visible_rows(d) == 2)  # 130% and the 2.5x
    browser.find_element(By.CSS_SELECTOR, "#claim-filters input[name=flagged]").click()
    browser.find_element(By.CSS_SELECTOR, "th[data-sort=value] button").click()
    values = browser.execute_script(
        "return [...document.querySelectorAll('#claim-table tbody tr')]"
        ".map(tr => tr.cells[2].textContent)"
    )
    assert values == ["2.5x", "4.2%", "12.5%", "71.3%", "130%"]
    # A bar of the benchmark chart filters the table on that benchmark, exactly.
    bar = browser.find_element(By.CSS_SELECTOR, 'a.filter-link[data-value="MATH"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
    bar.click()
    WebDriverWait(browser, 5).until(lambda d: count.text == "2 of 5 claims")
    assert box.get_attribute("value") == '"MATH"'
    assert load(browser, report) == []


def test_hover_shows_the_row_and_its_rule(browser: webdriver.Chrome, report: Path) -> None:
    load(browser, report, "#p-0")
    value = browser.find_element(By.CSS_SELECTOR, "mark[data-r~=c0]")
    ActionChains(browser).move_to_element(value).perform()
    tip = browser.find_element(By.ID, "tip")
    WebDriverWait(browser, 5).until(lambda d: tip.is_displayed())
    assert "claim 1 · rule claim.score" in tip.text
    assert "71.3%" in tip.text and "SFT baseline" in tip.text


def test_a_flag_link_lands_on_its_text(browser: webdriver.Chrome, report: Path) -> None:
    load(browser, report)
    entry = browser.find_element(By.CSS_SELECTOR, "#flags-over_100 a")
    entry.click()
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "mark.focus"))
    focused = browser.find_elements(By.CSS_SELECTOR, "mark.focus")
    assert "".join(m.text for m in focused) == "130%"
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", focused[0])
    assert 0 < top < 900  # scrolled into view, below the sticky header
    browser.find_element(By.ID, "next-flag").click()
    assert browser.find_element(By.ID, "flag-pos").text.endswith(" flags")


def test_long_lists_page_in_as_the_reader_scrolls(
    browser: webdriver.Chrome, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.mktemp("many")
    path, _ = write_report(cases.many_claims(base / "many", 450), base / "many.html")
    assert load(browser, path) == []
    assert visible_rows(browser) == 200
    assert browser.find_element(By.ID, "claim-count").text == "450 of 450 claims"
    browser.execute_script(
        "const w = document.querySelector('.table-wrap'); w.scrollTop = w.scrollHeight"
    )
    WebDriverWait(browser, 5).until(lambda d: visible_rows(d) == 400)
    more = browser.find_element(By.CSS_SELECTOR, ".table-wrap button.more")
    assert more.text == "show 50 more (50 not shown)"
    browser.execute_script(
        "const w = document.querySelector('.table-wrap'); w.scrollTop = w.scrollHeight"
    )
    WebDriverWait(browser, 5).until(lambda d: visible_rows(d) == 450)
    assert not more.is_displayed()
    # The flag lists page the same way; their button adds a batch too.
    group = browser.find_element(By.ID, "flags-incomplete_claim")
    assert len(group.find_elements(By.CSS_SELECTOR, "ol.flag-list li")) == 200
    button = group.find_element(By.CSS_SELECTOR, "button.more")
    assert button.text == "show 200 more (250 not shown)"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert len(group.find_elements(By.CSS_SELECTOR, "ol.flag-list li")) == 400
    # A link to a row that is not shown yet shows it.
    load(browser, path, "#c-440")
    row = browser.find_element(By.ID, "c-440")
    assert row.is_displayed() and "441.25x" in row.text
    assert "target" in (row.get_attribute("class") or "")
