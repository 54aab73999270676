"""The HTML report in a real browser: Debian's Chromium driven by Playwright, from disk, offline.

Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it). Without it the test
skips with that reason — except under CI, where a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conformance.contracts import available_apis, load_contract
from conformance.mocks import available_mocks, create_mock
from tests.conftest import REPO, SUITES, read_report, require

CHROMIUM = Path(os.environ.get("CONFORMANCE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "reports" / "screenshots"


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium (Debian's package)")
    return CHROMIUM


def open_offline(pw, chromium_path: Path, html: Path, outside: list[str], errors: list[str]):
    """A page showing `html` from disk; any request that is not file:// is recorded and refused."""
    browser = pw.chromium.launch(executable_path=str(chromium_path), args=["--no-sandbox"])
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html.as_uri())
    return browser, page


def test_the_main_jobs_report_opens_offline_with_all_five_apis(chromium_path):
    """The report `conformance run` left in reports/ (.ci/run runs the main job before pytest)."""
    from playwright.sync_api import sync_playwright

    html, data = REPO / "reports" / "conformance.html", REPO / "reports" / "conformance.json"
    require(data.exists(), "no reports/conformance.json: run the main job (`conformance run`) first")
    report = read_report(REPO / "reports")
    if sorted(report["apis"]) != sorted(available_apis()):
        pytest.skip(f"reports/ holds a run of {report['apis']} only, not the main job's")
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = open_offline(pw, chromium_path, html, outside, errors)
        try:
            apis = page.locator("#matrix tbody tr").evaluate_all("rows => rows.map(r => r.dataset.api)")
            assert sorted(apis) == sorted(available_apis()) and len(apis) == 5
            assert page.locator("details.case").count() == len(report["results"])
            assert page.locator("#target").inner_text() == report["target"]
        finally:
            browser.close()
    assert outside == [] and errors == []


def _secret_values() -> list[str]:
    values = []
    for api in available_mocks():
        app = create_mock(api)
        secret = ("SECRET", "KEY", "PASSWORD")
        values += [v for k, v in app.credentials.items() if any(s in k for s in secret)]
    return [v for v in values if len(v) >= 6]


def test_report_opens_offline_in_chromium_with_matrix_drill_down_and_redacted_curl(
    pytester, tmp_path, chromium_path
):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "reports"
    result = pytester.runpytest_inprocess(
        str(SUITES / "conformance"),
        "--mock-fault",
        "cartoncloud:racy_update",
        "--report-dir",
        str(out),
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == 1, "the planted fault must fail the run"
    report = read_report(out)
    assert sorted(report["apis"]) == sorted(available_apis()) and len(report["apis"]) == 5
    clause = load_contract("cartoncloud").profile.locking.rules.concurrent_single_winner.clause  # type: ignore[union-attr]

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = open_offline(pw, chromium_path, out / "conformance.html", outside, errors)
        try:
            rows = page.locator("#matrix tbody tr")
            assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.api)")) == sorted(report["apis"])
            failing_cell = page.locator("#matrix td.cell-fail")
            assert failing_cell.count() == 1
            assert failing_cell.get_attribute("data-api") == "cartoncloud"
            assert failing_cell.get_attribute("data-capability") == "locking"

            failing_cell.locator("button").click()  # the drill-down
            assert page.locator("#f-api").input_value() == "cartoncloud"
            assert page.locator("#f-capability").input_value() == "locking"
            section = page.locator("section#cartoncloud-locking")
            assert section.is_visible()
            assert not page.locator("section#cropster-auth").is_visible()
            case = section.locator('details.case[data-verdict="fail"]')
            assert case.count() == 1
            failed_check = case.locator('.check[data-verdict="fail"]')
            assert failed_check.locator("blockquote.rule").inner_text().startswith(f"“{clause}”")
            curl = failed_check.locator("pre.curl").last
            assert curl.is_visible()
            curl_text = curl.inner_text()
            assert curl_text.startswith("curl ") and "Bearer [REDACTED]" in curl_text
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = tmp_path / "drill-down.png"
            page.screenshot(path=str(shot))
            shutil.copy(shot, SCREENSHOTS / "conformance-drill-down.png")

            page.select_option("#f-api", "")
            page.select_option("#f-capability", "")
            page.select_option("#f-verdict", "fail,error")
            visible = page.locator("details.case:not(.hidden)")
            assert visible.count() == 1
            assert page.locator("#f-count").inner_text() == "1 case(s) shown"

            text = page.content()
            assert not [s for s in _secret_values() if s in text]
            assert errors == [], errors
        finally:
            browser.close()
    assert outside == [], f"the report asked the network for {outside}"
    assert shot.stat().st_size > 10_000
