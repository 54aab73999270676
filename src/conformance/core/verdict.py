"""Verdicts as types: what a check's outcome can be, and the two exceptions a check raises.

A check returns (pass), raises `NotApplicable` (the rule does not apply to this API or target; the
reason says why) or raises a `CheckFailure` subclass (a documented rule was broken). Whoever runs
checks recognises these by class, never by message text.
"""

from __future__ import annotations

import unittest
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Literal, NoReturn, TypeVar, get_args

if TYPE_CHECKING:
    from conformance.core.exchange import Exchange

__all__ = [
    "FAILING",
    "VERDICTS",
    "CheckFailure",
    "NotApplicable",
    "Verdict",
    "documented",
    "not_applicable",
]
T = TypeVar("T")

Verdict = Literal["pass", "fail", "not-applicable", "skip", "error", "waived"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
FAILING: frozenset[Verdict] = frozenset({"fail", "error"})


class NotApplicable(unittest.SkipTest):
    """The rule does not apply to this API or this target; `reason` says why.

    A `unittest.SkipTest`, so every runner (pytest, Hypothesis inside a property test) treats it
    as "do not judge this" rather than as a failure; the plugin records it as "not applicable" by
    its type.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def not_applicable(reason: str) -> NoReturn:
    """End a check or a suite test with the verdict "not applicable" and its reason."""
    __tracebackhide__ = True
    raise NotApplicable(reason)


def documented(value: T | None, what: str) -> T:
    """`value` where the profile documents it; otherwise the verdict "not applicable: not
    documented: <what>" (e.g. `documented(profile.pagination.rules.order, "pagination.rules.order")`)."""
    __tracebackhide__ = True
    if value is None or (isinstance(value, list | dict) and not value):
        raise NotApplicable(f"not documented: {what}")
    return value


class CheckFailure(AssertionError):
    """A documented rule was broken. Subclasses are noun phrases with a stable `title`; each carries
    what the rule expected, what the target did, and the exchanges that prove it."""

    title: ClassVar[str] = "Contract violated"

    def __init__(
        self, expected: str, actual: str, evidence: Iterable[Exchange] = (), steps: Iterable[str] = ()
    ) -> None:
        self.expected = expected
        self.actual = actual
        self.evidence: list[Exchange] = list(evidence)
        self.steps: list[str] = list(steps)  # a sequence's failure: the numbered steps that led to it
        super().__init__(f"{self.title}: expected {expected}; actual {actual}")
