"""Reference data: the customers, warehouses and products order bodies name, and the stock and
charges reports read. The one place the mock keeps them (`ReferenceData`, over the mock's store),
filled at every reset from one data set (`DEFAULT_DATA`): a variant of the mock that starts with
other ids, names and amounts passes another data set, nothing else changes."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from conformance.mocks.blocks.store import Entity, NotFound, VersionedStore, json_copy
from conformance.mocks.cartoncloud._constants import REFERENCE_KEYS

KINDS = ("customers", "warehouses", "products")

# ids are derived per tenant (uuid5) unless a record names its own `id`
DEFAULT_DATA: Mapping[str, Any] = {
    "customers": [
        {"name": "Customer A", "references": {"code": "C123456"}},  # the seed's example
        {"name": "Customer B", "references": {"code": "C234567"}},
        {"name": "Acme Frozen Foods", "references": {"code": "ACME01"}},
    ],
    "warehouses": [{"name": "Example Warehouse"}, {"name": "Second Warehouse"}],
    "products": [
        {
            "name": "Product Name",  # the seed's example
            "references": {"code": "SKU123", "barcode": "00123246586"},
            "customer": {"references": {"code": "C123456"}},
        },
        {
            "name": "Chocolate Ice Cream 4L",
            "references": {"code": "ICE-4L"},
            "customer": {"name": "Customer A"},
        },
        {
            "name": "Frozen Peas 1kg",
            "references": {"code": "PEAS-1K"},
            "customer": {"name": "Acme Frozen Foods"},
        },
    ],
    # stock on hand: product code, warehouse name, quantity in the product's default unit
    "stock": [
        {"product": "SKU123", "warehouse": "Example Warehouse", "quantity": 120},
        {"product": "SKU123", "warehouse": "Second Warehouse", "quantity": 30},
        {"product": "ICE-4L", "warehouse": "Example Warehouse", "quantity": 48},
        {"product": "PEAS-1K", "warehouse": "Example Warehouse", "quantity": 500},
    ],
    # bulk charges: customer code, what was charged, quantity and unit rate (tenant currency)
    "charges": [
        {"customer": "C123456", "description": "Pallet storage per week", "quantity": 12, "rate": 4.5},
        {"customer": "C123456", "description": "Pick and pack per carton", "quantity": 340, "rate": 0.85},
        {"customer": "C123456", "description": "Inbound handling per pallet", "quantity": 6, "rate": 9.0},
        {
            "customer": "ACME01",
            "description": "Freezer storage per pallet per week",
            "quantity": 20,
            "rate": 7.25,
        },
    ],
    "currency": "AUD",
}

# the `other-data` persona's sandbox: none of the ids, names, codes or amounts above
OTHER_DATA: Mapping[str, Any] = {
    "customers": [
        {
            "id": "7d1c2a4e-5b6f-4c3d-9e8a-1f2b3c4d5e6f",
            "name": "Kiwi Kitchens",
            "references": {"code": "KK-001"},
        },
        {"name": "Harbour Provisions", "references": {"code": "HP-77"}},
    ],
    "warehouses": [{"name": "Auckland DC"}, {"name": "Wellington Cross-Dock"}],
    "products": [
        {
            "name": "Flat White Beans 1kg",
            "references": {"code": "FWB-1K", "barcode": "9421000000011"},
            "customer": {"references": {"code": "KK-001"}},
        },
        {
            "name": "Manuka Honey 500g",
            "references": {"code": "MH-500"},
            "customer": {"name": "Harbour Provisions"},
        },
    ],
    "stock": [
        {"product": "FWB-1K", "warehouse": "Auckland DC", "quantity": 7},
        {"product": "MH-500", "warehouse": "Wellington Cross-Dock", "quantity": 64},
    ],
    "charges": [
        {"customer": "KK-001", "description": "Chilled storage per pallet", "quantity": 3, "rate": 11.5}
    ],
    "currency": "NZD",
}

PRODUCT_DEFAULTS: Mapping[str, Any] = {
    "scope": "WAREHOUSE",
    "type": "General",
    "details": {"active": True},
    "defaultUnitOfMeasure": "UNITS",
    "unitOfMeasures": {"UNITS": {"baseQty": 1}},
    "status": "ACTIVE",
}


def iso(epoch: float) -> str:
    """ISO 8601 with an offset, as the vendor writes timestamps: 2026-01-01T00:00:00.000+00:00."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="milliseconds")


def timestamps(created: float, modified: float | None = None) -> dict[str, Any]:
    return {"created": {"time": iso(created)}, "modified": {"time": iso(modified or created)}}


def dotted_get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


class ReferenceProblem(ValueError):
    """A reference record that cannot be stored; the message says why."""


