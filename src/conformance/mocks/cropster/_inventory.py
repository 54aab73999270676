"""Cropster green-lot writes: import, set weight, and the atomic transfer to another location."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.cropster._base import _view
from conformance.mocks.cropster._constants import UNITS
from conformance.mocks.cropster._validation import Validation


class Inventory(Validation):
    def _import(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        name = self._string(data, "name", required=True)
        weight = self._weight(data)
        if weight["unit"] == "LBS" and self.fault("lbs_refused"):
            raise self.error(422, "unsupported_unit", "Only KG is accepted")
        price = self._price(data)
        strict = self.trait("strict_create")  # a persona: the optional attributes are required too
        ico = self._string(data, "icoNumber", required=strict)
        external = self._string(data, "externalId", required=strict)
        location = self._location(data.get("location"))
        with self._write_lock:
            if external is not None and external in self.external_ids and not self.fault("reimport_allowed"):
                raise self.error(422, "invalid_parameter", f"A green lot with externalId {external!r} exists")
            lot = {
                "name": name,
                "icoNumber": ico,
                "externalId": external,
                "weight": weight,
                "price": price,
                "location": location,
            }
            entity = self.store.create("green", lot)
            if external is not None:
                self.external_ids[external] = entity.id
        shown = _view(entity)
        if self.fault("snake_case_fields"):
            shown = {
                "ico_number" if k == "icoNumber" else "external_id" if k == "externalId" else k: v
                for k, v in shown.items()
            }
        return json_response({"ok": True, "result": {"greenLot": shown}})

    def _set_weight(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        if data.get("greenLotId") is None:
            raise self._missing("greenLotId")
        weight = self._weight(data)
        lot = self._lot(data["greenLotId"])
        if not self.fault("weight_not_stored"):
            self.store.update_fields("green", lot.id, {"weight": weight})
        return json_response({"ok": True})

    def _transfer(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        for name in ("greenLotId", "weight", "destinationLocationId"):
            if data.get(name) is None:
                raise self._missing(name)
        weight = self._weight(data, allow_zero=False)
        with self._write_lock:
            source = self._lot(data["greenLotId"])
            held = source.data["weight"]
            if held["amount"] <= 0 and not self.fault("overdraw_allowed"):
                raise self.error(
                    422, "invalid_weight", "The green lot is consumed (weight 0) and cannot move"
                )
            moved = weight["amount"] * UNITS[weight["unit"]] / UNITS[held["unit"]]
            if moved > held["amount"] + 1e-9 and not self.fault("overdraw_allowed"):
                raise self.error(422, "invalid_weight", "The weight exceeds the green lot's weight")
            remaining = {"amount": round(held["amount"] - moved, 6), "unit": held["unit"]}
            if self.fault("non_atomic_transfer"):
                self.store.update_fields("green", source.id, {"weight": remaining})
            if self.fault("unknown_destination_accepted") and not any(
                loc["id"] == data["destinationLocationId"] for loc in self.locations
            ):
                self.store.update_fields("green", source.id, {"weight": remaining})
                return json_response({"ok": True, "result": {"sourceGreenLot": _view(source)}})
            destination = self._location(data["destinationLocationId"], name="destinationLocationId")
            same = destination["id"] == source.data["location"]["id"]
            if same and not self.fault("same_location_accepted"):
                raise self.error(422, "invalid_parameter", "The destination is the lot's own location")
            if not self.fault("non_atomic_transfer"):
                self.store.update_fields("green", source.id, {"weight": remaining})
            target = next(
                (
                    e
                    for e in self.store.list("green")
                    if e.data.get("transferredFrom") == source.id
                    and e.data["location"]["id"] == destination["id"]
                    and not self.fault("transfer_never_tops_up")
                ),
                None,
            )
            amount = round(moved, 6)
            if target is None:
                target = self.store.create(
                    "green",
                    {
                        "name": source.data["name"],
                        "icoNumber": source.data.get("icoNumber"),
                        "externalId": None,
                        "weight": {"amount": amount, "unit": held["unit"]},
                        "price": source.data.get("price"),
                        "location": destination,
                        "transferredFrom": source.id,
                    },
                )
            else:
                # a fault: the top-up's weight lands truncated to whole units (what left the source does not)
                added = float(int(amount)) if self.fault("top_up_truncated") else amount
                total = round(target.data["weight"]["amount"] + added, 6)
                self.store.update_fields(
                    "green", target.id, {"weight": {"amount": total, "unit": held["unit"]}}
                )
            source_view = _view(self.store.get("green", source.id))
            target_view = _view(self.store.get("green", target.id))
        return json_response(
            {"ok": True, "result": {"sourceGreenLot": source_view, "destinationGreenLot": target_view}}
        )
