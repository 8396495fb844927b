"""The HTML leaderboard in headless Chromium: no error, no request, no injected script;
the filters work, the chart is drawn, an entry link shows its row.

Skipped, saying why, where Chromium is not installed (see test_audit_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from extract.leaderboard import load
from extract.leaderboard.html import render

from .leaderboard_cases import leaderboard_dataset
from .test_audit_browser import browser  # noqa: F401  (the fixture)
from .test_audit_browser import load as open_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("lb-browser")
    dataset = leaderboard_dataset(base / "cases")
    path = base / "cases.leaderboard.html"
    path.write_text(render(load(dataset), "cases"), encoding="utf-8")
    return path


def shown_boards(driver: webdriver.Chrome) -> int:
    return int(
        driver.execute_script(
            "return [...document.querySelectorAll('section.board')].filter(s => !s.hidden).length"
        )
    )


def test_loads_clean(browser: webdriver.Chrome, page: Path) -> None:  # noqa: F811
    assert open_page(browser, page) == []
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.title == "extract leaderboard: cases"
    assert len(browser.find_elements(By.CSS_SELECTOR, "figure.chart polyline.step")) == 2


def test_filters(browser: webdriver.Chrome, page: Path) -> None:  # noqa: F811
    open_page(browser, page)
    assert shown_boards(browser) == 5
    box = browser.find_element(By.ID, "filter-benchmark")
    box.send_keys("gsm")
    WebDriverWait(browser, 5).until(lambda d: shown_boards(d) == 2)
    box.clear()
    box.send_keys(" ")  # an input event with no words: every board again
    browser.execute_script(
        "const s = document.getElementById('filter-confidence');"
        "s.value = '0.85'; s.dispatchEvent(new Event('input'))"
    )
    WebDriverWait(browser, 5).until(lambda d: shown_boards(d) == 1)  # only ImageNet's 0.9
    assert browser.find_element(By.ID, "board-count").text == "1 of 5 leaderboards"


def test_an_entry_link_lands_on_its_row(browser: webdriver.Chrome, page: Path) -> None:  # noqa: F811
    open_page(browser, page, "#e-arxiv-2602-00002-1")
    row = browser.find_element(By.ID, "e-arxiv-2602-00002-1")
    assert row.is_displayed() and "88.0%" in row.text
    assert row.find_element(By.TAG_NAME, "mark").text == "88.0%"
