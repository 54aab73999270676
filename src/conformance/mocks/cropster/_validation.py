"""Validation of Cropster request attributes: strings, weights, prices, locations and lots."""

from __future__ import annotations

from typing import Any

from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.store import NotFound
from conformance.mocks.cropster._base import CropsterBase
from conformance.mocks.cropster._constants import CURRENCIES, UNITS


class Validation(CropsterBase):
    def _data(self, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data")
        if data is None:
            raise self._missing("data")
        if not isinstance(data, dict):
            raise self.error(400, "invalid_parameter", "data must be an object")
        return data

    def _missing(self, name: str) -> MockHTTPError:
        status = 400 if self.fault("missing_parameter_400") else 422
        return self.error(status, "missing_parameter", f"The attribute {name} is required")

    def _string(self, data: dict[str, Any], name: str, *, required: bool) -> str | None:
        value = data.get(name)
        if value is None:
            if required:
                raise self._missing(name)
            return None
        if not isinstance(value, str) or not value:
            raise self.error(400, "invalid_parameter", f"{name} must be a non-empty string")
        return value

    def _weight(
        self, data: dict[str, Any], name: str = "weight", *, allow_zero: bool = True
    ) -> dict[str, Any]:
        weight = data.get(name)
        if weight is None:
            raise self._missing(name)
        if not isinstance(weight, dict):
            raise self.error(400, "invalid_parameter", f"{name} must be an object with amount and unit")
        amount, unit = weight.get("amount"), weight.get("unit")
        if amount is None or unit is None:
            raise self._missing(f"{name}.{'amount' if amount is None else 'unit'}")
        amount = self.number(amount)
        if amount is None or not isinstance(unit, str):
            raise self.error(400, "invalid_parameter", f"{name}.amount must be a number and unit a string")
        if amount < 0 or (amount == 0 and not allow_zero):
            code = "invalid_parameter" if self.fault("wrong_code_negative_weight") else "invalid_weight"
            raise self.error(422, code, f"{name}.amount must be {'at least' if allow_zero else 'above'} 0")
        if unit not in UNITS:
            raise self.error(422, "unsupported_unit", f"Unit {unit!r} is not supported; use KG or LBS")
        return {"amount": amount, "unit": unit}

    def _price(self, data: dict[str, Any]) -> dict[str, Any] | None:
        price = data.get("price")
        if price is None:
            if self.trait("strict_create"):
                raise self._missing("price")
            return None
        if not isinstance(price, dict):
            raise self.error(400, "invalid_parameter", "price must be an object with amount and currency")
        amount, currency = price.get("amount"), price.get("currency")
        if amount is None or currency is None:
            raise self._missing(f"price.{'amount' if amount is None else 'currency'}")
        amount = self.number(amount)
        if amount is None or not isinstance(currency, str):
            raise self.error(400, "invalid_parameter", "price.amount must be a number and currency a string")
        if amount < 0:
            raise self.error(422, "invalid_price", "price.amount must be at least 0")
        if currency not in CURRENCIES:
            raise self.error(422, "unsupported_currency", f"{currency!r} is not an ISO 4217 currency code")
        return {"amount": amount, "currency": currency}

    def _location(self, ref: Any, *, name: str = "location") -> dict[str, Any]:
        if ref is None:
            raise self._missing(name)
        if isinstance(ref, str):
            ref = {"id": ref}
        if not isinstance(ref, dict):
            raise self.error(400, "invalid_parameter", f"{name} must be an object with id or externalId")
        if any(not isinstance(ref[k], str) for k in ("id", "externalId") if k in ref):
            raise self.error(400, "invalid_parameter", f"{name}.id and {name}.externalId must be strings")
        for key in ("id", "externalId"):
            if ref.get(key) is not None:
                found = next((loc for loc in self.locations if loc[key] == ref[key]), None)
                if found is None:
                    raise self.error(404, "resource_not_found", f"No location with {key} {ref[key]!r}")
                return {"id": found["id"], "externalId": found["externalId"]}
        raise self._missing(f"{name}.id")

    def _lot(self, lot_id: Any) -> Any:
        if not isinstance(lot_id, str):
            raise self.error(400, "invalid_parameter", "greenLotId must be a string")
        try:
            return self.store.get("green", lot_id)
        except NotFound:
            raise self.error(404, "resource_not_found", f"No green lot {lot_id}") from None
