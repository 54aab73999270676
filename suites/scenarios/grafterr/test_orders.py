"""Grafterr order workflows from the docs (seed 004, Orders and Webhooks; CONTRACT-DECISIONS.md,
grafterr): an order placed on each channel (pos, web, selfkiosk) raises that channel's
`<channel>_order_created` webhook and no other channel's; when its status changes it raises
`<channel>_order_updated`. A receiver on 127.0.0.1 listens: on a mock it is registered through the
control plane, live the vendor was told where to deliver (CONFORMANCE_GRAFTERR_WEBHOOK_LISTEN) and
the scenario waits, bounded by --max-expiry-wait, for what arrives.

The API documents no way to change an order's status nor to delete one: the status change needs a
mock's control plane (live it skips, saying so), and the orders a scenario places stay (their ids
carry a per-run prefix, so no two runs collide)."""

from __future__ import annotations

import secrets
import time

import pytest

from conformance import checks
from conformance.core import jsonpointer
from conformance.webhooks import LISTEN_NEEDED, start_receiver

pytestmark = [pytest.mark.capability("webhooks"), pytest.mark.writes, pytest.mark.only_api("grafterr")]

CHANNELS = ("pos", "web", "selfkiosk")
ORDER_ID = "/order/details/order_id"
EVENT_AT, ENTITY_AT = "/event", "/data/order/details/order_id"


@pytest.fixture
def receiver(contract, target):
    """A receiver every order event is delivered to."""
    served = start_receiver(target)
    if served is None:
        pytest.skip(f"needs {', '.join(target.missing('WEBHOOK_LISTEN'))}: {LISTEN_NEEDED}")
    if target.control is not None:
        target.control.register_webhook(served.url, events=[e.name for e in contract.profile.webhooks.events])
    yield served
    served.stop()


def _place(client, channel: str):
    order_id = f"scn-{secrets.token_hex(4)}-{channel}"
    body = jsonpointer.with_value(client.example("createOrder"), ORDER_ID, order_id)
    body["order"]["details"]["order_channel"] = channel
    placed = client.call("createOrder", json=body)
    assert placed.status == 200, f"could not place an order on {channel}: {placed.summary()}"
    return order_id, placed


def _deliveries(target, receiver, order_id: str, count: int):
    """What arrived about the order: at once on a mock, after a bounded real wait live."""
    deadline = time.monotonic() + (0 if target.control is not None else target.max_wait_seconds)

    def about():
        return [
            d
            for d in receiver.receiver.deliveries
            if jsonpointer.get(d.request_json(), ENTITY_AT) == order_id
        ]

    while len(about()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return list(receiver.receiver.deliveries)


def _events_as_documented(contract, verify, deliveries, order_id, expected):
    verify(
        checks.stateful.stateful_events_as_predicted,
        contract.profile.webhooks.delivery,
        deliveries=deliveries,
        expected={f"{event} {order_id}": 1 for event in expected},
        event_at=EVENT_AT,
        entity_at=ENTITY_AT,
        about=[order_id],
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_order_raises_its_channels_created_webhook(contract, target, client, receiver, verify, channel):
    # Given a receiver of every order event, When an order is placed on the channel
    order_id, _ = _place(client, channel)
    # Then the channel's *_order_created is delivered about it, and no other event
    deliveries = _deliveries(target, receiver, order_id, 1)
    _events_as_documented(contract, verify, deliveries, order_id, [f"{channel}_order_created"])


@pytest.mark.parametrize("channel", CHANNELS)
def test_status_change_raises_its_channels_updated_webhook(
    contract, target, client, control, receiver, verify, channel
):
    # Given an order placed on the channel
    order_id, _ = _place(client, channel)
    # When its status changes (the API offers no call for it: the mock's control plane)
    control.set_status("orders", order_id, "ready")
    # Then its channel's *_order_created and *_order_updated are delivered, nothing else
    deliveries = _deliveries(target, receiver, order_id, 2)
    created, updated = f"{channel}_order_created", f"{channel}_order_updated"
    _events_as_documented(contract, verify, deliveries, order_id, [created, updated])
