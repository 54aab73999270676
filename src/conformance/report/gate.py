"""The CI gate: a run against a baseline and the profiles' waivers (`deviations:`).

The gate fails on
- any failure (or error) of a MUST rule that no live waiver covers,
- any regression: a case that passed in the baseline and fails now (any severity),
- any expired waiver: a deviation whose `expires` date is before today, whether or not its
  check still fails — an expired waiver is a decision nobody renewed.

A waived check that passes is reported as fixed (the waiver can go); it does not fail the gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from conformance.report.model import FAILING, RunResult, TestResult, WaiverOutcome


@dataclass
class Diff:
    """How a run differs from a baseline, by case id."""

    new_failures: list[TestResult] = field(default_factory=list)
    regressions: list[TestResult] = field(default_factory=list)  # passed in the baseline
    fixed: list[TestResult] = field(default_factory=list)
    still_failing: list[TestResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the baseline, not run now

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
            else:
                result.new_failures.append(r)
                if old is not None and old.verdict == "pass":
                    result.regressions.append(r)
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

    @property
    def passed(self) -> bool:
        regressions = self.diff.regressions if self.diff else []
        return not (self.must_failures or self.expired or regressions)

    def lines(self) -> list[str]:
        out: list[str] = []
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
            out.append(f"warn  SHOULD failure {r.api} {r.capability} {r.case_id}: {r.headline()}")
        for d in self.waiving:
            out.append(f"waived {d.api} {d.check} ({d.ticket}, until {d.expires}): {d.reason}")
        for d in self.fixed_waivers:
            out.append(f"fixed waived check passes: {d.api} {d.check} ({d.ticket}) — remove the waiver")
        if self.diff:
            out += [f"fixed {r.api} {r.case_id}" for r in self.diff.fixed]
            out += [f"new   failure      {r.api} {r.case_id}" for r in self.diff.new_failures]
            if self.diff.missing:
                out.append(f"note  {len(self.diff.missing)} baseline case(s) did not run this time")
        out.append("gate: " + ("PASSED" if self.passed else "FAILED"))
        return out


def expired_deviations(run: RunResult, today: dt.date) -> list[WaiverOutcome]:
    return [d for d in run.deviations if d.expired_on(today)]


def evaluate(run: RunResult, baseline: RunResult | None, today: dt.date) -> GateResult:
    failing = [r for r in run.results if r.verdict in FAILING]
    expired = expired_deviations(run, today)
    return GateResult(
        must_failures=[r for r in failing if r.failed_severity() == "MUST"],
        should_failures=[r for r in failing if r.failed_severity() == "SHOULD"],
        expired=expired,
        fixed_waivers=[d for d in run.deviations if d.status == "fixed"],
        diff=diff(run, baseline) if baseline is not None else None,
        waiving=[d for d in run.deviations if d.status == "waiving" and d not in expired],
    )
