"""What our small ASGI apps share (mocks, the webhook receiver): the lifespan protocol, and serving
one on a port in a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

Message = MutableMapping[str, Any]


async def lifespan(
    receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
) -> None:
    """Answer an ASGI lifespan scope: acknowledge startup and shutdown, hold no state."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class _Server(uvicorn.Server):
    """uvicorn's server, woken at once when asked to stop: its main loop would look every 0.1 s and
    its shutdown would wait another 0.1 s for connections it has just closed, even when none was
    open — 0.2 s at every stop, paid by every test that serves an app (a webhook receiver each)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None  # set with _stop once the loop runs
        self._stop = asyncio.Event()

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self.should_exit:  # stop() after the loop is known sets the event; before, this flag
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
            await self.on_tick(0)  # the Date header, once a second as uvicorn keeps it

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.server_state.connections or self.server_state.tasks:
            await super().shutdown(sockets)  # let open connections finish, as uvicorn does
            return
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()

    def request_stop(self) -> None:
        self.should_exit = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended in between
                loop.call_soon_threadsafe(self._stop.set)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ServedApp:
    """An ASGI app served by uvicorn on host:port (a free loopback port unless given) in a background
    thread: `start()` returns once it listens (bounded), `stop()` as soon as it has closed."""

    def __init__(self, app: Any, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            app, host=host, port=self.port, log_level="error", access_log=False, lifespan="off"
        )
        self.server = _Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self, timeout: float = 10.0) -> ServedApp:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"could not serve on {self.host}:{self.port} within {timeout} s")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self.server.request_stop()
        self.thread.join(timeout=10)
