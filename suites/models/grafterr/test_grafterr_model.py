"""The reference model of Grafterr (seed 004; CONTRACT-DECISIONS.md, grafterr): a token, menus
created and read, orders on each channel (pos, web, selfkiosk, or none named: web), a repeated
order id, and status changes, in any order. It predicts every answer and, after every step, the
webhooks a receiver on 127.0.0.1 has been sent about its orders: `<channel>_order_created` for each
order, `<channel>_order_updated` for each status change, nothing for a refused order (delivery is
at least once: a repeat is allowed, a missing or unpredicted event is not).

The event names are the seed's labels; which channel raises which event, the payload and the token
call are invented (CONTRACT-DECISIONS): against a vendor they are not judged. A status change needs
the control plane (the API offers none): without one the model makes none, and without a receiver
the vendor delivers to (CONFORMANCE_GRAFTERR_WEBHOOK_LISTEN) it judges answers only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from conformance.core import jsonpointer
from conformance.core.prediction import Prediction, at_least, present, text
from conformance.stateful import ModelMachine
from conformance.webhooks import ServedReceiver, WebhookReceiver

pytestmark = [pytest.mark.capability("stateful"), pytest.mark.writes, pytest.mark.only_api("grafterr")]

PICK = st.integers(0, 50)
CHANNELS = st.sampled_from(["pos", "web", "selfkiosk", None])
STATUSES = st.sampled_from(["accepted", "ready", "completed"])
ORDER_ID = "/order/details/order_id"
EVENT_AT, ENTITY_AT = "/event", "/data/order/details/order_id"


@dataclass
class Order:
    number: int
    id: str
    channel: str  # the one its events name


class GrafterrModel(ModelMachine):
    def __init__(self) -> None:
        super().__init__()
        self.orders: list[Order] = []
        self.events: Counter[str] = Counter()  # "<event> <order id>" -> how often predicted
        self.receiver = self._receiver()

    def _receiver(self) -> ServedReceiver | None:
        """One receiver for the whole run, registered for every event (through the control plane, or
        the address the vendor was given)."""
        cache = self.world.cache
        if "receiver" not in cache:
            hooks = self.contract.profile.webhooks
            receiver = None
            if self.target.control is not None and hooks is not None:
                receiver = ServedReceiver(WebhookReceiver(self.target.redactor)).start()
                self.target.control.register_webhook(receiver.url, events=[e.name for e in hooks.events])
            elif self.target.config.get("WEBHOOK_LISTEN"):
                host, _, port = str(self.target.config["WEBHOOK_LISTEN"]).rpartition(":")
                receiver = ServedReceiver(WebhookReceiver(self.target.redactor), port=int(port), host=host)
                receiver.start()
            if receiver is not None:
                self.world.on_close(receiver.stop)
            cache["receiver"] = receiver
        found: ServedReceiver | None = cache["receiver"]
        return found

    def _pick(self, index: int) -> Order:
        return self.orders[index % len(self.orders)]

    # -- rules -------------------------------------------------------------------------------------

    @rule()
    def token(self) -> None:
        _, answer = self.client.fetch_token()
        fields = {
            "/status": 200,
            "/data/access_token": text(),
            "/data/token_type": "Bearer",
            "/data/expires_in": at_least(1),
        }
        self.expect("ask for a token", answer, Prediction((200,), fields), "auth.rules.token_response")

    @rule(business=st.integers(1, 3))
    def create_menu(self, business: int) -> None:
        body = self.client.example("createMenu")
        body["business_detail"]["business_id"] = 900 + business
        answer = self.client.call("createMenu", json=body)
        prediction = Prediction((200,), {"/status": 200}, why="a valid menu")
        self.expect(
            f"create a menu of business {900 + business}", answer, prediction, "stateful.rules.menu_answers"
        )

    @rule()
    def read_menu(self) -> None:
        answer = self.client.call("readMenu")
        fields = {"/status": 200, "/menu_data": present}
        self.expect("read the menu", answer, Prediction((200,), fields), "stateful.rules.menu_answers")

    @rule(channel=CHANNELS, again=st.booleans(), index=PICK)
    def create_order(self, channel: str | None, again: bool, index: int) -> None:
        repeated = self._pick(index) if again and self.orders else None
        order_id = repeated.id if repeated else f"{self.prefix}-{len(self.orders) + 1}"
        body = jsonpointer.with_value(self.client.example("createOrder"), ORDER_ID, order_id)
        details = body["order"]["details"]
        if channel is None:
            details.pop("order_channel", None)
        else:
            details["order_channel"] = channel
        answer = self.client.call("createOrder", json=body)
        label = f"create order {order_id} on {channel or 'no channel (web)'}"
        if repeated is not None:
            code = self.rule("errors.codes[duplicate_order]")
            refused = Prediction(tuple(code.status), why=f"order {order_id} exists: no event")  # type: ignore[attr-defined]
            self.expect(label, answer, refused, code)
            return
        accepted = Prediction((200,), {"/status": 200}, why=f"raises {channel or 'web'}_order_created")
        self.expect(label, answer, accepted, "stateful.rules.order_answers")
        data = Prediction((200,), {"/data/order_id": order_id})
        self.expect(label, answer, data, "stateful.rules.order_answers", log=False)
        order = Order(len(self.orders) + 1, order_id, channel or "web")
        self.orders.append(order)
        self.events[f"{order.channel}_order_created {order_id}"] += 1

    @precondition(lambda self: self.orders and self.target.control is not None)
    @rule(index=PICK, status=STATUSES)
    def change_status(self, index: int, status: str) -> None:
        order = self._pick(index)
        assert self.target.control is not None
        self.target.control.set_status("orders", order.id, status)
        self.step(
            f"order {order.id} becomes {status} (control plane)", predicted=f"{order.channel}_order_updated"
        )
        self.events[f"{order.channel}_order_updated {order.id}"] += 1

    @invariant()
    def webhooks_as_predicted(self) -> None:
        if self.receiver is None or not self.orders:
            return
        self.expect_events(
            self.receiver.receiver.deliveries,
            "webhooks.delivery",
            expected=self.events,
            event_at=EVENT_AT,
            entity_at=ENTITY_AT,
            about=[o.id for o in self.orders],
        )


def test_orders_and_webhooks_as_modelled(run_model):
    run_model(GrafterrModel)
