"""Webhooks: a local receiver on 127.0.0.1 gets each documented event (one case per event) and the
suite checks delivery, payload schema, custom headers and the retry of a delivery it refuses.

On a mock the receiver is registered through the control plane and time passes on the mock's
clock. On a live target (a vendor's sandbox) the vendor was told where to deliver: set
CONFORMANCE_<API>_WEBHOOK_LISTEN=host:port (and, where the API sends custom headers,
CONFORMANCE_<API>_WEBHOOK_HEADERS as a JSON object of them); the suite listens there, causes the
events through the API itself (a create; a status change where the profile says how) and waits, in
real time and bounded by --max-expiry-wait, for what arrives. Without it the cases skip, saying so.
"""

from __future__ import annotations

import json
import secrets
import time

import pytest

from conformance import checks, documented, not_applicable
from conformance.core import jsonpointer
from conformance.webhooks import LISTEN_NEEDED, start_receiver

pytestmark = [pytest.mark.capability("webhooks"), pytest.mark.writes]


@pytest.fixture
def receiver(target):
    served = start_receiver(target)
    if served is None:
        pytest.skip(f"needs {', '.join(target.missing('WEBHOOK_LISTEN'))}: {LISTEN_NEEDED}")
    yield served
    served.stop()


def _configured_headers(target) -> dict[str, str] | None:
    raw = target.config.get("WEBHOOK_HEADERS")
    return {str(k): str(v) for k, v in json.loads(raw).items()} if raw else None


def _register(target, receiver, event, headers=None, statuses=()):
    if target.control is not None:
        target.control.register_webhook(
            receiver.url, events=[event.name], headers=headers or {}, statuses=statuses
        )


def _cause(contract, target, client, event):
    """Cause the event; return the id of the entity it is about and the exchange that made it."""
    resource = contract.profile.operations.resources[event.resource]
    if resource.create is None:
        not_applicable(f"{event.resource} cannot be created to cause {event.name}")
    if event.cause == "status_change" and target.control is None and event.via_api is None:
        pytest.skip(f"the API offers no way to cause {event.name}: change the status on the sandbox by hand")
    body = client.example(resource.create)
    for pointer, value in (event.create_body or {}).items():
        body = jsonpointer.with_value(body, pointer, value)
    created = client.call(resource.create, json=body)
    assert created.ok, f"could not create the entity for {event.name}: {created.summary()}"
    entity_id = str(created.json_at(event.response_id))
    if event.cause == "create":
        if target.control is not None:
            target.control.pump_webhooks()
    elif target.control is not None:
        target.control.set_status(event.resource, entity_id, event.status or "CHANGED")
    else:
        change = event.via_api
        update = client.example(change.operation) or {}
        for pointer, value in change.set.items():
            update = jsonpointer.with_value(update, pointer, value)
        client.call(change.operation, path_params={"id": entity_id}, json=update)
    return entity_id, created


def _about(receiver, event, entity_id):
    return [
        d
        for d in receiver.receiver.deliveries
        if str(jsonpointer.get(d.request_json(), event.payload_id)) == entity_id
    ]