class ReferenceData:
    """Per tenant: customers, warehouses and products (entities of the mock's store, namespaces
    `<tenant>/<kind>`), stock on hand and bulk charges."""

    def __init__(self, store: VersionedStore, *, last_key_first: bool = False) -> None:
        self.store = store
        self.last_key_first = last_key_first  # a fault: the last present key decides
        self.stock: dict[str, list[dict[str, Any]]] = {}
        self.charges: dict[str, list[dict[str, Any]]] = {}
        self.currency = "AUD"

    def load(self, tenant: str, data_set: Mapping[str, Any]) -> None:
        self.currency = str(data_set.get("currency", self.currency))
        for kind in KINDS:
            for index, record in enumerate(data_set.get(kind, ())):
                derived = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tenant}/{kind}/{index}"))
                self.add(tenant, kind, record, record.get("id") or derived)
        self.stock[tenant] = []
        for row in data_set.get("stock", ()):
            product = self.find(tenant, "products", {"references": {"code": row["product"]}})
            warehouse = self.find(tenant, "warehouses", {"name": row["warehouse"]})
            if product is None or warehouse is None:
                raise ReferenceProblem(f"stock row {row!r}: unknown product or warehouse")
            self.stock[tenant].append({**row, "product": product.id, "warehouse": warehouse.id})
        self.charges[tenant] = []
        for row in data_set.get("charges", ()):
            customer = self.find(tenant, "customers", {"references": {"code": row["customer"]}})
            if customer is None:
                raise ReferenceProblem(f"charge row {row!r}: unknown customer")
            self.charges[tenant].append({**row, "customer": customer.id})

    def namespace(self, tenant: str, kind: str) -> str:
        return f"{tenant}/{kind}"

    def add(self, tenant: str, kind: str, record: Mapping[str, Any], entity_id: str | None = None) -> Entity:
        """Store one record (its `id`, when given, is kept); products get the product defaults and
        their customer resolved. Raises ReferenceProblem for a duplicate id or an unknown customer."""
        data = {k: copy.deepcopy(v) for k, v in record.items() if k not in ("id", "version", "timestamps")}
        if kind == "products":
            if data.get("scope", "WAREHOUSE") == "WAREHOUSE":
                data = {**copy.deepcopy(dict(PRODUCT_DEFAULTS)), **data}
            if "customer" in data:
                customer = self.find(tenant, "customers", data["customer"])
                if customer is None:
                    raise ReferenceProblem(f"customer {data['customer']!r} does not exist")
                data["customer"] = summary(customer)
        eid = entity_id or record.get("id")
        if eid is not None and self.get(tenant, kind, str(eid)) is not None:
            raise ReferenceProblem(f"{kind} {eid} already exists")
        data["timestamps"] = timestamps(self.store.clock())
        return self.store.create(self.namespace(tenant, kind), data, str(eid) if eid else None)

    def get(self, tenant: str, kind: str, entity_id: str) -> Entity | None:
        try:
            return self.store.get(self.namespace(tenant, kind), entity_id)
        except NotFound:
            return None

    def all(self, tenant: str, kind: str) -> list[Entity]:
        return self.store.list(self.namespace(tenant, kind))

    def find(self, tenant: str, kind: str, ref: Any) -> Entity | None:
        """The first present key in the seed's order decides (seed, Standard Elements)."""
        if not isinstance(ref, dict):
            return None
        keys = REFERENCE_KEYS[kind]
        for path in reversed(keys) if self.last_key_first else keys:
            wanted = dotted_get(ref, path)
            if wanted is None:
                continue
            if path == "id":
                return self.get(tenant, kind, str(wanted))
            return next((e for e in self.all(tenant, kind) if dotted_get(e.data, path) == wanted), None)
        return None

    def code_taken(self, tenant: str, kind: str, code: Any, *, customer: str | None = None) -> Entity | None:
        """The entity of `kind` already holding `references.code` (for products: of that customer)."""
        for entity in self.all(tenant, kind):
            same_owner = customer is None or dotted_get(entity.data, "customer.id") == customer
            if same_owner and dotted_get(entity.data, "references.code") == code:
                return entity
        return None


def summary(entity: Entity) -> dict[str, Any]:
    """How an order or a product names a customer, warehouse or product: id, name, references."""
    out: dict[str, Any] = {"id": entity.id, "name": entity.data.get("name")}
    if entity.data.get("references"):
        out["references"] = json_copy(entity.data["references"])
    return out


def view(entity: Entity, *, versioned: bool) -> dict[str, Any]:
    """The entity as the API shows it (customers and warehouses carry no version)."""
    shown = entity.view()
    if not versioned:
        shown.pop("version", None)
    return shown
