"""The `/__mock__/` control plane of a mock (in-process or served). Not part of any contract; its
calls are not evidence and are not recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

CONTROL_PATH = "/__mock__"


class ControlPlaneError(RuntimeError):
    """A control-plane call failed; the message names the action and the answer."""


class ControlPlane:
    def __init__(
        self, root_url: str, transport: httpx.BaseTransport, on_advance: Callable[[float], None] | None = None
    ) -> None:
        self._http = httpx.Client(
            transport=transport, base_url=root_url.rstrip("/") + CONTROL_PATH, timeout=30.0
        )
        self._on_advance = on_advance

    def _post(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        response = self._http.post(f"/{action}", json=dict(payload or {}))
        if response.status_code != 200:
            raise ControlPlaneError(
                f"control plane {action}: HTTP {response.status_code} {response.text[:300]}"
            )
        return response.json()

    def info(self) -> Any:
        return self._http.get("/").json()

    def reset(self) -> None:
        self._post("reset")

    def advance(self, seconds: float) -> None:
        self._post("clock/advance", {"seconds": seconds})
        if self._on_advance:
            self._on_advance(seconds)

    def seed(self, resource: str, count: int, **extra: Any) -> list[str]:
        return list(self._post("seed", {"resource": resource, "count": count, **extra})["ids"])

    def set_status(self, resource: str, entity_id: str, status: str, **extra: Any) -> Any:
        return self._post("status", {"resource": resource, "id": entity_id, "status": status, **extra})

    def register_webhook(
        self,
        url: str,
        events: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        statuses: Iterable[str] = (),
    ) -> Any:
        payload = {"url": url, "events": list(events), "headers": dict(headers or {})}
        if statuses:
            payload["statuses"] = list(statuses)
        return self._post("webhooks", payload)

    def fail_next(self) -> None:
        """The next API request gets the vendor's 500 envelope."""
        self._post("fail-next")

    def pump_webhooks(self) -> Any:
        return self._post("webhooks/pump")

    def deliveries(self) -> list[dict[str, Any]]:
        return list(self._http.get("/webhooks/deliveries").json()["deliveries"])

    def close(self) -> None:
        self._http.close()
