"""A webhook receiver: a small ASGI app that records every delivery (redacted, as an `Exchange`
whose request is the vendor's POST and whose response is ours) and answers with a scripted status,
so the suites can check delivery, payload, custom headers and retries. Served on 127.0.0.1."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpx

from conformance.client import Recorder, Redactor
from conformance.core import Exchange
from conformance.core.asgi import ServedApp, lifespan


class WebhookReceiver:
    """Records deliveries; answers each with the next scripted status (then `default_status`)."""

    def __init__(self, redactor: Redactor | None = None, *, default_status: int = 204) -> None:
        self.recorder = Recorder(redactor or Redactor())
        self.default_status = default_status
        self._script: deque[int] = deque()
        self._lock = threading.Lock()
        self.path = "/hooks/conformance"

    def script(self, statuses: Iterable[int]) -> None:
        """The next deliveries get these statuses, in order (e.g. [500] to provoke a retry)."""
        with self._lock:
            self._script.extend(statuses)

    @property
    def deliveries(self) -> list[Exchange]:
        return list(self.recorder.exchanges)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        with self._lock:
            status = self._script.popleft() if self._script else self.default_status
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        host = next((v for k, v in headers if k.lower() == "host"), "127.0.0.1")
        query = scope.get("query_string", b"").decode()
        url = f"http://{host}{scope['path']}" + (f"?{query}" if query else "")
        request = httpx.Request(scope["method"], url, headers=headers, content=body)
        self.recorder.record(request, httpx.Response(status, content=b""), 0.0, note="webhook delivery")
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


class ServedReceiver(ServedApp):
    """A `WebhookReceiver` on 127.0.0.1 in a background thread (bounded start, clean stop)."""

    def __init__(self, receiver: WebhookReceiver, port: int | None = None, host: str = "127.0.0.1") -> None:
        super().__init__(receiver, port=port, host=host)
        self.receiver = receiver

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.receiver.path}"

    def start(self, timeout: float = 10.0) -> ServedReceiver:
        try:
            super().start(timeout)
        except RuntimeError:
            raise RuntimeError(f"webhook receiver did not start on {self.host}:{self.port}") from None
        return self


LISTEN_NEEDED = "the host:port the vendor delivers webhooks to (registered with the vendor beforehand)"


def start_receiver(target: Any) -> ServedReceiver | None:
    """A started receiver for a run's target: against a mock (a control plane) on a free loopback
    port; live on the address the vendor was told (`WEBHOOK_LISTEN=host:port`); None when a live
    target names no address (the caller skips, citing LISTEN_NEEDED)."""
    if target.control is not None:
        return ServedReceiver(WebhookReceiver(target.redactor)).start()
    listen = target.config.get("WEBHOOK_LISTEN")
    if not listen:
        return None
    host, _, port = str(listen).rpartition(":")
    return ServedReceiver(WebhookReceiver(target.redactor), port=int(port), host=host or "127.0.0.1").start()
