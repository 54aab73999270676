"""Webhooks: a local receiver on 127.0.0.1 is registered through the target's control plane; the
suite causes each documented event (one case per event) and checks delivery, payload schema,
custom headers and the retry of a delivery the receiver refuses. Vendor sandboxes register webhooks
by hand: run `conformance webhook listen --api <id>` there instead (it judges every delivery)."""

from __future__ import annotations

import secrets

import pytest

from conformance import checks, documented, not_applicable
from conformance.core import jsonpointer
from conformance.webhooks import ServedReceiver, WebhookReceiver

pytestmark = [pytest.mark.capability("webhooks"), pytest.mark.writes, pytest.mark.control_plane]


@pytest.fixture
def receiver(target):
    served = ServedReceiver(WebhookReceiver(target.redactor)).start()
    yield served
    served.stop()


def _cause(contract, client, control, event):
    """Cause the event; return the id of the entity it is about and the exchange that made it."""
    resource = contract.profile.operations.resources[event.resource]
    if resource.create is None:
        not_applicable(f"{event.resource} cannot be created to cause {event.name}")
    body = client.example(resource.create)
    for pointer, value in (event.create_body or {}).items():
        body = jsonpointer.with_value(body, pointer, value)
    created = client.call(resource.create, json=body)
    assert created.ok, f"could not create the entity for {event.name}: {created.summary()}"
    entity_id = str(created.json_at(event.response_id))
    if event.cause == "status_change":
        control.set_status(event.resource, entity_id, event.status or "CHANGED")
    else:
        control.pump_webhooks()
    return entity_id, created


def _register(control, receiver, event, headers=None):
    control.register_webhook(receiver.url, events=[event.name], headers=headers or {})


def test_events_delivered(contract, client, control, receiver, verify, webhook_event):
    _register(control, receiver, webhook_event)
    entity_id, created = _cause(contract, client, control, webhook_event)
    verify(
        checks.webhooks.webhooks_delivered,
        contract.profile.webhooks.delivery,
        deliveries=receiver.receiver.deliveries,
        event=webhook_event.name,
        entity_id=entity_id,
        payload_id=webhook_event.payload_id,
        cause=created,
    )


def _last_delivery(receiver, event, entity_id):
    """The last delivery about `entity_id`; a missing one is test_events_delivered's failure."""
    about = [
        d
        for d in receiver.receiver.deliveries
        if str(jsonpointer.get(d.request_json(), event.payload_id)) == entity_id
    ]
    if not about:
        pytest.fail(f"no delivery for {event.name} (see test_events_delivered)")
    return about[-1]


def test_payload_conforms(contract, client, control, receiver, verify, webhook_event):
    rule = documented(contract.profile.webhooks.payload_conforms, "webhooks.payload_conforms")
    _register(control, receiver, webhook_event)
    entity_id, _ = _cause(contract, client, control, webhook_event)
    verify(
        checks.webhooks.webhooks_payload_conforms,
        rule,
        delivery=_last_delivery(receiver, webhook_event, entity_id),
        schema=contract.resolved_schema(webhook_event.payload_schema),
        schema_name=webhook_event.payload_schema,
    )


def test_custom_headers_sent(contract, client, control, receiver, verify):
    hooks = contract.profile.webhooks
    if not hooks.custom_headers:
        not_applicable("not documented: webhooks carry no custom headers")
    rule = documented(hooks.custom_headers_sent, "webhooks.custom_headers_sent")
    event = hooks.events[0]
    headers = {"X-Conformance-Hook": secrets.token_hex(8)}
    _register(control, receiver, event, headers)
    entity_id, _ = _cause(contract, client, control, event)
    verify(
        checks.webhooks.webhooks_custom_headers,
        rule,
        delivery=_last_delivery(receiver, event, entity_id),
        headers=headers,
    )


def test_failed_delivery_retried(contract, client, control, receiver, verify):
    hooks = contract.profile.webhooks
    event = hooks.events[0]
    _register(control, receiver, event)
    receiver.receiver.script([500])
    entity_id, _ = _cause(contract, client, control, event)
    control.advance(hooks.retry_delay_seconds)  # the mock retries on its clock; nothing sleeps
    verify(
        checks.webhooks.webhooks_retried_on_failure,
        hooks.retry_on_failure,
        deliveries=receiver.receiver.deliveries,
        entity_id=entity_id,
        payload_id=event.payload_id,
    )
