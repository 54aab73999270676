"""The base layer: recorded exchanges, JSON Pointers, HTTP header grammar and verdict types.

It depends on nothing of ours (only the standard library, httpx and jsonpointer); every other
layer builds on it (see ARCHITECTURE.md).
"""

from __future__ import annotations

from conformance.core.exchange import MASK, Exchange
from conformance.core.verdict import (
    FAILING,
    VERDICTS,
    CheckFailure,
    NotApplicable,
    Verdict,
    documented,
    not_applicable,
)

__all__ = [
    "FAILING",
    "MASK",
    "VERDICTS",
    "CheckFailure",
    "Exchange",
    "NotApplicable",
    "Verdict",
    "documented",
    "not_applicable",
]
