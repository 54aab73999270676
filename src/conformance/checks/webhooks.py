"""Webhook checks over the deliveries a local receiver recorded (each delivery is an exchange:
the vendor's POST and our answer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.checks._helpers import at, schema_problems
from conformance.checks._registry import check
from conformance.contracts.models import Rule
from conformance.core import CheckFailure, Exchange


class WebhookNotDelivered(CheckFailure):
    title = "Event not delivered to the registered URL"


class WebhookPayloadViolated(CheckFailure):
    title = "Webhook payload does not match the contract"


class WebhookHeaderMissing(CheckFailure):
    title = "Webhook without the configured custom headers"


class WebhookNotRetried(CheckFailure):
    title = "Failed webhook delivery not retried"


def payload(delivery: Exchange) -> Any:
    """A delivery's body as JSON (None when it is not JSON)."""
    return delivery.request_json()


def _about(deliveries: Sequence[Exchange], entity_id: str, payload_id: str) -> list[Exchange]:
    return [d for d in deliveries if str(at(payload(d), payload_id)) == str(entity_id)]


@check("webhooks", judges="webhooks.delivery")
def webhooks_delivered(
    rule: Rule,
    deliveries: Sequence[Exchange],
    event: str,
    entity_id: str,
    payload_id: str,
    cause: Exchange | None = None,
) -> None:
    """Causing an event POSTs it to the registered URL, about the entity that changed."""
    about = _about(deliveries, entity_id, payload_id)
    if not about or any(d.method != "POST" for d in about):
        seen = [f"{d.method} {at(payload(d), payload_id)!s}" for d in deliveries]
        evidence = ([cause] if cause else []) + list(deliveries[:3])
        raise WebhookNotDelivered(
            f"a POST for {event} with {payload_id} = {entity_id}",
            f"{len(deliveries)} deliveries: {seen[:5]}",
            evidence,
        )


@check("webhooks", judges=("webhooks.payload_conforms", "webhooks.delivery"))
def webhooks_payload_conforms(
    rule: Rule, delivery: Exchange, schema: dict[str, Any], schema_name: str
) -> None:
    """A delivery's body matches the documented payload schema."""
    body = payload(delivery)
    problems = schema_problems(schema, body) if body is not None else ["not JSON"]
    if problems:
        raise WebhookPayloadViolated(f"a payload matching {schema_name}", "; ".join(problems[:3]), [delivery])


@check("webhooks", judges="webhooks.custom_headers_sent")
def webhooks_custom_headers(rule: Rule, delivery: Exchange, headers: Mapping[str, str]) -> None:
    """A delivery carries the custom headers registered with the webhook."""
    missing = {k: v for k, v in headers.items() if delivery.request_header(k) != v}
    if missing:
        got = {k: delivery.request_header(k) for k in missing}
        raise WebhookHeaderMissing(f"headers {dict(headers)}", f"{got}", [delivery])


@check("webhooks", judges="webhooks.retry_on_failure")
def webhooks_retried_on_failure(
    rule: Rule, deliveries: Sequence[Exchange], entity_id: str, payload_id: str
) -> None:
    """A delivery answered with a non-2xx status is delivered again."""
    about = _about(deliveries, entity_id, payload_id)
    failed = [d for d in about if not d.ok]
    if not failed:
        raise WebhookNotRetried(
            "a first delivery we refused", f"{len(about)} deliveries, none refused", about
        )
    later = about[about.index(failed[0]) + 1 :]
    if not any(d.request_body == failed[0].request_body for d in later):
        raise WebhookNotRetried(
            "the refused delivery sent again",
            f"{len(about)} deliveries in all",
            about or list(deliveries[:3]),
        )
