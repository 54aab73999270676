"""No credential or token reaches an artifact: for each API the whole suite runs live against a
served mock with canary credentials, then every file under the report directory and the console
output are searched for every canary and every token or key the mock issued. The canaries replace
every credential the mock's demo identities have (`default_credentials()`), so a new credential
is covered without a list here. The same run shows that the live verdicts equal the in-process ones."""

from __future__ import annotations

import secrets

import pytest

from conformance.mocks import available_mocks, create_mock, mock_class
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report


def _verdicts(report):
    return {r["nodeid"].split("::", 1)[1]: r["verdict"] for r in report["results"]}


def _canaries(api):
    """A fresh canary for every credential of the mock's demo identities."""
    names = mock_class(api).default_credentials()
    assert names, f"{api}: the mock declares no credentials, so there is nothing to search for"
    return {name: f"canary{name.lower().replace('_', '')}{secrets.token_hex(12)}" for name in names}


@pytest.mark.parametrize("api", available_mocks())
def test_canary_credentials_never_reach_reports_or_output(pytester, serve, monkeypatch, api):
    canaries = _canaries(api)
    app = create_mock(api, clock=VirtualClock(follow_real_time=True), credentials=canaries)
    served = serve(app)
    for name, value in served_mock_exports(api, app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    live_dir = pytester.path / "live-reports"
    result = pytester.runpytest_subprocess(
        str(SUITES),
        "--target",
        "live",
        "--api",
        api,
        "--allow-writes",
        "--allow-rate-limit-probe",
        "--hypothesis-profile",
        "live",  # what a live run uses; its request budget is sized for it
        "--report-dir",
        str(live_dir),
        "-p",
        "no:cacheprovider",
        "-v",
    )
    assert result.ret == 0, result.stdout.str()[-3000:]

    secrets_used = list(canaries.values()) + app.token_journal
    assert len(app.token_journal) > 3  # the run really authenticated (tokens or keys were issued)
    files = [p for p in live_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"conformance.json", "junit.xml", "conformance.html"}
    allure = [p for p in files if p.parent.name == "allure-results"]
    assert any(p.name.endswith("-attachment.txt") for p in allure), "Allure attachments were searched too"
    for path in files:
        text = path.read_text(errors="replace")
        leaked = [s for s in secrets_used if s in text]
        assert not leaked, f"{path.name} contains {len(leaked)} secret(s)"
    console = result.stdout.str() + result.stderr.str()
    assert not [s for s in secrets_used if s in console]

    mock_dir = pytester.path / "mock-reports"
    in_process = pytester.runpytest_subprocess(
        str(SUITES),
        "--api",
        api,
        "--hypothesis-profile",
        "ci",
        "--report-dir",
        str(mock_dir),
        "-p",
        "no:cacheprovider",
    )
    assert in_process.ret == 0
    live, mock = read_report(live_dir), read_report(mock_dir)
    # the one allowed difference: a request the live safety refuses (a write on an entity this run
    # did not create, e.g. a DELETE of a made-up id) skips live and says why
    refused = {
        r["nodeid"].split("::", 1)[1]
        for r in live["results"]
        if r["verdict"] == "skip" and "did not create" in r["reason"]
    }
    assert {k: v for k, v in _verdicts(live).items() if k not in refused} == {
        k: v for k, v in _verdicts(mock).items() if k not in refused
    }
