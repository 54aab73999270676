"""Cropster green inventory workflows from the docs: import, transfer, weight changes."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import json_at

pytestmark = [pytest.mark.capability("errors"), pytest.mark.writes, pytest.mark.only_api("cropster")]


def _lot(client, lot_id):
    """Read a green lot back by walking the list (the API has no single-lot read)."""
    exchange = client.call("listGreenLots", json={"params": {"pagination": {"limit": 100}}})
    lots = json_at(exchange.json(), "/result/greenLots") or []
    return exchange, next((lot for lot in lots if lot.get("id") == lot_id), None)


def test_failed_transfer_changes_nothing(contract, client, verify):
    body = client.example("importGreenLot")  # a fresh externalId each time ({unique})
    imported = client.call("importGreenLot", json=body)
    assert imported.status == 200, f"could not import a lot: {imported.summary()}"
    lot_id = imported.json()["result"]["greenLot"]["id"]
    before, state_before = _lot(client, lot_id)
    refused = client.call(
        "transferGreenLotToLocation",
        json={
            "data": {
                "greenLotId": lot_id,
                "weight": {"amount": 1, "unit": "KG"},
                "destinationLocationId": "00000000-0000-4000-8000-00000000dead",
            }
        },
    )
    after, state_after = _lot(client, lot_id)
    verify(
        checks.errors.errors_refused_write_changed_nothing,
        contract.profile.errors.atomic_writes,
        before=before,
        refused=refused,
        after=after,
        state_before=state_before,
        state_after=state_after,
    )


def _import(client, amount: float) -> str:
    body = client.example("importGreenLot")
    body["data"]["weight"] = {"amount": amount, "unit": "KG"}
    imported = client.call("importGreenLot", json=body)
    assert imported.status == 200, f"could not import a lot: {imported.summary()}"
    return str(imported.json()["result"]["greenLot"]["id"])


def _transfer(client, lot_id: str, amount: float):
    destination = client.example("transferGreenLotToLocation")["data"]["destinationLocationId"]
    return client.call(
        "transferGreenLotToLocation",
        json={
            "data": {
                "greenLotId": lot_id,
                "weight": {"amount": amount, "unit": "KG"},
                "destinationLocationId": destination,
            }
        },
    )


def _refused_as_invalid_weight(contract, verify, refused) -> None:
    code = next(c for c in contract.profile.errors.codes if c.id == "invalid_weight")
    verify(checks.errors.errors_status_matches, code, response=refused)
    verify(
        checks.errors.errors_code_matches,
        code,
        response=refused,
        code_pointer=contract.profile.errors.code_pointer,
    )


def test_transfer_of_more_than_the_lot_holds_is_invalid_weight(contract, client, verify):
    refused = _transfer(client, _import(client, 10.0), 10.5)
    _refused_as_invalid_weight(contract, verify, refused)


def test_consumed_lot_cannot_move(contract, client, verify):
    lot_id = _import(client, 5.0)
    emptied = client.call(
        "setGreenLotWeight", json={"data": {"greenLotId": lot_id, "weight": {"amount": 0, "unit": "KG"}}}
    )
    assert emptied.status == 200, f"could not consume the lot: {emptied.summary()}"
    refused = _transfer(client, lot_id, 1.0)
    _refused_as_invalid_weight(contract, verify, refused)
