"""Polite traffic: every request a suite sends (token calls included) stays inside the documented
quota, and an unexpected 429 is waited out and sent again — recorded as an event, never a failure.

Only the rate-limit probes (and error triggers that must provoke a 429) send impolitely: their
clients are made with `polite=False`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from conformance.client.pacing import Paces
from conformance.core import jsonpointer
from conformance.core.http import retry_after_seconds

if TYPE_CHECKING:
    from conformance.client.recording import Recorder

BACKOFF_SECONDS = (1.0, 2.0, 4.0)  # when a 429 carries no retry hint


@dataclass
class Politeness:
    """How one identity behaves: what it paces, how long it will wait for a 429, how it waits."""

    pacer: Paces | None
    counts: Callable[[httpx.Request], bool]  # requests the documented quota counts
    wait: Callable[[float], None]
    retry_after_field: str | None = None  # JSON Pointer of a retry hint in a 429 body
    max_retries: int = 3
    max_wait_seconds: float = 120.0  # longer hints are not waited for: the 429 is returned


def operation_matcher(method: str, url_template: str) -> Callable[[httpx.Request], bool]:
    """A predicate for requests of one operation: its method and its URL with any path values."""
    pattern = re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(url_template)) + r"/?")

    def matches(request: httpx.Request) -> bool:
        url = str(request.url.copy_with(query=None, fragment=None))
        return request.method == method and pattern.fullmatch(url) is not None

    return matches


def every_request(request: httpx.Request) -> bool:
    return True


class PoliteTransport(httpx.BaseTransport):
    """Paces requests that count against the quota; waits out an unexpected 429 (its
    `Retry-After`, the profile's retry field, or a bounded back-off) and sends it again."""

    def __init__(self, inner: httpx.BaseTransport, politeness: Politeness, recorder: Recorder) -> None:
        self.inner = inner
        self.politeness = politeness
        self.recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        polite = self.politeness
        counted = polite.counts(request)
        for attempt in range(polite.max_retries + 1):
            if counted and polite.pacer is not None:
                polite.pacer.before_request()
            response = self.inner.handle_request(request)
            if response.status_code != 429 or attempt == polite.max_retries:
                return response
            response.read()
            delay, basis = self._hint(response, attempt)
            where = f"{request.method} {request.url.copy_with(query=None)}"
            if delay > polite.max_wait_seconds:
                self.recorder.event("rate-limited", f"{where}: 429; {basis} is {delay:.0f} s, not waited for")
                return response
            self.recorder.event(
                "rate-limited",
                f"{where}: 429; waited {delay:g} s ({basis}) and sent it again (attempt {attempt + 2})",
            )
            polite.wait(delay)
        return response

    def _hint(self, response: httpx.Response, attempt: int) -> tuple[float, str]:
        header = retry_after_seconds(response.headers.get("retry-after"))
        if header is not None:
            return header, "Retry-After"
        field = self.politeness.retry_after_field
        if field:
            try:
                body = response.json()
            except ValueError:
                body = None
            hinted = retry_after_seconds(jsonpointer.get(body, field))
            if hinted is not None:
                return hinted, f"the body's {field}"
        return BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)], "back-off"

    def close(self) -> None:
        """The inner transport belongs to the client that made it."""
