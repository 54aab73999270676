"""Validation of CartonCloud bodies against the contract's schemas: 422 problems as JSON Pointers,
references resolved, statuses and timestamps server-set."""

from __future__ import annotations

import copy
import json
from typing import Any

from jsonschema import ValidationError

from conformance.core import jsonpointer
from conformance.mocks.blocks.store import json_copy
from conformance.mocks.blocks.validation import BodyValidator
from conformance.mocks.cartoncloud._base import CartonCloudBase
from conformance.mocks.cartoncloud._constants import MILESTONES, RESOURCES, SERVER_ONLY_STATUSES
from conformance.mocks.cartoncloud._reference import iso, summary, timestamps

# the `strict-create` persona: optional fields (no default stated) its workflow requires on create
STRICT_CREATE = {
    "inbound-orders": ("/details/arrivalDate",),
    "outbound-orders": ("/details/deliver/requiredDate",),
}


class Validation(CartonCloudBase):
    def _pointer(self, tokens: list[str | int]) -> str:
        if self.fault("field_pointer_unescaped"):  # the bug a random property run once found
            return "".join(f"/{token}" for token in tokens)
        return jsonpointer.join(tokens)

    def _schema_problems(self, schema_name: str, data: Any) -> list[tuple[str, str]]:
        """The 422 problems of `data` against a contract schema, read the persona's way: where
        null is accepted or types are coerced, an `*Input` body is first made what the persona
        would store (in place, so the caller stores that)."""
        validator = self._validators.get(schema_name)
        if validator is None:
            root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": self._schemas}}
            validator = self._validators[schema_name] = BodyValidator(
                root,
                strict_integers=self.trait("integral_floats_refused"),
                coerce=self.trait("lenient_types"),
            )
        if schema_name.endswith("Input") and isinstance(data, dict):
            prepared = validator.prepared(self.without_nulls(data))
            if prepared is not data:
                data.clear()
                data.update(prepared)
        problems: list[tuple[str, str]] = []
        for error in validator.errors(data):
            path = list(error.absolute_path)
            if error.validator == "required":
                missing = [k for k in error.validator_value if k not in (error.instance or {})]
                problems += [(self._pointer([*path, k]), f"{k} is required") for k in missing]
            else:
                problems.append((self._pointer(path), _problem(error)))
        if self.fault("required_fields_lax"):
            kept = ("/customer", "/details/deliver/address", "/scope")
            problems = [p for p in problems if not p[1].endswith(" is required") or p[0] in kept]
        return sorted(set(problems))

    def _prepare(
        self, tenant: str, segment: str, body: dict[str, Any], current: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], list[str]]:
        """Validate an order/consignment body; return the stored form (references resolved, status
        and timestamps server-set) and the issues that make an outbound order REJECTED (228).
        Raises the 422 for everything else. `current`: the stored data an update replaces."""
        default_type, initial_status, _, schema_name, _ = RESOURCES[segment]
        problems = self._schema_problems(schema_name, body)
        if current is None and self.trait("strict_create"):
            problems += self._strictly_required(segment, body)
        if problems:
            raise self.validation(problems)
        customer = self.refdata.find(tenant, "customers", body["customer"])
        if customer is None:
            problems.append(("/customer", "Customer could not be found"))
        warehouse = self.refdata.all(tenant, "warehouses")[0] if "warehouse" not in body else None
        if self.fault("no_default_warehouse"):
            warehouse = None
        if "warehouse" in body:
            warehouse = self.refdata.find(tenant, "warehouses", body["warehouse"])
            if warehouse is None:
                problems.append(("/warehouse", "Warehouse could not be found"))
        status = body.get("status", current["status"] if current else initial_status)
        if self.fault("draft_ignored") and current is None and status == "DRAFT":
            status = initial_status
        if status in SERVER_ONLY_STATUSES and status != (current or {}).get("status"):
            problems.append(("/status", f"{status} is assigned by the server, never by a request"))
        items, rejected = self._resolve_items(tenant, segment, body.get("items"), problems)
        if problems:
            raise self.validation(problems)
        assert customer is not None
        data = {k: v for k, v in body.items() if k not in ("id", "version", "timestamps")}
        data["type"] = default_type
        data["customer"] = summary(customer)
        if segment != "consignments" and warehouse is not None:
            data["warehouse"] = summary(warehouse)
        if items is not None:
            data["items"] = items
        now = self.clock.now()
        data["timestamps"] = copy.deepcopy(current["timestamps"]) if current else timestamps(now)
        data["timestamps"]["modified"] = {"time": iso(now)}
        apply_status(data, str(status), now)
        return data, rejected

    def _strictly_required(self, segment: str, body: dict[str, Any]) -> list[tuple[str, str]]:
        """A persona's workflow needs dates the seed lists as optional (it states no default for
        them, unlike `warehouse` and `unitOfMeasure`)."""
        wanted = STRICT_CREATE.get(segment, ())
        return [
            (p, f"{p.rsplit('/', 1)[-1]} is required") for p in wanted if jsonpointer.get(body, p) is None
        ]

    def _resolve_items(
        self, tenant: str, segment: str, items: Any, problems: list[tuple[str, str]]
    ) -> tuple[list[Any] | None, list[str]]:
        """Items with their products resolved; an unknown product is a 422 (inbound) or an issue
        that rejects the order (outbound, 228). Consignment items may name no product."""
        if items is None:
            return None, []
        out, rejected = [], []
        for i, item in enumerate(items):
            item = json_copy(item)
            ref = (item.get("details") or {}).get("product")
            product = self.refdata.find(tenant, "products", ref) if ref is not None else None
            if product is not None:
                item["details"]["product"] = summary(product)
            elif ref is not None and segment == "outbound-orders":
                rejected.append(f"{_describe(ref, item)} - Product not found")
            elif ref is not None:
                problems.append(
                    (jsonpointer.join(["items", i, "details", "product"]), "Product could not be found")
                )
            out.append(item)
        return out, rejected


