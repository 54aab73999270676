"""Polite traffic against a sandbox that is stricter than its documents: a served Cropster mock
whose rate limit is far tighter than documented (burst 3, refilled at 1/s, token calls counted:
the `tight` persona) is run live. The suites stay green — every unexpected 429 is waited out
(Retry-After) and sent again — and each retry is an event in the report, never a verdict."""

from __future__ import annotations

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report


def test_a_live_run_against_a_tight_limit_waits_out_every_429_and_lists_each(pytester, serve, monkeypatch):
    app = create_mock("cropster", persona="tight", clock=VirtualClock(follow_real_time=True))
    served = serve(app)
    for name, value in served_mock_exports("cropster", app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    out = pytester.path / "r"
    result = pytester.runpytest_subprocess(
        str(SUITES / "conformance"), str(SUITES / "scenarios"), "--target", "live", "--api", "cropster",
        "--allow-writes", "--hypothesis-profile", "ci", "--report-dir", str(out), "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()[-3000:]
    report = read_report(out)
    assert not [r["case_id"] for r in report["results"] if r["verdict"] in ("fail", "error")]
    retried = [
        (r["case_id"], e["message"])
        for r in report["results"]
        for e in r["events"]
        if e["kind"] == "rate-limited" and "sent it again" in e["message"]
    ]
    assert len(retried) >= 3, retried  # the tight limit was really hit, more than once
    assert all("Retry-After" in message for _, message in retried)
    html = (out / "conformance.html").read_text()
    _case, message = retried[0]
    assert "<code>rate-limited</code>" in html and message.split(": 429")[0] in html
