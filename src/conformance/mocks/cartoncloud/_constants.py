"""Fixed identities, limits, statuses and resource tables of the CartonCloud mock."""

from __future__ import annotations

import re

TENANT_ID = "0b7c5a52-3f4e-4d7a-9a51-6a3e2c1d0e01"
OTHER_TENANT_ID = "5d1e9f80-8c2b-4b6e-a0d4-2f7e3b9c4a02"
TENANTS = (TENANT_ID, OTHER_TENANT_ID)
TOKEN_LIFETIME = 3600
# the vendor versions endpoints up to 8; our resources answer the same under each (revised turn 2)
SUPPORTED_VERSIONS = tuple(str(v) for v in range(1, 9))
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "cc-demo-client",
    "CLIENT_SECRET": "cc-demo-secret-7Hq2",
    "OTHER_CLIENT_ID": "cc-other-client",
    "OTHER_CLIENT_SECRET": "cc-other-secret-Jx81",
}
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# the vendor's statuses (notes, "Statuses"; CONTRACT-DECISIONS, cartoncloud)
OUTBOUND_STATUSES = (
    "DRAFT", "AWAITING_STOCK", "AWAITING_PICK_AND_PACK", "PACKING_IN_PROGRESS", "PICKED", "PACKED",
    "DISPATCHED", "REJECTED",
)  # fmt: skip
INBOUND_STATUSES = ("DRAFT", "AWAITING_ARRIVAL", "RECEIVED", "VERIFIED", "ALLOCATED")
CONSIGNMENT_STATUSES = (
    "DRAFT", "AWAITING_PICKUP", "AWAITING_POINT_TO_POINT_PICKUP", "AWAITING_SALE_ORDER_PACKING",
    "AWAITING_DROPOFF", "IN_TRANSIT_PICKUP_WAREHOUSE", "IN_WAREHOUSE", "WITH_ON_FORWARDER",
    "IN_TRANSIT_WAREHOUSE_DELIVERY", "IN_TRANSIT_PICK_DELIVERY", "COLLECTED", "DELIVERED",
    "POINT_TO_POINT_DELIVERED", "CANCELLED",
)  # fmt: skip
SERVER_ONLY_STATUSES = frozenset({"REJECTED"})
# an outbound order reaching one of these gets timestamps.<name>.time
MILESTONES = {"PACKED": "packed", "DISPATCHED": "dispatched"}
DELETABLE_STATUSES = frozenset({"DRAFT"})


# resource path segment -> (default type, status on create, webhook event, input schema, statuses)
RESOURCES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "inbound-orders": (
        "INBOUND", "AWAITING_ARRIVAL", "inbound_order.status_changed", "InboundOrderInput", INBOUND_STATUSES,
    ),
    "outbound-orders": (
        "OUTBOUND", "DRAFT", "outbound_order.status_changed", "OutboundOrderInput", OUTBOUND_STATUSES,
    ),
    "consignments": (
        "CONSIGNMENT", "DRAFT", "consignment.status_changed", "ConsignmentInput", CONSIGNMENT_STATUSES,
    ),
}  # fmt: skip
LABELS = {
    "inbound-orders": "Inbound order",
    "outbound-orders": "Outbound order",
    "consignments": "Consignment",
    "warehouse-products": "Warehouse product",
    "customers": "Customer",
    "report-runs": "Report run",
}

# how a reference finds its entity: the first present key, in the seed's order
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "references.code", "name"),
    "warehouses": ("id", "name"),
    "products": ("id", "references.code", "references.barcode", "name"),
}

REPORT_TYPES = ("STOCK_ON_HAND", "BULK_CHARGES")
REPORT_SECONDS = 2.0  # a report run is IN_PROCESS this long on the mock's clock, then SUCCESS
REPORT_KEPT_SECONDS = 7 * 86400  # results are kept 7 days, then 404 (vendor docs)
REPORT_MAX_PAGE_SIZE = 100
