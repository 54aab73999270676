"""Waivers (profile `deviations:`): which one covers a failed check, whether it still holds, and
what a run made of each. The one place waiver logic lives; the judge, the report and the gate use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from conformance.contracts.models import Deviation
from conformance.report.model import RunResult, WaiverOutcome, WaiverStatus, waiver_expired


def matching(deviations: Iterable[Deviation], check: str, rule_key: str) -> Deviation | None:
    """The waiver of `check` (for every rule, or narrowed to `rule_key`), if the profile has one."""
    return next((d for d in deviations if d.check == check and d.rule in (None, rule_key)), None)


def expired(expires: dt.date | str, today: dt.date) -> bool:
    """A waiver has expired once its date is in the past (it still holds on the day itself)."""
    return waiver_expired(expires, today)


def describe(deviation: Deviation) -> str:
    return f"waiver {deviation.ticket} (expires {deviation.expires}): {deviation.reason}"


def outcomes(
    run: RunResult, deviations: Mapping[str, Iterable[Deviation]], today: dt.date
) -> list[WaiverOutcome]:
    """Every waiver of the selected APIs with its status: waiving, fixed (its check passed),
    expired, or not exercised. Read from the results model, so it is right under xdist."""
    out: list[WaiverOutcome] = []
    for api, declared in deviations.items():
        for deviation in declared:
            verdicts = [
                c.verdict
                for r in run.results
                if r.api == api
                for c in r.checks
                if c.name == deviation.check and deviation.rule in (None, c.rule_key)
            ]
            status: WaiverStatus
            if expired(deviation.expires, today):
                status = "expired"
            elif "waived" in verdicts:
                status = "waiving"
            elif "pass" in verdicts:
                status = "fixed"
            else:
                status = "not exercised"
            out.append(
                WaiverOutcome(
                    api=api,
                    check=deviation.check,
                    rule=deviation.rule,
                    reason=deviation.reason,
                    ticket=deviation.ticket,
                    expires=deviation.expires.isoformat(),
                    status=status,
                    waived_cases=verdicts.count("waived"),
                    passed_cases=verdicts.count("pass"),
                    failed_cases=verdicts.count("fail"),
                )
            )
    return out
