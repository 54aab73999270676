"""Validation of CartonCloud bodies against the contract's schemas, and reference resolution."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from conformance.mocks.cartoncloud._base import CartonCloudBase
from conformance.mocks.cartoncloud._constants import REFERENCE_KEYS, RESOURCES


class Validation(CartonCloudBase):
    def _schema_problems(self, schema_name: str, data: Any) -> list[tuple[str, str]]:
        root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": self._schemas}}
        problems: list[tuple[str, str]] = []
        for error in Draft202012Validator(root).iter_errors(data):
            pointer = "".join(f"/{p}" for p in error.absolute_path)
            if error.validator == "required":
                missing = [k for k in error.validator_value if k not in (error.instance or {})]
                problems += [(f"{pointer}/{k}", f"{k} is required") for k in missing]
            else:
                problems.append((pointer, error.message[:200]))
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


def _describe(ref: dict[str, Any]) -> str:
    refs = ref.get("references") or {}
    return repr(ref.get("id") or refs.get("code") or refs.get("barcode") or ref.get("name"))


def _dotted_get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc
