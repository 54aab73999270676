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
    body = client.example("importGreenLot")
    body["data"].pop("externalId", None)
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
        "errors.atomic_writes",
        before=before,
        refused=refused,
        after=after,
        state_before=state_before,
        state_after=state_after,
    )
