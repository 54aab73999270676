"""The reports in a real browser: Debian's Chromium driven by Playwright, from disk, offline.

Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it) — never `playwright
install`. Without it the tests skip with that reason — except under CI, where a missing browser is a
failure, not a skip. Every request that is not file:, data: or blob: is refused and recorded.
Screenshots land in reports/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.contracts import available_apis
from conformance.mocks import available_mocks, create_mock
from tests.conftest import REPO, SUITES, read_report, require

CHROMIUM = Path(os.environ.get("CONFORMANCE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "reports" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
LOCAL = ("file:", "data:", "blob:")


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium (Debian's package)")
    return CHROMIUM


def open_offline(
    pw, chromium_path: Path, html: Path, outside: list[str], errors: list[str], width: int = 1400
):
    """A page showing `html` from disk; any request that is not file:/data:/blob: is recorded and refused."""
    browser = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=ARGS)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(LOCAL)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html.as_uri())
    return browser, page


def shot(page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000
    return path


def no_horizontal_scroll(page) -> dict:
    sizes = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
                   matrix: document.getElementById('matrix').scrollWidth,
                   box: document.getElementById('matrix').parentElement.clientWidth})"""
    )
    assert sizes["page"] <= sizes["view"], f"the page scrolls sideways: {sizes}"
    assert sizes["matrix"] <= sizes["box"], f"the matrix overflows: {sizes}"
    return sizes


def test_the_main_jobs_report_opens_offline_with_all_five_apis(chromium_path):
    """The report `conformance run` left in reports/ (.ci/run runs the main job before pytest)."""
    from playwright.sync_api import sync_playwright

    html, data = REPO / "reports" / "conformance.html", REPO / "reports" / "conformance.json"
    require(data.exists(), "no reports/conformance.json: run the main job (`conformance run`) first")
    report = read_report(REPO / "reports")
    if sorted(report["apis"]) != sorted(available_apis()) or report.get("partial"):
        pytest.skip(f"reports/ holds a run of {report['apis']} ({report.get('partial')}), not the main job's")
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = open_offline(pw, chromium_path, html, outside, errors, width=1024)
        try:
            apis = page.locator("#matrix tbody tr").evaluate_all("rows => rows.map(r => r.dataset.api)")
            assert sorted(apis) == sorted(available_apis()) and len(apis) == 5
            assert page.locator("details.case").count() == len(report["results"])
            assert page.locator("#target").inner_text() == report["target"]
            verdict = page.locator("#verdict")
            assert verdict.get_attribute("data-passed") == ("true" if report["gate"]["passed"] else "false")
            assert verdict.locator(".word").inner_text() == (
                "PASSED" if report["gate"]["passed"] else "FAILED"
            )
            assert verdict.is_visible() and verdict.bounding_box()["y"] < 200, (
                "the verdict is on the first screen"
            )
            no_horizontal_scroll(page)
            folded = page.locator("details.folded")
            assert folded.count() > 0 and not any(folded.evaluate_all("els => els.map(e => e.open)"))
            assert (
                page.locator("#coverage-row td.coverage").count()
                == len(page.locator("#matrix thead th").all()) - 4
            )  # API, score, MUST, SHOULD
            shot(page, "main-job-first-screen-1024.png")
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