def _arrived(target, receiver, event, entity_id, *, count=1):
    """The deliveries about the entity: at once on a mock, after a bounded real wait live."""
    deadline = time.monotonic() + (0 if target.control is not None else target.max_wait_seconds)
    while len(_about(receiver, event, entity_id)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return receiver.receiver.deliveries


def test_events_delivered(contract, target, client, receiver, verify, webhook_event):
    _register(target, receiver, webhook_event)
    entity_id, created = _cause(contract, target, client, webhook_event)
    verify(
        checks.webhooks.webhooks_delivered,
        contract.profile.webhooks.delivery,
        deliveries=_arrived(target, receiver, webhook_event, entity_id),
        event=webhook_event.name,
        entity_id=entity_id,
        payload_id=webhook_event.payload_id,
        cause=created,
        event_pointer=contract.profile.webhooks.event_pointer,
    )


def _last_delivery(target, receiver, event, entity_id):
    """The last delivery about `entity_id`; a missing one is test_events_delivered's failure."""
    _arrived(target, receiver, event, entity_id)
    about = _about(receiver, event, entity_id)
    if not about:
        pytest.fail(f"no delivery for {event.name} (see test_events_delivered)")
    return about[-1]


def test_payload_conforms(contract, target, client, receiver, verify, webhook_event):
    rule = documented(contract.profile.webhooks.payload_conforms, "webhooks.payload_conforms")
    _register(target, receiver, webhook_event)
    entity_id, _ = _cause(contract, target, client, webhook_event)
    verify(
        checks.webhooks.webhooks_payload_conforms,
        rule,
        delivery=_last_delivery(target, receiver, webhook_event, entity_id),
        schema=contract.resolved_schema(webhook_event.payload_schema),
        schema_name=webhook_event.payload_schema,
    )


def test_custom_headers_sent(contract, target, client, receiver, verify):
    hooks = contract.profile.webhooks
    if not hooks.custom_headers:
        not_applicable("not documented: webhooks carry no custom headers")
    rule = documented(hooks.custom_headers_sent, "webhooks.custom_headers_sent")
    event = hooks.events[0]
    if target.control is not None:
        headers = {"X-Conformance-Hook": secrets.token_hex(8)}
    else:
        headers = _configured_headers(target)
        if not headers:
            pytest.skip(
                f"needs {', '.join(target.missing('WEBHOOK_HEADERS'))}: the custom headers the vendor was "
                "told to send, as a JSON object"
            )
    _register(target, receiver, event, headers)
    entity_id, _ = _cause(contract, target, client, event)
    verify(
        checks.webhooks.webhooks_custom_headers,
        rule,
        delivery=_last_delivery(target, receiver, event, entity_id),
        headers=headers,
    )


def test_failed_delivery_retried(contract, target, client, receiver, verify):
    hooks = contract.profile.webhooks
    if target.control is None and hooks.retry_delay_seconds > target.max_wait_seconds:
        pytest.skip(
            f"a first retry may take {hooks.retry_delay_seconds:g} s (webhooks.retry_delay_seconds), "
            f"longer than the real wait allowed ({target.max_wait_seconds:g} s, --max-expiry-wait)"
        )
    event = hooks.events[0]
    _register(target, receiver, event)
    receiver.receiver.script([500])
    entity_id, _ = _cause(contract, target, client, event)
    if target.control is not None:
        target.control.advance(hooks.retry_delay_seconds)  # the mock retries on its clock
    verify(
        checks.webhooks.webhooks_retried_on_failure,
        hooks.retry_on_failure,
        deliveries=_arrived(target, receiver, event, entity_id, count=2),
        entity_id=entity_id,
        payload_id=event.payload_id,
    )


def _status_change(contract, event):
    if event.cause != "status_change" or not event.status:
        not_applicable(f"{event.name} is not raised by a change to a named status")


def test_payload_status(contract, target, client, receiver, verify, webhook_event):
    hooks = contract.profile.webhooks
    rule = documented(hooks.payload_status, "webhooks.payload_status")
    pointer = documented(hooks.status_pointer, "webhooks.status_pointer")
    _status_change(contract, webhook_event)
    _register(target, receiver, webhook_event)
    entity_id, _ = _cause(contract, target, client, webhook_event)
    verify(
        checks.webhooks.webhooks_payload_status,
        rule,
        delivery=_last_delivery(target, receiver, webhook_event, entity_id),
        status_pointer=pointer,
        status=webhook_event.status,
    )


def test_payload_is_entity(contract, target, client, receiver, verify, webhook_event):
    """The delivery against a read of the entity made right after it (nothing changed between)."""
    rule = documented(contract.profile.webhooks.payload_is_entity, "webhooks.payload_is_entity")
    resource = contract.profile.operations.resources[webhook_event.resource]
    if resource.get is None:
        not_applicable(f"{webhook_event.resource} cannot be read back to compare")
    _register(target, receiver, webhook_event)
    entity_id, _ = _cause(contract, target, client, webhook_event)
    delivery = _last_delivery(target, receiver, webhook_event, entity_id)
    entity = client.call(resource.get, path_params={"id": entity_id})
    verify(
        checks.webhooks.webhooks_payload_is_entity,
        rule,
        delivery=delivery,
        entity=entity,
        fields=contract.documented_fields(resource.get),
    )


@pytest.mark.control_plane
def test_one_url_several_events(contract, target, client, receiver, control, verify):
    """One receiver registered for two events (of one payload shape) gets both."""
    hooks = contract.profile.webhooks
    rule = documented(hooks.several_events, "webhooks.several_events")
    first = hooks.events[0]
    second = next((e for e in hooks.events[1:] if e.payload_id == first.payload_id), None)
    if second is None:
        not_applicable("no two events share a payload shape")
    control.register_webhook(receiver.url, events=[first.name, second.name])
    wanted = {}
    for event in (first, second):
        entity_id, _ = _cause(contract, target, client, event)
        _arrived(target, receiver, event, entity_id)
        wanted[event.name] = entity_id
    verify(
        checks.webhooks.webhooks_several_events_delivered,
        rule,
        deliveries=receiver.receiver.deliveries,
        wanted=wanted,
        payload_id=first.payload_id,
    )


@pytest.mark.control_plane
def test_only_subscribed_status(contract, target, client, receiver, control, verify, webhook_event):
    """A webhook for one status: the entity changes to another status first (no delivery), then to
    the registered one (one delivery)."""
    hooks = contract.profile.webhooks
    rule = documented(hooks.status_subscription, "webhooks.status_subscription")
    pointer = documented(hooks.status_pointer, "webhooks.status_pointer")
    _status_change(contract, webhook_event)
    other = documented(webhook_event.other_status, f"webhooks.events[{webhook_event.name}].other_status")
    _register(target, receiver, webhook_event, statuses=[webhook_event.status])
    resource = contract.profile.operations.resources[webhook_event.resource]
    created = client.call(resource.create, json=client.example(resource.create))
    assert created.ok, f"could not create the entity: {created.summary()}"
    entity_id = str(created.json_at(webhook_event.response_id))
    control.set_status(webhook_event.resource, entity_id, other)
    control.set_status(webhook_event.resource, entity_id, webhook_event.status)
    verify(
        checks.webhooks.webhooks_only_subscribed_status,
        rule,
        deliveries=_arrived(target, receiver, webhook_event, entity_id),
        entity_id=entity_id,
        payload_id=webhook_event.payload_id,
        status_pointer=pointer,
        status=webhook_event.status,
    )
