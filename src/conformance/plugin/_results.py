"""Results: each case's verdict (recognised by type: a `NotApplicable` raised by a suite, a fixture
or a check; a waiver's xfail; a failure), its checks and evidence; collected in the controller
under xdist, written as the reports at the end of the session."""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import pytest

from conformance.client import Recorder
from conformance.core import NotApplicable, Verdict
from conformance.plugin._collect import capability, case_api
from conformance.plugin._keys import CHECKS, LIVE_TARGETS, OBSERVATIONS, RECORDER, REDACTOR, RUN, SETTINGS
from conformance.plugin._options import seed_text
from conformance.report import waivers
from conformance.report.model import RunResult, TestResult
from conformance.targets import BudgetExhausted, UnsafeRequest, clean_up


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
        report.user_properties.append(("conformance", result.to_dict()))
    return report


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
    """Delete what the run created on each live target (where the API can), as run events."""
    events: list[dict[str, Any]] = []
    for target in config.stash.get(LIVE_TARGETS, {}).values():
        if not target.ledger.created:
            continue
        client = target.client(Recorder(target.redactor))
        try:
            done = clean_up(target, client)
        finally:
            client.close()
        events += done.events(target.api)
    return events


class ResultCollector:
    """Collects verdicts (in the controller under xdist: records travel in user_properties) and
    writes the reports at the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: list[TestResult] = []
        self.written: list[Path] = []
        self._with_subtests: set[str] = set()
        self.worker_events: list[dict[str, Any]] = []  # under xdist: what the workers cleaned up

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        self.worker_events += getattr(node, "workeroutput", {}).get("conformance_events", [])

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        context = getattr(report, "context", None)  # a subtest, e.g. one schemathesis operation
        for key, value in report.user_properties:
            if key != "conformance" or not isinstance(value, dict):
                continue
            result = TestResult.from_dict(value)
            if context is not None:
                label = context.msg or str(context.kwargs.get("label", "")).strip("'\"")
                suffix = f"[{label}]"
                self._with_subtests.add(result.nodeid.removesuffix(suffix))
                if label:  # each generated case is its own case (own id in baselines and Allure)
                    result.test = f"{result.test}{suffix}"
                    result.nodeid = f"{result.nodeid}{suffix}"
            elif result.nodeid in self._with_subtests and report.passed:
                continue  # the subtests carry the verdicts; a failed parent still counts
            self.results.append(result)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = self.config
        events = clean_up_live_targets(config)  # also after a failure or Ctrl-C
        if hasattr(config, "workerinput"):
            config.workeroutput["conformance_events"] = events  # type: ignore[attr-defined]
            return  # an xdist worker: the controller writes the reports
        if not self.results:
            return  # no suite test ran
        from conformance.report import write_all

        run = config.stash[RUN]
        run.finished = RunResult.now()
        run.seed = seed_text(config)
        run.results = sorted(self.results, key=lambda r: (r.api, r.capability, r.nodeid))
        run.events = [*self.worker_events, *events]
        settings = config.stash[SETTINGS]
        declared = {api: c.profile.deviations for api, c in settings.contracts.items()}
        run.deviations = waivers.outcomes(run, declared, settings.today)
        if settings.baseline is not None:
            from conformance.report.gate import diff

            baseline = RunResult.from_dict(json.loads(settings.baseline.read_text(encoding="utf-8")))
            run.baseline = diff(run, baseline).to_dict(str(settings.baseline))
        self.written = write_all(run, settings.report_dir)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.written:
            return
        run = self.config.stash[RUN]
        score, severity, counts = run.score(), run.severity_counts(), run.counts()
        line = (
            f"conformance: score {'n/a' if score is None else f'{score}%'} · "
            f"MUST failures {severity['MUST']['failing']} · "
            f"SHOULD failures {severity['SHOULD']['failing']} · "
            f"waived {counts['waived']} · not applicable {counts['not-applicable']}"
        )
        if run.baseline is not None:
            line += f" · regressions {len(run.baseline['regressions'])}"
        terminalreporter.write_line(line)
        terminalreporter.write_sep("-", f"conformance report: {self.written[-1]}")
