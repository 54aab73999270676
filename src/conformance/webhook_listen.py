"""`conformance webhook listen`: for vendor sandboxes, where webhooks are registered by hand.

Every delivery received is judged against the contract (a documented event, its payload schema,
the expected custom headers) and the verdicts go into the report directory as a conformance run
(conformance.json / junit.xml / conformance.html, capability `webhooks`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.checks import CheckFailure
from conformance.checks.webhooks import payload, webhooks_custom_headers, webhooks_payload_conforms
from conformance.client import Exchange
from conformance.contracts import Contract
from conformance.contracts.models import WebhookEvent
from conformance.report import CheckResult, RunResult, TestResult, write_all


@dataclass
class DeliveryJudge:
    """Judges deliveries of one API against its contract and keeps the verdicts."""

    contract: Contract
    expected_headers: Mapping[str, str] = field(default_factory=dict)
    results: list[TestResult] = field(default_factory=list)

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
        verdict, reason = "pass", ""
        event = self.event_of(delivery)
        if hooks is None:
            verdict, reason = "not-applicable", f"{self.contract.api} documents no webhooks"
        elif event is None:
            verdict, reason = "fail", "the delivery names no documented event"
        else:
            rule = hooks.payload_conforms or hooks.delivery
            outcome = self._run(
                webhooks_payload_conforms,
                rule,
                "webhooks.payload_conforms",
                checks,
                delivery=delivery,
                schema=self.contract.resolved_schema(event.payload_schema),
                schema_name=event.payload_schema,
            )
            if outcome is None and self.expected_headers and hooks.custom_headers_sent is not None:
                outcome = self._run(
                    webhooks_custom_headers,
                    hooks.custom_headers_sent,
                    "webhooks.custom_headers_sent",
                    checks,
                    delivery=delivery,
                    headers=self.expected_headers,
                )
            if outcome is not None:
                verdict, reason = (
                    "fail",
                    f"{outcome.title}: expected {outcome.expected}; actual {outcome.actual}",
                )
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

    def _run(
        self, check: Any, rule: Any, key: str, out: list[CheckResult], **kwargs: Any
    ) -> CheckFailure | None:
        result = CheckResult(
            name=check.__name__,
            capability="webhooks",
            rule_key=key,
            severity=rule.severity,
            x_source=rule.x_source,
            source=rule.source,
            clause=rule.clause,
            verdict="pass",
            evidence=[kwargs["delivery"].to_dict()],
        )
        out.append(result)
        try:
            check(rule, **kwargs)
        except CheckFailure as failure:
            result.verdict, result.title = "fail", f"{type(failure).__name__}: {failure.title}"
            result.expected, result.actual = failure.expected, failure.actual
            return failure
        return None

    def write(self, directory: Path, started: str) -> list[Path]:
        run = RunResult(
            target="webhook-listen",
            apis=[self.contract.api],
            started=started,
            finished=RunResult.now(),
            results=list(self.results),
        )
        return write_all(run, directory)
