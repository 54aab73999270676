"""The CI gate: a run against a baseline and the profiles' waivers (`deviations:`).

The gate fails on
- any failure (or error) of a MUST rule that no live waiver covers (with `fail_on_should`, of a
  SHOULD rule too),
- any regression: a case that passed in the baseline and fails now (any severity),
- any expired waiver: a deviation whose `expires` date is before today, whether or not its
  check still fails — an expired waiver is a decision nobody renewed.

A waived check that passes is reported as fixed (the waiver can go); it does not fail the gate.
The regressions are the baseline's (when one is given) or the ones the run recorded against the
baseline it was given (`RunResult.baseline`), so every reader of one report reaches one verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from conformance.report.model import FAILING, RunResult, TestResult, WaiverOutcome


@dataclass
class Diff:
    """How a run differs from a baseline, by case id."""

    new_failures: list[TestResult] = field(default_factory=list)  # not judged there (new, skipped, ...)
    regressions: list[TestResult] = field(default_factory=list)  # passed in the baseline
    fixed: list[TestResult] = field(default_factory=list)
    still_failing: list[TestResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the baseline, not run now

    @classmethod
    def recorded(cls, run: RunResult) -> Diff | None:
        """The diff a run recorded against its baseline (`--baseline` on the run), if any."""
        if not run.baseline:
            return None
        by_id = {r.case_id: r for r in run.results}

        def cases(key: str) -> list[TestResult]:
            return [by_id[c] for c in run.baseline.get(key, []) if c in by_id]  # type: ignore[union-attr]

        return cls(
            new_failures=cases("new_failures"),
            regressions=cases("regressions"),
            fixed=cases("fixed"),
            still_failing=cases("still_failing"),
            missing=list(run.baseline.get("missing", [])),
        )

    def to_dict(self, baseline_label: str) -> dict[str, Any]:
        return {
            "baseline": baseline_label,
            "new_failures": [r.case_id for r in self.new_failures],
            "regressions": [r.case_id for r in self.regressions],
            "fixed": [r.case_id for r in self.fixed],
            "still_failing": [r.case_id for r in self.still_failing],
            "missing": self.missing,
        }


def diff(current: RunResult, baseline: RunResult) -> Diff:
    before = {r.case_id: r for r in baseline.results}
    now = {r.case_id: r for r in current.results}
    result = Diff()
    for case_id, r in now.items():
        old = before.get(case_id)
        old_failing = old is not None and old.verdict in FAILING
        if r.verdict in FAILING:
            if old_failing:
                result.still_failing.append(r)
            elif old is not None and old.verdict == "pass":
                result.regressions.append(r)
            else:
                result.new_failures.append(r)
        elif r.verdict == "pass" and old is not None and (old_failing or old.verdict == "waived"):
            result.fixed.append(r)
    result.missing = sorted(set(before) - set(now))
    return result


@dataclass
class GateResult:
    must_failures: list[TestResult]
    should_failures: list[TestResult]
    expired: list[WaiverOutcome]
    fixed_waivers: list[WaiverOutcome]
    diff: Diff | None
    waiving: list[WaiverOutcome] = field(default_factory=list)
    fail_on_should: bool = False
    flaky: list[TestResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        regressions = self.diff.regressions if self.diff else []
        should = self.should_failures if self.fail_on_should else []
        return not (self.must_failures or self.expired or regressions or should)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def reasons(self) -> list[str]:
        """Why the gate decided as it did, one short phrase each (the report's banner, the terminal)."""
        regressions = self.diff.regressions if self.diff else []

        def n(count: int, what: str) -> str:
            return f"{count} {what}" + ("" if count == 1 else "s")

        out = []
        if self.must_failures:
            out.append(n(len(self.must_failures), "MUST failure"))
        if regressions:
            out.append(n(len(regressions), "regression") + " against the baseline")
        if self.expired:
            out.append(n(len(self.expired), "expired waiver"))
        if self.should_failures:
            gating = "gating: --fail-on-should" if self.fail_on_should else "not gating"
            out.append(n(len(self.should_failures), "SHOULD failure") + f" ({gating})")
        if self.flaky:
            out.append(n(len(self.flaky), "flaky case") + " (passed on a rerun)")
        if not out:
            out.append("no MUST failure, no regression, no expired waiver")
        return out

    def verdict_line(self) -> str:
        return "gate: " + ("PASSED" if self.passed else "FAILED") + " — " + "; ".join(self.reasons())

    def to_dict(self, today: dt.date) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "fail_on_should": self.fail_on_should,
            "today": today.isoformat(),
            "reasons": self.reasons(),
            "lines": self.lines(),
        }

    def lines(self) -> list[str]:
        out: list[str] = list(self.notes)
        for r in self.must_failures:
            out.append(f"FAIL  MUST failure  {r.api} {r.capability} {r.case_id}: {r.headline()}")
        if self.diff:
            for r in self.diff.regressions:
                out.append(f"FAIL  regression    {r.api} {r.capability} {r.case_id} (passed in the baseline)")
        for d in self.expired:
            out.append(
                f"FAIL  expired waiver {d.api} {d.check} ({d.ticket}, expired {d.expires}): "
                f"{d.reason} — renew it with a new date or fix the API"
            )
        for r in self.should_failures:
            word = "FAIL " if self.fail_on_should else "warn "
            out.append(f"{word} SHOULD failure {r.api} {r.capability} {r.case_id}: {r.headline()}")
        for r in self.flaky:
            out.append(f"flaky {r.api} {r.capability} {r.case_id}: passed on attempt {r.attempts}")
        for d in self.waiving:
            out.append(f"waived {d.api} {d.check} ({d.ticket}, until {d.expires}): {d.reason}")
        for d in self.fixed_waivers:
            out.append(f"fixed waived check passes: {d.api} {d.check} ({d.ticket}) — remove the waiver")
        if self.diff:
            out += [f"fixed {r.api} {r.case_id}" for r in self.diff.fixed]
            out += [f"new   failure      {r.api} {r.case_id}" for r in self.diff.new_failures]
            if self.diff.missing:
                out.append(f"note  {len(self.diff.missing)} baseline case(s) did not run this time")
        out.append(self.verdict_line())
        return out


def expired_deviations(run: RunResult, today: dt.date) -> list[WaiverOutcome]:
    return [d for d in run.deviations if d.expired_on(today)]


def evaluate(
    run: RunResult, baseline: RunResult | None, today: dt.date, *, fail_on_should: bool = False
) -> GateResult:
    """The gate over `run`: against `baseline` when given, else against the diff the run recorded."""
    failing = run.failures()
    expired = expired_deviations(run, today)
    notes = []
    if baseline is not None and baseline.target != run.target:
        notes.append(
            f"note  the baseline is a {baseline.target} run, this is a {run.target} run: "
            "regressions may be the target's, not the API's"
        )
    if run.partial:
        notes.append(f"note  partial run ({'; '.join(run.partial)}): the gate judges only what ran")
    return GateResult(
        must_failures=[r for r in failing if r.failed_severity() == "MUST"],
        should_failures=[r for r in failing if r.failed_severity() == "SHOULD"],
        expired=expired,
        fixed_waivers=[d for d in run.deviations if d.status == "fixed"],
        diff=diff(run, baseline) if baseline is not None else Diff.recorded(run),
        waiving=[d for d in run.deviations if d.status == "waiving" and d not in expired],
        fail_on_should=fail_on_should,
        flaky=run.flaky(),
        notes=notes,
    )
