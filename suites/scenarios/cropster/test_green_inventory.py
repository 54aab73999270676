"""Cropster green inventory workflows from the docs: import, transfer, weight changes. A refused
transfer changes nothing (whichever rule refuses it); a transfer moves the weight and tops up the
destination lot; the documented refusals of a transfer and of a repeated import; a weight that is
set is read back."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import code_pointer, json_at

pytestmark = [pytest.mark.capability("business"), pytest.mark.writes, pytest.mark.only_api("cropster")]
UNKNOWN_LOCATION = "00000000-0000-4000-8000-00000000dead"


def _lot(client, lot_id):
    """Read a green lot back by walking the list (the API has no single-lot read)."""
    exchange = client.call("listGreenLots", json={"params": {"pagination": {"limit": 100}}})
    lots = json_at(exchange.json(), "/result/greenLots") or []
    return exchange, next((lot for lot in lots if lot.get("id") == lot_id), None)


def _import(client, amount: float = 10.0) -> dict:
    body = client.example("importGreenLot")  # a fresh externalId each time ({unique})
    body["data"]["weight"] = {"amount": amount, "unit": "KG"}
    imported = client.call("importGreenLot", json=body)
    assert imported.status == 200, f"could not import a lot: {imported.summary()}"
    return imported.json()["result"]["greenLot"]


def _destination(client) -> str:
    return client.example("transferGreenLotToLocation")["data"]["destinationLocationId"]


def _transfer(client, lot_id: str, amount: float, destination: str | None = None):
    return client.call(
        "transferGreenLotToLocation",
        json={
            "data": {
                "greenLotId": lot_id,
                "weight": {"amount": amount, "unit": "KG"},
                "destinationLocationId": destination or _destination(client),
            }
        },
    )


def _refused(contract, verify, key, exchange) -> None:
    rule = contract.profile.business[key]
    verify(
        checks.business.business_outcome_as_documented,
        rule,
        response=exchange,
        code=rule.error,
        code_pointer=code_pointer(contract),
    )


@pytest.mark.capability("errors")
@pytest.mark.parametrize("refusal", ["unknown_destination", "more_than_held"])
def test_failed_transfer_changes_nothing(contract, client, verify, refusal):
    lot = _import(client, 10.0)
    before, state_before = _lot(client, lot["id"])
    if refusal == "unknown_destination":
        refused = _transfer(client, lot["id"], 1.0, UNKNOWN_LOCATION)
    else:
        refused = _transfer(client, lot["id"], 10.5)
    after, state_after = _lot(client, lot["id"])
    verify(
        checks.errors.errors_refused_write_changed_nothing,
        contract.profile.errors.atomic_writes,
        before=before,
        refused=refused,
        after=after,
        state_before=state_before,
        state_after=state_after,
    )


def test_transfer_of_more_than_the_lot_holds_is_invalid_weight(contract, client, verify):
    lot = _import(client, 10.0)
    _refused(contract, verify, "transfer_within_lot_weight", _transfer(client, lot["id"], 10.5))


def test_consumed_lot_cannot_move(contract, client, verify):
    lot = _import(client, 5.0)
    emptied = client.call(
        "setGreenLotWeight", json={"data": {"greenLotId": lot["id"], "weight": {"amount": 0, "unit": "KG"}}}
    )
    assert emptied.status == 200, f"could not consume the lot: {emptied.summary()}"
    _refused(contract, verify, "consumed_lot_cannot_move", _transfer(client, lot["id"], 1.0))


def test_transfer_to_the_lots_own_location_is_invalid(contract, client, verify):
    lot = _import(client, 5.0)
    own = lot["location"].get("id")
    assert own, f"the imported lot names no location id: {lot}"
    _refused(contract, verify, "transfer_same_location", _transfer(client, lot["id"], 1.0, own))


def test_transfer_to_an_unknown_destination_is_not_found(contract, client, verify):
    lot = _import(client, 5.0)
    refused = _transfer(client, lot["id"], 1.0, client.made_up(UNKNOWN_LOCATION))
    _refused(contract, verify, "transfer_unknown_destination", refused)


def test_reimporting_an_external_id_is_invalid(contract, client, verify):
    body = client.example("importGreenLot")
    first = client.call("importGreenLot", json=body)
    assert first.status == 200, f"could not import a lot: {first.summary()}"
    _refused(contract, verify, "reimport_external_id", client.call("importGreenLot", json=body))


def test_transfer_moves_weight_and_tops_up_the_destination(contract, client, verify):
    """10 KG, 4 KG moved, then 1 KG more: the source holds 5, one destination lot holds 5."""
    rule = contract.profile.business["transfer_moves_weight"]
    lot = _import(client, 10.0)
    first = _transfer(client, lot["id"], 4.0)
    destination = json_at(first.json(), "/result/destinationGreenLot") or {}
    verify(
        checks.business.business_state_as_documented,
        rule,
        write=first,
        read=first,
        entity=first.json().get("result") if first.ok else None,
        expected={
            "/sourceGreenLot/id": lot["id"],
            "/sourceGreenLot/weight/amount": 6.0,
            "/destinationGreenLot/weight/amount": 4.0,
            "/destinationGreenLot/location/id": _destination(client),
        },
    )
    second = _transfer(client, lot["id"], 1.0)
    read, target = _lot(client, destination.get("id"))
    verify(
        checks.business.business_state_as_documented,
        rule,
        write=second,
        read=read,
        entity=target,
        expected={"/weight/amount": 5.0, "/location/id": _destination(client)},
    )
    read, source = _lot(client, lot["id"])
    verify(
        checks.business.business_state_as_documented,
        rule,
        write=second,
        read=read,
        entity=source,
        expected={"/weight/amount": 5.0},
    )


def test_set_weight_is_read_back(contract, client, verify):
    rule = contract.profile.business["weight_set"]
    lot = _import(client, 10.0)
    weight = {"amount": 7.25, "unit": "LBS"}
    written = client.call("setGreenLotWeight", json={"data": {"greenLotId": lot["id"], "weight": weight}})
    verify(
        checks.business.business_state_as_documented,
        rule,
        write=written,
        read=written,
        entity=written.json(),
        expected={"/ok": True},
    )
    read, entity = _lot(client, lot["id"])
    verify(
        checks.business.business_state_as_documented,
        rule,
        write=written,
        read=read,
        entity=entity,
        expected={"/weight": weight},
    )
