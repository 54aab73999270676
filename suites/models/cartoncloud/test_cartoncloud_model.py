"""The reference model of CartonCloud's inbound orders (seed 003; CONTRACT-DECISIONS.md,
cartoncloud): create, read, update with the current version, a stale one or none, several writers
at once with the same version, in any order. It predicts every version (1 on create, +1 per
accepted write), every 409 (and that the order is unchanged after it), the single winner of
concurrent writers, and after every step that a search across pages finds exactly its orders as
they are now.

Each order carries a reference with the sequence's prefix (what the search looks for) and a marker
in its custom properties (what each write changes); nothing else is predicted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from conformance.core.prediction import Prediction
from conformance.drive import PlannedRequest, comparison, concurrent_requests, junction, search_pages
from conformance.stateful import ModelMachine

pytestmark = [pytest.mark.capability("stateful"), pytest.mark.writes, pytest.mark.only_api("cartoncloud")]

PICK = st.integers(0, 50)
SEARCH_PAGE = 2  # small pages: every search walks several
HOW = ("current", "stale", "absent")


@dataclass
class Order:
    number: int
    id: str
    reference: str
    mark: str
    version: int

    def fields(self) -> dict[str, object]:
        return {"/references/customer": self.reference, "/properties/modelMark": self.mark}


class InboundOrderModel(ModelMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ops = self.contract.profile.operations.resources["inbound_orders"]
        locking = self.contract.profile.locking
        assert locking is not None
        self.locking = locking
        self.orders: list[Order] = []
        self.marks = 0

    def _mark(self) -> str:
        self.marks += 1
        return f"{self.prefix}-w{self.marks}"

    def _body(self, operation: str, reference: str, mark: str) -> dict[str, object]:
        body = dict(self.client.example(operation))
        body["references"] = {**dict(body.get("references") or {}), "customer": reference}
        body["properties"] = {"modelMark": mark}
        return body

    def _pick(self, index: int) -> Order:
        return self.orders[index % len(self.orders)]

    def _version(self, value: int) -> Prediction:
        return Prediction((200, 201), {f"/{self.locking.version_field}": value})

    # -- rules -------------------------------------------------------------------------------------

    @rule()
    def create(self) -> None:
        number = len(self.orders) + 1
        reference, mark = f"{self.prefix}-{number}", self._mark()
        answer = self.client.call(self.ops.create, json=self._body(self.ops.create, reference, mark))
        initial = self.locking.initial_version
        version = Prediction((201,), {f"/{self.locking.version_field}": initial}, why="a new entity")
        label = f"create inbound order #{number}"
        self.expect(label, answer, version, "locking.rules.version_incremented")
        stored = Prediction((201,), Order(number, "", reference, mark, initial).fields(), why="as sent")
        self.expect(label, answer, stored, "stateful.rules.reads_follow_writes", log=False)
        self.orders.append(Order(number, str(answer.json()["id"]), reference, mark, initial))

    @precondition(lambda self: self.orders)
    @rule(index=PICK)
    def read(self, index: int) -> None:
        order = self._pick(index)
        answer = self.client.call(self.ops.get, path_params={"id": order.id})
        fields = {**order.fields(), f"/{self.locking.version_field}": order.version}
        prediction = Prediction((200,), fields, why=f"as the last accepted write left it (v{order.version})")
        self.expect(f"read order #{order.number}", answer, prediction, "stateful.rules.reads_follow_writes")

    @precondition(lambda self: self.orders)
    @rule(index=PICK, how=st.sampled_from(HOW))
    def update(self, index: int, how: str) -> None:
        order, mark = self._pick(index), self._mark()
        if how == "stale" and order.version == self.locking.initial_version:
            how = "current"  # nothing is stale before the first update
        sent = {"current": order.version, "stale": order.version - self.locking.increment, "absent": None}[
            how
        ]
        headers = {self.locking.header: str(sent)} if sent is not None else {}
        answer = self.client.call(
            self.ops.update,
            path_params={"id": order.id},
            headers=headers,
            json=self._body(self.ops.update, order.reference, mark),
        )
        label = (
            f"update order #{order.number} with {self.locking.header} {sent}"
            if sent
            else (f"update order #{order.number} without {self.locking.header}")
        )
        if how == "stale":
            stale = self.locking.rules.stale_version_rejected
            why = f"v{sent} is stale: the order is at v{order.version}, and stays as it is"
            self.expect(label, answer, Prediction(tuple(stale.status), why=why), stale)
            return
        cited = (
            "locking.rules.version_incremented"
            if how == "current"
            else "locking.rules.absent_if_match_accepted"
        )
        after = order.version + self.locking.increment
        self.expect(label, answer, self._version(after), cited)
        changed = Order(order.number, order.id, order.reference, mark, after)
        stored = Prediction((200,), changed.fields(), why="as sent")
        self.expect(label, answer, stored, "stateful.rules.reads_follow_writes", log=False)
        order.mark, order.version = mark, after

    @precondition(lambda self: self.orders)
    @rule(index=PICK, writers=st.integers(2, 4))
    def concurrent_updates(self, index: int, writers: int) -> None:
        order = self._pick(index)
        token = self.world.cache.get("token")
        if token is None:
            token, _ = self.client.fetch_token()
            self.world.cache["token"] = token
        update = self.contract.operation(self.ops.update)
        headers = {
            **self.contract.required_headers(self.ops.update),
            "Authorization": f"Bearer {token}",
            "Content-Type": update.request_content_type or "application/json",
            self.locking.header: str(order.version),
        }
        url = self.client.url_for(self.ops.update, {"id": order.id})
        marks = [self._mark() for _ in range(writers)]
        planned = [
            PlannedRequest(update.method, url, headers, self._body(self.ops.update, order.reference, m))
            for m in marks
        ]
        answers = concurrent_requests(self.target.async_transport(), self.world.recorder, planned)
        winner = next((i for i, a in enumerate(answers) if a.status == 200), 0)
        after = order.version + self.locking.increment
        single = self.locking.rules.concurrent_single_winner
        label = f"{writers} writers update order #{order.number} at once, all with v{order.version}"
        self.step(label, *answers, predicted=f"one 200 (v{after}), {writers - 1} x 409")
        for i, answer in enumerate(answers):
            if i == winner:
                prediction = self._version(after)
            else:
                prediction = Prediction(tuple(self.locking.rules.stale_version_rejected.status), why="lost")
            self.expect(label, answer, prediction, single, log=False)
        order.mark, order.version = marks[winner], after

    @invariant()
    def search_finds_the_orders(self) -> None:
        if not self.orders:
            return
        search, pagination = self.contract.profile.search, self.contract.profile.pagination
        assert search is not None and pagination is not None
        operation = next(op for op in search.operations if op.operation == self.ops.list)
        field = next(f for f in operation.fields if f.pointer == "/references/customer")
        condition = junction(
            search.grammar, True, comparison(search.grammar, field, "text", "STARTS_WITH", self.prefix)
        )
        pages = search_pages(self.client, operation, search.grammar, pagination, SEARCH_PAGE, condition)
        present = {o.id: {**o.fields(), f"/{self.locking.version_field}": o.version} for o in self.orders}
        action = f"search orders whose reference starts with {self.prefix} ({SEARCH_PAGE} a page)"
        self.expect_listing(action, pages, "stateful.rules.reads_follow_writes", items="", present=present)


def test_inbound_orders_answer_as_modelled(run_model):
    run_model(InboundOrderModel)
