"""Organisations, item categories and the per-resource error codes of the Ag Catalog mock."""

from __future__ import annotations

import re
from dataclasses import dataclass

ORG_ID = "a3c1e5d2-7b44-4f0e-9c21-0d5e6f7a8b01"
SANDBOX_ORG_IDS = (
    "7e2f0c11-5d3a-4b8e-a1f9-3c6d8e0b2a10",
    "7e2f0c11-5d3a-4b8e-a1f9-3c6d8e0b2a20",
)  # other-data
OTHER_ORG_ID = "b4d2f6e3-8c55-4a1f-8d32-1e6f7a8b9c02"
TOKEN_PATH = "/oauth/token"
TOKEN_LIFETIME = 3600
ITEM_CATEGORIES = ("SEED", "SUPPLY", "EQUIPMENT", "PACKAGING", "OTHER")  # invented (CONTRACT-DECISIONS)
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "agcatalog-demo-client",
    "CLIENT_SECRET": "agcatalog-demo-secret-P3v9",
    "OTHER_CLIENT_ID": "agcatalog-other-client",
    "OTHER_CLIENT_SECRET": "agcatalog-other-secret-W6n1",
}


@dataclass(frozen=True)
class Codes:
    """The seed's error codes of one resource (and their statuses)."""

    label: str
    not_found: str
    duplicate: str
    duplicate_status: int
    invalid: str
    conflict: str
    filter_field: str


RESOURCES = {
    "products": Codes("Product", "ECPR002", "ECPR001", 400, "ECPR003", "ECPR008", "indication"),
    "items": Codes("Item", "ECIT001", "ECIT002", 400, "E400", "ECIT003", "category"),
    "fertilizers": Codes("Fertilizer", "ECFR002", "ECFR001", 409, "ECFR003", "ECFR009", "form"),
}
