"""Each case's record: its verdict (recognised by type: a `NotApplicable` raised by a suite, a
fixture or a check; a waiver's xfail; a failure), its checks, evidence, events and observations,
and how its API was reached — made in the process that ran it, carried to the xdist controller in
`user_properties`. Plus the live targets' clean-up at session end, as run events."""

from __future__ import annotations

import json
import traceback
from typing import Any

import pytest

from conformance.client import Recorder
from conformance.core import NotApplicable, Verdict
from conformance.plugin._collect import capability, case_api
from conformance.plugin._keys import CHECKS, LIVE_TARGETS, OBSERVATIONS, RECORDER, REDACTOR, SETTINGS
from conformance.report.model import TestResult
from conformance.targets import BudgetExhausted, UnsafeRequest, clean_up

PROPERTY = "conformance"  # the user_properties key a case's result travels under
ENDPOINT = "conformance-endpoint"  # ... and how its API was reached (once per API and process)
_SENT_ENDPOINTS = pytest.StashKey[set[str]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    raised = _not_applicable(call.excinfo.value if call.excinfo is not None else None)
    report = yield
    api = case_api(item)
    if api is None:
        return report
    if isinstance(raised, NotApplicable):
        report.longrepr = (*_raised_at(raised), f"Skipped: {raised.reason}")
    elif isinstance(raised, BudgetExhausted | UnsafeRequest):
        # the harness refused to send: no verdict on the target, and a spent budget ends the run
        report.outcome = "skipped"
        report.longrepr = (*_raised_at(raised), f"Skipped: {type(raised).__name__}: {raised}")
        if isinstance(raised, BudgetExhausted):
            item.session.shouldstop = f"conformance: {raised}"
    redactor = item.stash.get(REDACTOR, None)
    if redactor is not None and report.failed and report.longrepr is not None:
        # failure text can quote a request (e.g. a Hypothesis strategy repr): mask what we know
        report.longrepr = redactor.text(report.longreprtext)
    if report.when == "call" or (report.when == "setup" and not report.passed):
        result = _record(item, api, report, call, raised)
        report.user_properties.append((PROPERTY, result.to_dict()))
        endpoint = _endpoint(item, api)
        if endpoint is not None:
            report.user_properties.append((ENDPOINT, endpoint))
    return report


def _endpoint(item: pytest.Item, api: str) -> dict[str, str] | None:
    """How the case's target was reached (once per API and process): the mode, the base and token
    URLs (through the target's redactor), the auth kind — what a runnable curl line needs."""
    sent = item.config.stash.setdefault(_SENT_ENDPOINTS, set())
    target = getattr(item, "funcargs", {}).get("target")
    if api in sent or target is None or not hasattr(target, "base_url"):
        return None
    from conformance.targets.config import env_name

    sent.add(api)
    auth = target.contract.profile.auth
    if target.asgi_app is not None:
        mode = "in-process mock"
    else:
        mode = "served mock" if target.control is not None else "live"
    faults = item.config.stash[SETTINGS].faults.get(api, [])
    serve = f"conformance mock serve --api {api} --port 8765" + "".join(f" --fault {f}" for f in faults)
    return {
        "api": api,
        "mode": mode,
        "base_url": target.redactor.url(target.base_url),
        "token_url": target.redactor.url(target.token_url or ""),
        "env_prefix": env_name(api, ""),
        "auth_kind": str(auth.kind),
        "client_auth": str(auth.client_auth),
        "token_headers": json.dumps(auth.token_headers) if auth.token_headers else "",
        "scopes": " ".join(auth.scopes),
        "serve": serve if mode == "in-process mock" else "",
    }


def _not_applicable(raised: BaseException | None) -> BaseException | None:
    """The exception a case ended with, as raised: seen before pytest turns a `NotApplicable` into a
    skip, and looked up behind the pytest skip schemathesis re-raises it as (its context)."""
    context = getattr(raised, "__context__", None)
    if not isinstance(raised, NotApplicable) and isinstance(context, NotApplicable):
        return context
    return raised


def _raised_at(raised: BaseException) -> tuple[str, int]:
    """Where a suite, fixture or check said "not applicable" (not the helper that raised it)."""
    frames = [f for f in traceback.extract_tb(raised.__traceback__) if "conformance/core/" not in f.filename]
    last = frames[-1] if frames else None
    return (last.filename, last.lineno or 0) if last else ("<unknown>", 0)


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _record(
    item: pytest.Item,
    api: str,
    report: pytest.TestReport,
    call: pytest.CallInfo[None],
    raised: BaseException | None,
) -> TestResult:
    checks = item.stash.get(CHECKS, [])
    item.stash[CHECKS] = []  # each report (a subtest's too) carries its own judgements
    observations = item.stash.get(OBSERVATIONS, [])
    item.stash[OBSERVATIONS] = []
    reason = ""
    verdict: Verdict
    if report.skipped:
        if hasattr(report, "wasxfail"):
            verdict, reason = "waived", str(report.wasxfail)
        elif isinstance(raised, NotApplicable):
            verdict, reason = "not-applicable", raised.reason
        elif isinstance(raised, BudgetExhausted | UnsafeRequest):
            verdict, reason = "skip", f"refused by the harness, nothing sent: {raised}"
        else:
            verdict, reason = "skip", _skip_reason(report)
    elif report.failed:
        asserted = call.excinfo is not None and call.excinfo.errisinstance(AssertionError)
        verdict = "fail" if asserted or any(c.verdict == "fail" for c in checks) else "error"
        reason = report.longreprtext[-4000:]
    else:
        verdict = "pass"
    recorder = item.stash.get(RECORDER, None)
    return TestResult(
        nodeid=item.nodeid,
        api=api,
        capability=capability(item) or "general",
        test=getattr(item, "originalname", item.name),
        verdict=verdict,
        reason=reason,
        duration=round(report.duration, 4),
        checks=checks,
        events=recorder.take_events() if recorder is not None else [],
        observations=observations,
    )


def clean_up_live_targets(config: pytest.Config) -> list[dict[str, Any]]:
    """Delete what the run created on each live target (where the API can), and say how many
    requests each live target was sent, as run events."""
    events: list[dict[str, Any]] = []
    for target in config.stash.get(LIVE_TARGETS, {}).values():
        if target.budget is not None:
            sent, budget = target.budget.sent, target.budget.budget
            message = f"{target.api}: {sent} requests sent (budget {budget}; --request-budget)"
            events.append({"kind": "traffic", "message": message})
        if not target.ledger.created:
            continue
        client = target.client(Recorder(target.redactor))
        try:
            done = clean_up(target, client)
        finally:
            client.close()
        events += done.events(target.api)
    return events


def subtest_label(report: pytest.TestReport) -> str | None:
    context = getattr(report, "context", None)
    if context is None:
        return None
    return str(context.msg or str(context.kwargs.get("label", "")).strip("'\""))
