"""The fields of the records the OriginTrace mock seeds: the seed's examples, or another
sandbox's names, amounts and places (the other-data persona)."""

from __future__ import annotations

import uuid
from typing import Any


def resource_fields(resource: str, i: int, *, other: bool = False) -> dict[str, Any]:
    if other:  # another sandbox: other names, amounts and places (every field of the seed's example)
        return {
            "batches": {
                "farm_id": 40 + i, "agent_id": 900 + i, "total_weight": 88.25 * (i + 1), "bag_count": 3,
                "notes": "audit", "collected_at": "2025-03-02T08:00:00Z",
            },
            "shipments": {
                "shipment_code": f"EXP-{i:04d}", "destination_country": "Germany",
                "destination_port": "Hamburg",
                "buyer_company": "Nordkaffee", "commodity": "Coffee", "total_weight_kg": 9000 + i,
                "total_items": 7, "readiness_score": 71, "readiness_decision": "hold",
                "estimated_ship_date": "2025-04-01",
            },
            "farms": {
                "farmer_name": f"Grower {i}", "farmer_id": f"GHA-{500 + i}", "phone": "+233200000000",
                "community": "Kumasi", "area_hectares": 11, "commodity": "coffee",
            },
        }[resource]  # fmt: skip
    if resource == "batches":
        return {
            "farm_id": str(uuid.uuid4()),
            "agent_id": str(uuid.uuid4()),
            "total_weight": 1250.5 + i,
            "bag_count": 25,
            "notes": None,
            "collected_at": "2024-01-15T10:30:00Z",
        }
    if resource == "shipments":
        return {
            "shipment_code": f"SHP-ORG1-{i:06d}",
            "destination_country": "Netherlands",
            "destination_port": "Rotterdam",
            "buyer_company": "Barry Callebaut",
            "commodity": "Cocoa",
            "total_weight_kg": 25000,
            "total_items": 50,
            "readiness_score": 92,
            "readiness_decision": "go",
            "estimated_ship_date": "2024-02-15",
        }
    return {
        "farmer_name": f"Farmer {i}",
        "farmer_id": f"NGA-{10000 + i}",
        "phone": "+2348012345678",
        "community": "Ondo West",
        "area_hectares": 3.5,
        "commodity": "cocoa",
    }
