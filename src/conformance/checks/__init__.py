"""Checks: one function per documented rule, pure over recorded exchanges.

A check returns (pass), raises `NotApplicable`, or raises a `CheckFailure` subclass with
`expected`, `actual` and the evidence. Checks never send requests and never import mocks.
"""

from __future__ import annotations

from conformance.checks import auth, business, errors, locking, pagination, rate_limit, transport, webhooks
from conformance.checks.base import REGISTRY, CheckFailure, CheckInfo, NotApplicable, check

__all__ = [
    "REGISTRY",
    "CheckFailure",
    "CheckInfo",
    "NotApplicable",
    "auth",
    "business",
    "check",
    "errors",
    "locking",
    "pagination",
    "rate_limit",
    "transport",
    "webhooks",
]
