"""Webhook checks over the deliveries a local receiver recorded (each delivery is an exchange:
the vendor's POST and our answer)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
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


class WebhookWrongEvent(CheckFailure):
    title = "Webhook delivered under another event name"


class WebhookStatusWrong(CheckFailure):
    title = "Webhook payload does not carry the new status"


class WebhookNotTheEntity(CheckFailure):
    title = "Webhook payload is not the full entity"


class WebhookUnsubscribedStatus(CheckFailure):
    title = "Webhook fired for a status it was not registered for"


@check("webhooks", judges="webhooks.delivery")
def webhooks_delivered(
    rule: Rule,
    deliveries: Sequence[Exchange],
    event: str,
    entity_id: str,
    payload_id: str,
    cause: Exchange | None = None,
    event_pointer: str | None = None,
) -> None:
    """Causing an event POSTs it to the registered URL, about the entity that changed, and (where
    the payload names its event, `event_pointer`) under that event's name and no other."""
    about = _about(deliveries, entity_id, payload_id)
    if about and event_pointer is not None:
        names = [at(payload(d), event_pointer) for d in about]
        if event not in names or any(n != event for n in names):
            raise WebhookWrongEvent(
                f"deliveries about {entity_id} named {event!r}",
                f"event names {names}",
                ([cause] if cause else []) + about[:3],
            )
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


@check("webhooks", judges="webhooks.payload_status")
def webhooks_payload_status(rule: Rule, delivery: Exchange, status_pointer: str, status: str) -> None:
    """A status-change delivery carries the entity's new status."""
    got = at(payload(delivery), status_pointer)
    if got != status:
        raise WebhookStatusWrong(f"{status_pointer} {status!r}", f"{got!r}", [delivery])


@check("webhooks", judges="webhooks.payload_is_entity")
def webhooks_payload_is_entity(
    rule: Rule, delivery: Exchange, entity: Exchange, fields: Collection[str] | None = None
) -> None:
    """A delivery's body is the full entity: every field a read of the entity returns is in the
    payload with the same value (a payload may add fields). `fields`: the entity's documented
    fields ("for details on the data refer to create end point"): only those are compared, so
    what a read adds beyond the documents (links, server metadata) need not be in the payload."""
    body, read = payload(delivery), entity.json()
    if not entity.ok or not isinstance(read, dict):
        raise WebhookNotTheEntity(
            "the entity read back (2xx) to compare with", f"HTTP {entity.status}", [entity]
        )
    if not isinstance(body, dict):
        raise WebhookNotTheEntity("a JSON object payload", f"{type(body).__name__}", [delivery])
    compared = [k for k in read if fields is None or k in fields]
    missing = sorted(k for k in compared if k not in body)
    differ = sorted(k for k in compared if k in body and body[k] != read[k])
    if missing or differ:
        raise WebhookNotTheEntity(
            f"every field of the entity ({', '.join(sorted(compared))})",
            (f"missing {missing}" if missing else "")
            + ("; " if missing and differ else "")
            + (f"different {differ}" if differ else ""),
            [delivery, entity],
        )


@check("webhooks", judges="webhooks.several_events")
def webhooks_several_events_delivered(
    rule: Rule, deliveries: Sequence[Exchange], wanted: Mapping[str, str], payload_id: str
) -> None:
    """One URL registered for several events gets each of them (`wanted`: event -> entity id)."""
    missing = [event for event, entity_id in wanted.items() if not _about(deliveries, entity_id, payload_id)]
    if missing:
        raise WebhookNotDelivered(
            f"a delivery for each of {', '.join(wanted)} on the one URL",
            f"none for {', '.join(missing)} ({len(deliveries)} deliveries)",
            list(deliveries[:3]),
        )


@check("webhooks", judges="webhooks.status_subscription")
def webhooks_only_subscribed_status(
    rule: Rule,
    deliveries: Sequence[Exchange],
    entity_id: str,
    payload_id: str,
    status_pointer: str,
    status: str,
) -> None:
    """A webhook registered for one status fires when the entity reaches it, and not for a change to
    another status."""
    about = _about(deliveries, entity_id, payload_id)
    others = [d for d in about if at(payload(d), status_pointer) != status]
    if others or not about:
        raise WebhookUnsubscribedStatus(
            f"deliveries only for {status!r}",
            f"statuses delivered: {[at(payload(d), status_pointer) for d in about]}",
            about[:3] or list(deliveries[:3]),
        )
