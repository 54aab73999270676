"""Fixed identities, limits and resource tables of the CartonCloud mock."""

from __future__ import annotations

import re

TENANT_ID = "0b7c5a52-3f4e-4d7a-9a51-6a3e2c1d0e01"
OTHER_TENANT_ID = "5d1e9f80-8c2b-4b6e-a0d4-2f7e3b9c4a02"
TOKEN_LIFETIME = 3600
SUPPORTED_VERSIONS = ("1",)
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "cc-demo-client",
    "CLIENT_SECRET": "cc-demo-secret-7Hq2",
    "OTHER_CLIENT_ID": "cc-other-client",
    "OTHER_CLIENT_SECRET": "cc-other-secret-Jx81",
}
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# resource path segment -> (default type, initial status, webhook event, input schema)
RESOURCES: dict[str, tuple[str, str, str, str]] = {
    "inbound-orders": ("INBOUND", "AWAITING", "inbound_order.status_changed", "InboundOrderInput"),
    "outbound-orders": ("OUTBOUND", "AWAITING", "outbound_order.status_changed", "OutboundOrderInput"),
    "consignments": ("CONSIGNMENT", "DRAFT", "consignment.status_changed", "ConsignmentInput"),
}

# how a reference finds its entity: the first present key, in the seed's order
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "references.code", "name"),
    "warehouses": ("id", "name"),
    "products": ("id", "references.code", "references.barcode", "name"),
}
