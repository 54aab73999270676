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
    fresh_window,
    quota_client,
    rate_limited_call,
    spend_rate_limit,
    until_refused,
)
from conformance.drive.requests import (
    TriggerUnavailable,
    code_pointer,
    example_body,
    fill_path_params,
    omit,
    probe_call,
    required_headers,
    send_trigger,
)
from conformance.drive.search import comparison, junction, listed, probe_value, search_pages, values_of

__all__ = [
    "MAX_PROBE_REQUESTS",
    "PlannedRequest",
    "ProbeUnavailable",
    "QuotaProbe",
    "TriggerUnavailable",
    "code_pointer",
    "comparison",
    "concurrent_requests",
    "example_body",
    "fill_path_params",
    "fresh_window",
    "json_at",
    "junction",
    "list_resource",
    "listed",
    "omit",
    "page_request",
    "probe_call",
    "probe_value",
    "quota_client",
    "rate_limited_call",
    "required_headers",
    "search_pages",
    "send_trigger",
    "spend_rate_limit",
    "until_refused",
    "values_of",
    "walk_pages",
]
