"""OriginTrace API keys: the stored record and its public (secret-free) listing form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiKey:
    id: str
    secret: str
    org: str
    name: str
    scopes: list[str]
    rate_limit_per_hour: int
    created_at: float
    expires_at: float | None
    status: str = "active"
    last_used_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key_prefix": self.secret[:8],
            "name": self.name,
            "scopes": list(self.scopes),
            "rate_limit_per_hour": self.rate_limit_per_hour,
            "status": self.status,
            "expires_at": _iso(self.expires_at),
            "last_used_at": _iso(self.last_used_at),
            "created_at": _iso(self.created_at),
        }


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    try:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, OSError):
        return "9999-12-31T23:59:59Z"  # a lifetime beyond the calendar: in effect, never
