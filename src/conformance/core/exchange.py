"""One recorded HTTP exchange: the request and its response, redacted when recorded.

Checks judge exchanges, reports show them; nothing here sends a request.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from conformance.core import jsonpointer
from conformance.core.http import is_success, parse_link

__all__ = ["MASK", "REPORT_BODY_CHARS", "Exchange"]

MASK = "[REDACTED]"  # what a secret looks like in a recorded exchange
REPORT_BODY_CHARS = 20_000  # a report shows this much of a body; checks see all of it
_CURL_SKIPPED_HEADERS = ("host", "content-length", "user-agent", "accept-encoding", "connection")


@dataclass(frozen=True)
class Exchange:
    """One request and its response, already redacted."""

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

    @property
    def ok(self) -> bool:
        """The response status is 2xx."""
        return is_success(self.status)

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

    def request_json(self) -> Any:
        """The request body as JSON, or None when it is not JSON (e.g. a webhook delivery's payload)."""
        try:
            return json.loads(self.request_body)
        except ValueError:
            return None

    def json_at(self, pointer: str, default: Any = None) -> Any:
        """The value at a JSON Pointer in the response body ('' is the body), or `default`."""
        return jsonpointer.get(self.json(), pointer, default)

    @property
    def links(self) -> dict[str, str]:
        """The response's RFC 8288 `Link` header as {rel: url}."""
        return parse_link(self.header("link"))

    @property
    def path(self) -> str:
        return httpx.URL(self.url).raw_path.decode()

    def to_curl(self) -> str:
        """A curl command reproducing the request (secrets stay masked)."""
        parts = ["curl", "-sS", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers:
            if name.lower() in _CURL_SKIPPED_HEADERS:
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        return " ".join(parts)

    def summary(self) -> str:
        return f"{self.method} {self.url} -> {self.status}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["curl"] = self.to_curl()
        for key in ("request_body", "response_body"):
            text = data[key]
            if len(text) > REPORT_BODY_CHARS:
                more = len(text) - REPORT_BODY_CHARS
                data[key] = text[:REPORT_BODY_CHARS] + f"... [{more} more characters]"
        return data
