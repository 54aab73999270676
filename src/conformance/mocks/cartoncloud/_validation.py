"""Validation of CartonCloud bodies against the contract's schemas, and reference resolution."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from conformance.core import jsonpointer
from conformance.mocks.cartoncloud._base import CartonCloudBase
from conformance.mocks.cartoncloud._constants import REFERENCE_KEYS, RESOURCES


class Validation(CartonCloudBase):
    def _schema_problems(self, schema_name: str, data: Any) -> list[tuple[str, str]]:
        root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": self._schemas}}
        problems: list[tuple[str, str]] = []
        for error in Draft202012Validator(root).iter_errors(data):
            path = list(error.absolute_path)
            if error.validator == "required":
                missing = [k for k in error.validator_value if k not in (error.instance or {})]
                problems += [(jsonpointer.join([*path, k]), f"{k} is required") for k in missing]
            else:
                problems.append((jsonpointer.join(path), _problem(error)))
        return sorted(set(problems))

    def _resolve(self, tenant: str, kind: str, ref: Any) -> Any:
        """The first present key in the seed's order decides (seed, Standard Elements)."""
        if not isinstance(ref, dict):
            return None
        for path in REFERENCE_KEYS[kind]:
            wanted = _dotted_get(ref, path)
            if wanted is not None:
                return next((r for r in self.reference[tenant][kind] if _dotted_get(r, path) == wanted), None)
        return None

    def _customer(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "customers", ref)

    def _warehouse(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "warehouses", ref)

    def _product(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "products", ref)

    def _prepare(self, tenant: str, segment: str, body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Validate an order/consignment body; return the stored form and the issues that make an
        outbound order REJECTED (228). Raises the 422 for everything else."""
        default_type, initial_status, _, schema_name = RESOURCES[segment]
        problems = self._schema_problems(schema_name, body)
        if problems:
            raise self.validation(problems)
        customer = self._customer(tenant, body["customer"])
        if customer is None:
            problems.append(("/customer", "Customer could not be found"))
        warehouse = None
        if "warehouse" in body:
            warehouse = self._warehouse(tenant, body["warehouse"])
            if warehouse is None:
                problems.append(("/warehouse", "Warehouse could not be found"))
        rejected: list[str] = []
        for i, item in enumerate(body.get("items") or []):
            product_ref = (item.get("details") or {}).get("product")
            if product_ref is None or self._product(tenant, product_ref) is not None:
                continue
            if segment == "outbound-orders":
                rejected.append(f"Product {_describe(product_ref)} could not be found")
            else:
                problems.append((f"/items/{i}/details/product", "Product could not be found"))
        if problems:
            raise self.validation(problems)
        data = {k: v for k, v in body.items() if k not in ("id", "version")}
        data["type"] = default_type
        data["customer"] = customer
        data["warehouse"] = warehouse or self.reference[tenant]["warehouses"][0]
        if segment != "consignments" or "status" not in data:
            data["status"] = "DRAFT" if body.get("status") == "DRAFT" else initial_status
        return data, rejected


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


def _describe(ref: dict[str, Any]) -> str:
    refs = ref.get("references") or {}
    return repr(ref.get("id") or refs.get("code") or refs.get("barcode") or ref.get("name"))


def _dotted_get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc
