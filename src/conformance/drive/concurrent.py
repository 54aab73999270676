"""Concurrent writes from one event loop (optimistic-locking contention)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.client import Recorder
from conformance.client.recording import EXCHANGE_KEY, AsyncRecordingTransport
from conformance.core import Exchange


@dataclass(frozen=True)
class PlannedRequest:
    method: str
    url: str
    headers: dict[str, str]
    json: Any


def concurrent_requests(
    transport: httpx.AsyncBaseTransport,
    recorder: Recorder,
    planned: Sequence[PlannedRequest],
    timeout: float = 30.0,
) -> list[Exchange]:
    """Send all requests at once from one event loop; return their exchanges in order."""

    async def run() -> list[Exchange]:
        async with httpx.AsyncClient(
            transport=AsyncRecordingTransport(transport, recorder), timeout=timeout
        ) as http:
            responses = await asyncio.gather(
                *(http.request(p.method, p.url, headers=p.headers, json=p.json) for p in planned)
            )
        return [r.extensions[EXCHANGE_KEY] for r in responses]

    return asyncio.run(run())
