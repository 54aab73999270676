"""CartonCloud inbound order workflows from the docs (seed 003, Create / Get / Update Inbound Order,
If-Match and 409 Conflict; CONTRACT-DECISIONS.md, cartoncloud optimistic locking and search): an
order is created (version 1) and updated (version 2); a second client that read it before the update
sends its own update with the version it saw and is refused with 409, the order unchanged; the order
is then found, as the last accepted write left it, by a search whose results span several pages.
The orders a scenario creates are deleted at the end (DRAFT orders may be deleted: vendor docs)."""

from __future__ import annotations

import secrets

import pytest

from conformance import checks
from conformance.drive import comparison, junction, search_pages

pytestmark = [pytest.mark.capability("locking"), pytest.mark.writes, pytest.mark.only_api("cartoncloud")]

SEARCH_PAGE = 2  # small pages: the search below walks several
ORDERS = 5  # with SEARCH_PAGE 2: three pages


class InboundOrders:
    """Create inbound orders with a reference (what the search looks for) and a marker in their
    custom properties (what each write changes); delete them all at the end."""

    def __init__(self, contract, client) -> None:
        self.contract, self.client = contract, client
        self.ops = contract.profile.operations.resources["inbound_orders"]
        self.locking = contract.profile.locking
        self.prefix = f"scn-{secrets.token_hex(4)}"
        self.made: list[str] = []

    def body(self, operation: str, reference: str, mark: str) -> dict:
        body = dict(self.client.example(operation))
        body["references"] = {**dict(body.get("references") or {}), "customer": reference}
        body["properties"] = {"scenarioMark": mark}
        return body

    def create(self, number: int):
        reference = f"{self.prefix}-{number}"
        created = self.client.call(self.ops.create, json=self.body(self.ops.create, reference, "created"))
        assert created.status == 201, f"could not create an inbound order: {created.summary()}"
        self.made.append(str(created.json()["id"]))
        return created, self.made[-1], reference

    def update(self, client, order_id: str, reference: str, version: int, mark: str):
        return client.call(
            self.ops.update,
            path_params={"id": order_id},
            headers={self.locking.header: str(version)},
            json=self.body(self.ops.update, reference, mark),
        )

    def get(self, client, order_id: str):
        return client.call(self.ops.get, path_params={"id": order_id})

    def delete_all(self) -> None:
        for order_id in self.made:
            self.client.call(self.ops.delete, path_params={"id": order_id})


@pytest.fixture
def orders(contract, client):
    made = InboundOrders(contract, client)
    yield made
    made.delete_all()


def test_stale_update_of_a_second_client_refused_and_order_found_by_search(
    contract, target, recorder, client, verify, orders
):
    locking = contract.profile.locking
    field = locking.version_field
    # Given an inbound order, and a second client of the same tenant that reads it (version 1)
    created, order_id, reference = orders.create(1)
    second = target.client(recorder)
    seen = orders.get(second, order_id)
    assert seen.ok, f"the second client could not read the order: {seen.summary()}"
    # When the first client updates it with the current version
    updated = orders.update(client, order_id, reference, created.json()[field], "first writer")
    # Then the version goes from 1 to 2
    verify(
        checks.locking.locking_version_incremented,
        locking.rules.version_incremented,
        created=created,
        updated=updated,
        version_field=field,
        initial_version=locking.initial_version,
        increment=locking.increment,
    )
    # When the second client updates it with the version it saw
    before = orders.get(client, order_id)
    stale = orders.update(second, order_id, reference, seen.json()[field], "second writer")
    after = orders.get(client, order_id)
    # Then it is refused with 409 and the order is as the first client left it
    verify(
        checks.locking.locking_stale_version_rejected,
        locking.rules.stale_version_rejected,
        stale_write=stale,
        after=after,
        before=before,
        version_field=field,
    )
    # Given more orders with the same reference prefix, When they are searched SEARCH_PAGE a page
    for number in range(2, ORDERS + 1):
        orders.create(number)
    search, pagination = contract.profile.search, contract.profile.pagination
    operation = next(op for op in search.operations if op.operation == orders.ops.list)
    by_reference = next(f for f in operation.fields if f.pointer == "/references/customer")
    condition = junction(
        search.grammar, True, comparison(search.grammar, by_reference, "text", "STARTS_WITH", orders.prefix)
    )
    pages = search_pages(client, operation, search.grammar, pagination, SEARCH_PAGE, condition)
    # Then the walk finds every order, the updated one as the first client's write left it
    present = {
        order_id: {
            "/references/customer": reference,
            "/properties/scenarioMark": "first writer",
            f"/{field}": locking.initial_version + locking.increment,
        }
    }
    present.update({other: {} for other in orders.made[1:]})
    verify(
        checks.stateful.stateful_listing_as_modelled,
        contract.rule("stateful.rules.reads_follow_writes"),
        listing=pages,
        items="",
        id_field="/id",
        present=present,
    )