def test_fault_run_banner_first_failure_one_click_evidence_and_a_matrix_that_fits_1024(
    pytester, tmp_path, chromium_path
):
    """MUST failures (stale writes accepted: both locking checks, three resources) and SHOULD
    failures (the same on warehouse products, locked by our decision; 400 for a bad client): the
    banner says FAILED and names a MUST one first; one click on it opens the exchange that broke
    the rule (a PUT that should have been refused, not the last GET); the matrix fits 1024 px;
    not-applicable rows are folded; the curl line is runnable (variables, not secrets) and says
    how to serve the mock."""
    from playwright.sync_api import sync_playwright

    out = tmp_path / "reports"
    result = pytester.runpytest_inprocess(
        str(SUITES / "conformance"),
        "--mock-fault", "cartoncloud:ignore_if_match",
        "--mock-fault", "cartoncloud:invalid_client_400",
        "--report-dir", str(out),
        "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == 1, "the planted MUST fault must fail the run"
    report = read_report(out)
    assert sorted(report["apis"]) == sorted(available_apis()) and report["gate"]["passed"] is False

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = open_offline(pw, chromium_path, out / "conformance.html", outside, errors, width=1024)
        try:
            verdict = page.locator("#verdict")
            assert verdict.locator(".word").inner_text() == "FAILED"
            reasons = verdict.locator("#verdict-reasons").inner_text()
            assert "6 MUST failures" in reasons and "3 SHOULD failures (not gating)" in reasons
            first = verdict.locator("#first-failure")
            assert "MUST" in first.inner_text() and "cartoncloud · locking" in first.inner_text()
            musts = sorted(
                (r for r in report["results"] if r["verdict"] == "fail" and r["capability"] == "locking"),
                key=lambda r: r["case_id"],
            )
            assert musts[0]["case_id"].split("::")[-1] in first.inner_text()
            severities = page.locator("#failures li").evaluate_all("els => els.map(e => e.dataset.severity)")
            assert severities == ["MUST"] * 6 + ["SHOULD"] * 3, "MUST failures first, then SHOULD"
            no_horizontal_scroll(page)
            assert page.locator("#matrix td.cell-fail").count() == 2  # cartoncloud auth and locking
            assert not any(page.locator("details.folded").evaluate_all("els => els.map(e => e.open)"))
            first_screen = shot(page, "fault-run-first-screen-1024.png")

            first.locator("a.goto-case").click()  # the one click
            case = page.locator("details.case.target")
            assert case.count() == 1 and case.get_attribute("open") is not None
            culprit = case.locator("details.exchange.culprit").first
            assert culprit.get_attribute("open") is not None
            assert culprit.locator("summary code").inner_text().startswith("PUT "), "the write that broke it"
            assert culprit.locator(".badge.culprit").inner_text() == "broke the rule"
            box, height = culprit.bounding_box(), page.viewport_size["height"]
            bar = page.locator("#filters").bounding_box()
            assert box is not None and bar is not None
            assert bar["y"] + bar["height"] <= box["y"] < height - 40, (
                "the evidence is on screen after the click"
            )
            failed_check = case.locator('.check[data-verdict="fail"]')
            assert failed_check.locator("blockquote.rule").inner_text().startswith("“")
            curl = culprit.locator("pre.curl").inner_text()
            assert "conformance mock serve --api cartoncloud --port 8765 --fault ignore_if_match" in curl
            assert '"${CONFORMANCE_CARTONCLOUD_BASE_URL}"' in curl
            assert 'Bearer \'"${CONFORMANCE_CARTONCLOUD_TOKEN}"' in curl, curl
            assert "export CONFORMANCE_CARTONCLOUD_TOKEN=" in curl
            assert "[REDACTED]" not in curl.splitlines()[-1]
            body = culprit.locator("pre.response").inner_text()
            assert "\n  " in body, "JSON bodies are pretty-printed"
            assert "case=" in page.evaluate("location.hash"), "the case has a link of its own"
            evidence = shot(page, "fault-run-first-failure-evidence.png")

            page.select_option("#f-verdict", "fail,error")
            assert page.locator("details.case:not(.hidden)").count() == 9
            page.fill("#f-text", "stale")
            assert "q=stale" in page.evaluate("location.hash"), "the text filter is kept in the URL"
            page.fill("#f-text", "")
            page.select_option("#f-verdict", "")
            page.locator("#matrix").scroll_into_view_if_needed()
            shot(page, "fault-run-matrix-1024.png")

            text = page.content()
            assert not [s for s in _secret_values() if s in text]
            assert errors == [], errors
        finally:
            browser.close()
    assert outside == [], f"the report asked the network for {outside}"
    assert first_screen.exists() and evidence.exists()


def test_allure_html_built_with_node_only_opens_from_disk(tmp_path, chromium_path):
    """The Allure 3 single file (built with no Java on PATH) renders from file:// with every network
    request refused: its cases are listed, no "Failed to fetch". (Allure embeds an analytics script:
    the only request it tries, and it is refused like any other.)"""
    from playwright.sync_api import sync_playwright

    from conformance.report.allure import write_allure
    from tests.report.test_outputs import build_allure_html, sample_run

    done, out = build_allure_html(tmp_path, write_allure(sample_run(), tmp_path / "allure-results"))
    assert done.returncode == 0, done.stdout + done.stderr
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = open_offline(pw, chromium_path, out / "index.html", outside, errors)
        try:
            page.get_by_text("test_stale_version_rejected", exact=False).first.wait_for(timeout=30_000)
            body = page.locator("body").inner_text()
            assert "Failed to fetch" not in body
            assert "cartoncloud" in body and "cropster" in body
            shot(page, "allure-report.png")
        finally:
            browser.close()
    assert all("googletagmanager" in url or "google-analytics" in url for url in outside), outside
