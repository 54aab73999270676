"""Transports: in-process ASGI (mocks) and the real network (live targets)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx

OMIT_HEADERS_KEY = "conformance.omit_headers"  # request extension: header names to drop before sending


class SyncASGITransport(httpx.BaseTransport):
    """Drives an ASGI app in-process from synchronous code, through `httpx.ASGITransport`.

    Each request runs in its own short event loop, so the transport is safe to use from
    many threads at once (the concurrency tests rely on that).
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            async_request = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._asgi.handle_async_request(async_request)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = anyio.run(call)
        return httpx.Response(status, headers=headers, content=content, request=request)


def network_transport(verify: bool = True) -> httpx.BaseTransport:
    return httpx.HTTPTransport(verify=verify, retries=0)
