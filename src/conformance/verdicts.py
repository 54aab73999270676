"""The one judge: runs a check on recorded evidence against one rule and returns a typed result.

No pytest here. The plugin maps a `Judgement` onto pytest outcomes; `conformance webhook listen`
keeps it as it is. Waivers (profile deviations) and mock-only rules are decided here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.checks import CheckInfo, info
from conformance.checks._registry import CheckDeclarationError
from conformance.contracts import Contract, Rule
from conformance.core import CheckFailure, Exchange, NotApplicable
from conformance.report import waivers
from conformance.report.model import CheckResult

MAX_EVIDENCE = 12
MAX_SEQUENCE_EVIDENCE = 60  # a failing sequence keeps every step's exchange: the reproduction runs them all
MOCK_ONLY_REASON = "invented rule: checked against the built-in mocks only"


@dataclass
class Judgement:
    """A check's verdict on one rule: the result the reports show, and for a failure the typed
    failure and the text a terminal shows."""

    result: CheckResult
    failure: CheckFailure | None = None
    text: str = ""

    @property
    def verdict(self) -> str:
        return self.result.verdict


def exchanges_in(values: Iterable[Any]) -> list[Exchange]:
    """The exchanges among a check's arguments (single or in sequences), in order."""
    found: list[Exchange] = []
    for value in values:
        if isinstance(value, Exchange):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(v for v in value if isinstance(v, Exchange))
    return found


def evidence(exchanges: Sequence[Exchange], limit: int = MAX_EVIDENCE) -> list[dict[str, Any]]:
    """The exchanges a report shows: each once, at most `limit` (first and last halves)."""
    unique = list({e.id: e for e in exchanges}.values())
    if len(unique) > limit:
        half = limit // 2
        unique = unique[:half] + unique[-half:]
    return [e.to_dict() for e in unique]


def render_failure(failure: CheckFailure, rule: Rule, contract: Contract, check: CheckInfo) -> str:
    """The failure as a terminal shows it: title, expected, actual, the rule quoted, where it is."""
    lines = [
        f"{type(failure).__name__}: {failure.title}",
        f"Expected: {failure.expected}",
        f"Actual:   {failure.actual}",
        f"Rule ({rule.severity}, {rule.x_source}): \u201c{rule.clause}\u201d \u2014 {rule.source}",
        f"Contract: {contract.directory.parent.name}/{contract.api}/profile.yaml \u2192 {rule.key}  "
        f"(check {check.name})",
    ]
    if failure.steps:
        count = len(failure.steps)
        lines.append(
            f"Sequence ({count} step{'s' if count != 1 else ''}, shrunk: the fewest that still fail):"
        )
        lines += [f"  {step}" for step in failure.steps]
    if failure.evidence:
        lines.append("Reproduce:")
        lines += [f"  {e.to_curl()}" for e in failure.evidence[-2:]]
    return "\n".join(lines)


def judge(
    check: Callable[..., None],
    rule: Rule,
    arguments: Mapping[str, Any],
    *,
    contract: Contract,
    against_mock: bool,
    today: dt.date,
) -> Judgement:
    """Run `check(rule, **arguments)` and judge the outcome.

    `against_mock`: the target is one of our mocks (it offers the control plane); invented rules
    are judged only then. A failure covered by a waiver that has not expired is "waived"; an expired
    waiver leaves the failure standing and says so.
    """
    registered = info(check)
    if not isinstance(rule, registered.rule_type):
        raise CheckDeclarationError(
            f"{registered.name} judges {registered.rule_type.__name__} rules; got a "
            f"{type(rule).__name__} at {rule.key!r}"
        )
    if not registered.accepts(rule.key):
        raise CheckDeclarationError(
            f"{registered.name} judges rules at {', '.join(registered.judges)}; got {rule.key!r}"
        )
    shown = exchanges_in(arguments.values())
    result = CheckResult(
        name=registered.name,
        capability=registered.capability,
        rule_key=rule.key,
        severity=rule.severity,
        x_source=rule.x_source,
        source=rule.source,
        clause=rule.clause,
        verdict="pass",
        evidence=evidence(shown),
    )
    if rule.mock_only and not against_mock:
        result.verdict, result.reason = "not-applicable", MOCK_ONLY_REASON
        return Judgement(result)
    try:
        check(rule, **arguments)
    except NotApplicable as outcome:
        result.verdict, result.reason = "not-applicable", outcome.reason
        return Judgement(result)
    except CheckFailure as failure:
        result.verdict = "fail"
        result.title = f"{type(failure).__name__}: {failure.title}"
        result.expected, result.actual = failure.expected, failure.actual
        if failure.steps:  # a sequence: its exchanges in the order sent, every one (up to a bound)
            result.steps = list(failure.steps)
            result.evidence = evidence(sorted(shown, key=lambda e: e.id), MAX_SEQUENCE_EVIDENCE)
        else:
            result.evidence = evidence([*failure.evidence, *shown])
        result.culprits = [e.id for e in failure.evidence]  # the exchanges that broke the rule
        text = render_failure(failure, rule, contract, registered)
        waiver = waivers.matching(contract.profile.deviations, registered.name, rule.key)
        if waiver is not None:
            if not waivers.expired(waiver.expires, today):
                result.verdict, result.reason = "waived", waivers.describe(waiver)
            else:
                result.reason = f"EXPIRED {waivers.describe(waiver)}"
                text += f"\nThe {result.reason} no longer applies."
        return Judgement(result, failure, text)
    return Judgement(result)
