"""Transports: in-process ASGI (mocks) and the real network (live targets)."""

from __future__ import annotations

import asyncio
import atexit
import threading
from typing import Any

import anyio
import httpx

OMIT_HEADERS_KEY = "conformance.omit_headers"  # request extension: header names to drop before sending


class SyncASGITransport(httpx.BaseTransport):
    """Drives an ASGI app in-process from synchronous code, through `httpx.ASGITransport`.

    The main thread keeps one event loop for all its requests (a new loop per request cost half of
    an in-process request: benchmarks, docs/PERFORMANCE.md) and runs each on it with
    `run_until_complete`, not `Runner.run`: the runner swaps its SIGINT handler in and out around
    every call, and `signal.signal`/`getsignal` word the handler they return through an Enum lookup
    that fails and formats the handler's repr — the finished task and its whole answer (0.5-1.8 ms
    a page of 100 CartonCloud orders). Ctrl-C still raises KeyboardInterrupt in the main thread.
    Any other thread runs each request in its own short loop, so the transport stays safe to use
    from many threads at once (the concurrency tests rely on that).
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

        if threading.current_thread() is threading.main_thread():
            status, headers, content = _main_thread_runner().get_loop().run_until_complete(call())
        else:
            status, headers, content = anyio.run(call)
        return httpx.Response(status, headers=headers, content=content, request=request)


_RUNNER: list[asyncio.Runner] = []


def _main_thread_runner() -> asyncio.Runner:
    """The main thread's event loop for in-process requests, closed when the process exits."""
    if not _RUNNER:
        runner = asyncio.Runner()
        _RUNNER.append(runner)
        atexit.register(runner.close)
    return _RUNNER[0]


def network_transport(verify: bool = True) -> httpx.BaseTransport:
    return httpx.HTTPTransport(verify=verify, retries=0)