def apply_status(data: dict[str, Any], status: str, now: float) -> None:
    """Set `status`; an outbound order reaching PACKED / DISPATCHED gets that timestamp once."""
    data["status"] = status
    milestone = MILESTONES.get(status)
    if milestone and data.get("type") == "OUTBOUND":
        data.setdefault("timestamps", {}).setdefault(milestone, {"time": iso(now)})


_JSON_TYPES = {"object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "a boolean", "null": "null"}  # fmt: skip


def _problem(error: ValidationError) -> str:
    """What the schema wants, in words; never a repr of what the client sent (it may be huge)."""
    want, value = error.validator, error.validator_value
    if want == "type":
        kinds = value if isinstance(value, list) else [value]
        return "must be " + " or ".join(_JSON_TYPES.get(str(k), str(k)) for k in kinds)
    if want == "enum":
        return "must be one of " + ", ".join(json.dumps(v) for v in value)
    if want == "const":
        return f"must be {json.dumps(value)}"
    words = {
        "minLength": f"must be at least {value} characters long",
        "maxLength": f"must be at most {value} characters long",
        "minimum": f"must be at least {value}",
        "maximum": f"must be at most {value}",
        "exclusiveMinimum": f"must be greater than {value}",
        "exclusiveMaximum": f"must be less than {value}",
        "minItems": f"must have at least {value} items",
        "maxItems": f"must have at most {value} items",
        "minProperties": f"must have at least {value} properties",
        "pattern": f"must match {value}",
        "format": f"must be a valid {value}",
        "additionalProperties": "has properties that are not allowed",
        "oneOf": "matches none of the allowed forms",
        "anyOf": "matches none of the allowed forms",
    }
    return words.get(str(want), f"does not satisfy {want}")


def _describe(ref: dict[str, Any], item: dict[str, Any]) -> str:
    """The vendor's way of naming a line: "Ice Cream (IC-123) x 25 UNITS"."""
    refs = ref.get("references") or {}
    code = refs.get("code") or refs.get("barcode") or ref.get("id")
    label = f"{ref['name']} ({code})" if ref.get("name") and code else str(ref.get("name") or code)
    quantity = (item.get("measures") or {}).get("quantity")
    unit = ((item.get("details") or {}).get("unitOfMeasure") or {}).get("type") or "UNITS"
    return f"{label} x {quantity:g} {unit}" if isinstance(quantity, int | float) else label
