"""Every HTTP exchange the harness makes, recorded for the report, redacted on the way in."""

from __future__ import annotations

import datetime
import itertools
import json
import threading
import time

import httpx

from conformance.client.redaction import Redactor
from conformance.core.exchange import Exchange

MAX_BODY_CHARS = 5_000_000  # recorded in full for the checks; reports show core's REPORT_BODY_CHARS
EXCHANGE_KEY = "conformance.exchange"  # response.extensions key holding the recorded Exchange
_ids = itertools.count(1)


def _decode(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    if len(text) > MAX_BODY_CHARS:
        return text[:MAX_BODY_CHARS] + f"... [{len(text) - MAX_BODY_CHARS} more characters]"
    return text


class Recorder:
    """Collects the exchanges of one test. Thread-safe."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.events: list[dict[str, str]] = []  # what happened that is not a verdict (a 429 retried)

    def event(self, kind: str, message: str) -> None:
        """Note something the report shows beside the verdict (never a failure)."""
        with self._lock:
            self.events.append({"kind": kind, "message": self.redactor.text(message)})

    def take_events(self) -> list[dict[str, str]]:
        """The events noted since the last call (each case reports its own)."""
        with self._lock:
            taken, self.events = self.events, []
        return taken

    def record(
        self, request: httpx.Request, response: httpx.Response, elapsed: float, note: str = ""
    ) -> Exchange:
        # Tokens issued in this exchange become secrets before anything is written down.
        self._learn_tokens(response)
        r = self.redactor
        exchange = Exchange(
            id=next(_ids),
            method=request.method,
            url=r.url(str(request.url)),
            request_headers=r.headers(request.headers.multi_items()),
            request_body=r.body(_decode(request.content), request.headers.get("content-type")),
            status=response.status_code,
            response_headers=r.headers(response.headers.multi_items()),
            response_body=r.body(_decode(response.content), response.headers.get("content-type")),
            elapsed_ms=round(elapsed * 1000, 3),
            note=note,
        )
        with self._lock:
            self.exchanges.append(exchange)
        return exchange

    def _learn_tokens(self, response: httpx.Response) -> None:
        if "json" not in response.headers.get("content-type", ""):
            return
        try:
            data = json.loads(response.content)
        except ValueError:
            return
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if key.lower() in ("access_token", "refresh_token", "id_token", "secret", "api_key"):
                        if isinstance(value, str):
                            self.redactor.add(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)


def _strip_omitted(request: httpx.Request) -> None:
    from conformance.client.transports import OMIT_HEADERS_KEY

    for name in request.extensions.get(OMIT_HEADERS_KEY, ()):
        if name in request.headers:
            del request.headers[name]


def _with_exchange(response: httpx.Response, exchange: Exchange, seconds: float) -> httpx.Response:
    """The answer, read here, with its exchange and its elapsed time (a response read before the
    client's own read is closed already: the client would never set `elapsed`)."""
    response.extensions = {**response.extensions, EXCHANGE_KEY: exchange}
    response.elapsed = datetime.timedelta(seconds=seconds)
    return response


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport; records each exchange (auth token calls included)."""

    def __init__(self, inner: httpx.BaseTransport, recorder: Recorder) -> None:
        self.inner = inner
        self.recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _strip_omitted(request)
        started = time.perf_counter()
        response = self.inner.handle_request(request)
        response.read()
        seconds = time.perf_counter() - started
        return _with_exchange(response, self.recorder.record(request, response, seconds), seconds)

    def close(self) -> None:
        """The inner transport belongs to the target that made it; it closes it."""


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """The async twin of `RecordingTransport`, for concurrent requests from one event loop."""

    def __init__(self, inner: httpx.AsyncBaseTransport, recorder: Recorder) -> None:
        self.inner = inner
        self.recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _strip_omitted(request)
        started = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        seconds = time.perf_counter() - started
        return _with_exchange(response, self.recorder.record(request, response, seconds), seconds)
