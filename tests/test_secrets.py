"""No credential or token reaches an artifact: the whole suite runs live against a served mock
with canary credentials, then every file under the report directory and the console output are
searched for every canary and every token the mock issued. The same run also shows that the
live verdicts equal the in-process ones."""

from __future__ import annotations

import secrets

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report


def _verdicts(report):
    return {(r["test"], r["nodeid"].split("[", 1)[-1]): r["verdict"] for r in report["results"]}


def test_canary_credentials_never_reach_reports_or_output(pytester, serve, monkeypatch):
    canaries = {
        "CLIENT_ID": f"canary-cid-{secrets.token_hex(6)}",
        "CLIENT_SECRET": f"canary-secret-{secrets.token_hex(8)}",
        "OTHER_CLIENT_ID": f"canary-ocid-{secrets.token_hex(6)}",
        "OTHER_CLIENT_SECRET": f"canary-osecret-{secrets.token_hex(8)}",
    }
    app = create_mock("cartoncloud", clock=VirtualClock(follow_real_time=True), credentials=canaries)
    served = serve(app)
    for name, value in served_mock_exports("cartoncloud", app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    live_dir = pytester.path / "live-reports"
    result = pytester.runpytest_subprocess(
        str(SUITES),
        "--target",
        "live",
        "--api",
        "cartoncloud",
        "--allow-writes",
        "--allow-rate-limit-probe",
        "--hypothesis-profile",
        "ci",
        "--report-dir",
        str(live_dir),
        "-p",
        "no:cacheprovider",
        "-v",
    )
    assert result.ret == 0, result.stdout.str()[-3000:]

    secrets_used = list(canaries.values()) + app.token_journal
    assert len(app.token_journal) > 10  # the run really authenticated
    files = [p for p in live_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"conformance.json", "junit.xml", "conformance.html"}
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
        "cartoncloud",
        "--hypothesis-profile",
        "ci",
        "--report-dir",
        str(mock_dir),
        "-p",
        "no:cacheprovider",
    )
    assert in_process.ret == 0
    assert _verdicts(read_report(live_dir)) == _verdicts(read_report(mock_dir))
