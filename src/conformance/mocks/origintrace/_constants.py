"""Windows, organisations and the resource tables of the OriginTrace mock."""

from __future__ import annotations

WINDOW_SECONDS = 3600
DEFAULT_RATE_LIMIT = 1000
ORG = "org-demo"
OTHER_ORG = "org-other"
SESSION_COOKIE = "ot_session"
# resource -> (filter parameter, its values, field)
RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "batches": ("status", ("collecting", "completed", "aggregated", "shipped")),
    "shipments": ("status", ("draft", "ready", "shipped", "cancelled")),
    "farms": ("compliance_status", ("pending", "approved", "rejected")),
}
