"""Webhooks and token expiry against live targets that offer no control plane: served mocks started
as a vendor would be set up — Grafterr with a receiver address, Cropster with short-lived tokens —
their control planes hidden. The webhook and expiry checks pass; with a webhook fault or tokens that
never expire they fail. (Grafterr's token call is invented, so its expiry is judged on mocks only.)"""

from __future__ import annotations

import pytest

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, failed_checks, free_port, read_report

WEBHOOKS = str(SUITES / "conformance" / "test_webhooks.py")
AUTH = str(SUITES / "conformance" / "test_auth.py")


def _vendor_like(app):
    async def asgi(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/__mock__"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})
            return
        await app(scope, receive, send)

    return asgi


@pytest.fixture
def vendor(serve, monkeypatch):
    def start(api: str, *faults: str, **options):
        app = create_mock(api, clock=VirtualClock(follow_real_time=True), faults=faults, **options)
        served = serve(_vendor_like(app))
        for name, value in served_mock_exports(api, app, "127.0.0.1", served.port).items():
            monkeypatch.setenv(name, value)
        return app

    return start


def _run(pytester, suite, api, selection):
    return pytester.runpytest_subprocess(
        suite, "--target", "live", "--api", api, "--allow-writes", "--max-expiry-wait", "10",
        "-k", selection, "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider",
    )  # fmt: skip


def _grafterr(vendor, monkeypatch, *faults):
    listen = free_port()
    vendor("grafterr", *faults, webhooks=[{"url": f"http://127.0.0.1:{listen}/hooks/conformance"}])
    monkeypatch.setenv("CONFORMANCE_GRAFTERR_WEBHOOK_LISTEN", f"127.0.0.1:{listen}")


def test_webhooks_are_judged_live_by_listening_where_the_vendor_delivers(pytester, vendor, monkeypatch):
    _grafterr(vendor, monkeypatch)
    result = _run(pytester, WEBHOOKS, "grafterr", "test_events_delivered")
    assert result.ret == 0, result.stdout.str()[-3000:]
    verdicts = {
        r["case_id"].split("::")[1]: r["verdict"] for r in read_report(pytester.path / "r")["results"]
    }
    created = {case: v for case, v in verdicts.items() if "_order_created" in case}
    updated = {case: v for case, v in verdicts.items() if "_order_updated" in case}
    assert set(created.values()) == {"pass"} and len(created) == 3  # caused through the API: order creation
    assert set(updated.values()) == {"skip"}  # a status change needs the sandbox's own hand


def test_token_expiry_is_judged_live_by_waiting_out_a_short_lifetime(pytester, vendor):
    vendor("cropster", token_ttl=2)
    result = _run(pytester, AUTH, "cropster", "test_expired_token_rejected")
    assert result.ret == 0, result.stdout.str()[-3000:]
    (case,) = read_report(pytester.path / "r")["results"]
    assert case["verdict"] == "pass"


def test_a_long_token_lifetime_skips_the_live_expiry_check_saying_why(pytester, vendor):
    vendor("cropster")  # the documented 8 hours
    result = _run(pytester, AUTH, "cropster", "test_expired_token_rejected")
    assert result.ret == 0
    (case,) = read_report(pytester.path / "r")["results"]
    assert case["verdict"] == "skip" and "--max-expiry-wait" in case["reason"]


def test_the_live_webhook_check_fails_against_a_vendor_that_does_not_deliver(pytester, vendor, monkeypatch):
    _grafterr(vendor, monkeypatch, "webhook_not_sent")
    result = _run(pytester, WEBHOOKS, "grafterr", "test_events_delivered")
    assert result.ret == 1
    assert "webhooks_delivered" in failed_checks(read_report(pytester.path / "r"))


def test_the_live_expiry_check_fails_against_tokens_that_never_expire(pytester, vendor):
    vendor("cropster", "expired_token_accepted", token_ttl=2)
    result = _run(pytester, AUTH, "cropster", "test_expired_token_rejected")
    assert result.ret == 1
    assert "auth_expired_token_rejected" in failed_checks(read_report(pytester.path / "r"))
