"""Checks: one function per documented rule, pure over recorded exchanges.

A check returns (pass), raises `NotApplicable`, or raises a `CheckFailure` subclass with
`expected`, `actual` and the evidence. Checks never send requests and never import mocks; each
declares the profile rules it judges (`@check(capability, judges=...)`).
"""

from __future__ import annotations

from conformance.checks import (
    auth,
    business,
    errors,
    locking,
    pagination,
    pagination_positions,
    rate_limit,
    rate_windows,
    schema,
    search,
    stateful,
    transport,
    webhooks,
)
from conformance.checks._registry import REGISTRY, CheckDeclarationError, CheckInfo, check, info
from conformance.core import CheckFailure, NotApplicable

__all__ = [
    "REGISTRY",
    "CheckDeclarationError",
    "CheckFailure",
    "CheckInfo",
    "NotApplicable",
    "auth",
    "business",
    "check",
    "errors",
    "info",
    "locking",
    "pagination",
    "pagination_positions",
    "rate_limit",
    "rate_windows",
    "schema",
    "search",
    "stateful",
    "transport",
    "webhooks",
]
