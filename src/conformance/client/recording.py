"""Every HTTP exchange the harness makes, recorded for the report, redacted on the way in."""

from __future__ import annotations

import itertools
import json
import shlex
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from conformance.client.redaction import Redactor

MAX_BODY_CHARS = 5_000_000  # recorded in full for the checks; reports show REPORT_BODY_CHARS
REPORT_BODY_CHARS = 20_000
EXCHANGE_KEY = "conformance.exchange"  # response.extensions key holding the recorded Exchange
_ids = itertools.count(1)


def _decode(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    if len(text) > MAX_BODY_CHARS:
        return text[:MAX_BODY_CHARS] + f"... [{len(text) - MAX_BODY_CHARS} more characters]"
    return text


@dataclass(frozen=True)
class Exchange:
    """One request and its response, already redacted. Checks judge these; reports show them."""

    id: int
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: str
    status: int
    response_headers: list[tuple[str, str]]
    response_body: str
    elapsed_ms: float
    note: str = ""
    _json: Any = field(default=None, repr=False, compare=False)

    def header(self, name: str) -> str | None:
        """First response header of that name (case-insensitive)."""
        lname = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == lname), None)

    def request_header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.request_headers if k.lower() == lname), None)

    def json(self) -> Any:
        """The response body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    @property
    def path(self) -> str:
        return httpx.URL(self.url).raw_path.decode()

    def to_curl(self) -> str:
        """A curl command reproducing the request (secrets stay masked: fill them in by hand)."""
        parts = ["curl", "-sS", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers:
            if name.lower() in ("host", "content-length", "user-agent", "accept-encoding", "connection"):
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        return " ".join(parts)

    def summary(self) -> str:
        return f"{self.method} {self.url} -> {self.status}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_json", None)
        data["curl"] = self.to_curl()
        for key in ("request_body", "response_body"):
            text = data[key]
            if len(text) > REPORT_BODY_CHARS:
                more = len(text) - REPORT_BODY_CHARS
                data[key] = text[:REPORT_BODY_CHARS] + f"... [{more} more characters]"
        return data


class Recorder:
    """Collects the exchanges of one test. Thread-safe."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []

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
        exchange = self.recorder.record(request, response, time.perf_counter() - started)
        response.extensions = {**response.extensions, EXCHANGE_KEY: exchange}
        return response

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
        exchange = self.recorder.record(request, response, time.perf_counter() - started)
        response.extensions = {**response.extensions, EXCHANGE_KEY: exchange}
        return response
