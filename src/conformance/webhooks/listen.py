"""`conformance webhook listen`: for vendor sandboxes, where webhooks are registered by hand.

Every delivery received is judged against the contract (a documented event, its payload schema,
the expected custom headers) by the one judge, and the verdicts go into the report directory as a
conformance run (conformance.json / junit.xml / conformance.html, capability `webhooks`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.checks.webhooks import payload, webhooks_custom_headers, webhooks_payload_conforms
from conformance.contracts import Contract, Rule
from conformance.contracts.models import WebhookEvent
from conformance.core import Exchange, Verdict
from conformance.report import CheckResult, RunResult, TestResult, write_all
from conformance.verdicts import judge


@dataclass
class DeliveryJudge:
    """Judges deliveries of one API against its contract and keeps the verdicts."""

    contract: Contract
    expected_headers: Mapping[str, str] = field(default_factory=dict)
    results: list[TestResult] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    def event_of(self, delivery: Exchange) -> WebhookEvent | None:
        hooks = self.contract.profile.webhooks
        if hooks is None:
            return None
        body = payload(delivery)
        named = body.get("event") if isinstance(body, dict) else None
        by_name = next((e for e in hooks.events if e.name == named), None)
        return by_name or (hooks.events[0] if len({e.payload_schema for e in hooks.events}) == 1 else None)

    def judge(self, delivery: Exchange) -> TestResult:
        hooks = self.contract.profile.webhooks
        checks: list[CheckResult] = []
        verdict: Verdict = "pass"
        reason = ""
        event = self.event_of(delivery)
        if hooks is None:
            verdict, reason = "not-applicable", f"{self.contract.api} documents no webhooks"
        elif event is None:
            verdict, reason = "fail", "the delivery names no documented event"
        else:
            steps: list[tuple[Callable[..., None], Rule, dict[str, Any]]] = [
                (
                    webhooks_payload_conforms,
                    hooks.payload_conforms or hooks.delivery,
                    {
                        "delivery": delivery,
                        "schema": self.contract.resolved_schema(event.payload_schema),
                        "schema_name": event.payload_schema,
                    },
                )
            ]
            if self.expected_headers and hooks.custom_headers_sent is not None:
                steps.append(
                    (
                        webhooks_custom_headers,
                        hooks.custom_headers_sent,
                        {"delivery": delivery, "headers": dict(self.expected_headers)},
                    )
                )
            for check, rule, arguments in steps:
                judgement = judge(
                    check, rule, arguments, contract=self.contract, against_mock=False, today=self.today
                )
                checks.append(judgement.result)
                if judgement.failure is not None and judgement.verdict == "fail":
                    failure = judgement.failure
                    verdict = "fail"
                    reason = f"{failure.title}: expected {failure.expected}; actual {failure.actual}"
                    break
        result = TestResult(
            nodeid=f"webhook-listen::delivery-{delivery.id}",
            api=self.contract.api,
            capability="webhooks",
            test=f"delivery {delivery.id}" + (f" ({event.name})" if event else ""),
            verdict=verdict,
            reason=reason,
            checks=checks,
        )
        self.results.append(result)
        return result

    def write(self, directory: Path, started: str) -> list[Path]:
        run = RunResult(
            target="webhook-listen",
            apis=[self.contract.api],
            started=started,
            finished=RunResult.now(),
            results=list(self.results),
        )
        return write_all(run, directory)
