"""The suites' traffic layer: build documented requests, walk pages, spend quotas, fire concurrent
writes. These send requests; they never judge them (that is what `conformance.checks` is for)."""

from __future__ import annotations

from conformance.core.jsonpointer import get as json_at
from conformance.drive.concurrent import PlannedRequest, concurrent_requests
from conformance.drive.pages import list_resource, page_request, walk_pages
from conformance.drive.quota import (
    MAX_PROBE_REQUESTS,
    ProbeUnavailable,
    QuotaProbe,
    rate_limited_call,
    spend_rate_limit,
)
from conformance.drive.requests import (
    code_pointer,
    example_body,
    fill_path_params,
    omit,
    probe_call,
    required_headers,
    send_trigger,
)

__all__ = [
    "MAX_PROBE_REQUESTS",
    "PlannedRequest",
    "ProbeUnavailable",
    "QuotaProbe",
    "code_pointer",
    "concurrent_requests",
    "example_body",
    "fill_path_params",
    "json_at",
    "list_resource",
    "omit",
    "page_request",
    "probe_call",
    "rate_limited_call",
    "required_headers",
    "send_trigger",
    "spend_rate_limit",
    "walk_pages",
]
