"""What a reference model predicts a target answers: the status, the body fields (by JSON Pointer)
and the headers of one exchange, each an exact value or a `Match` (a range, one of several values,
"present"). A model makes predictions; a check compares them with what was recorded.

Only what the documents promise is predicted: a field a vendor may fill differently is left out
(CONTRACT-DECISIONS, "Latitude").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ABSENT",
    "Match",
    "Prediction",
    "absent",
    "at_least",
    "between",
    "equal",
    "ids_in_order",
    "not_equal",
    "one_of",
    "present",
    "same_value",
    "text",
]


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()  # what a JSON Pointer or a header that is not there reads as


@dataclass(frozen=True)
class Match:
    """An expectation that is not one exact value: `test` says whether a value meets it."""

    description: str
    test: Callable[[Any], bool] = field(compare=False)

    def __call__(self, value: Any) -> bool:
        try:
            return bool(self.test(value))
        except (TypeError, ValueError):
            return False

    def __repr__(self) -> str:
        return self.description


def _number(value: Any) -> float:
    """A number, or a header's decimal text read as one; anything else is a TypeError."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(f"{value!r} is not a number")


def same_value(expected: Any, actual: Any) -> bool:
    """JSON equality, numbers within a relative 1e-9 (12.5 == 12.50; a weight summed in floats)."""
    if isinstance(expected, Match):
        return expected(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same_value(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(same_value, expected, actual))
    return bool(type(expected) is type(actual) and expected == actual)


def equal(value: Any) -> Match:
    """The value, a header's text read as the same number or text (`"3"` for 3)."""

    def test(actual: Any) -> bool:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return math.isclose(_number(actual), float(value), rel_tol=1e-9, abs_tol=1e-9)
        return str(actual) == str(value)

    return Match(repr(value), test)


def between(low: float, high: float) -> Match:
    return Match(f"between {low:g} and {high:g}", lambda v: low <= _number(v) <= high)


def at_least(low: float) -> Match:
    return Match(f"at least {low:g}", lambda v: _number(v) >= low)


def one_of(*values: Any) -> Match:
    return Match(" or ".join(map(repr, values)), lambda v: any(same_value(x, v) for x in values))


def not_equal(value: Any) -> Match:
    return Match(f"anything but {value!r}", lambda v: v is not ABSENT and not same_value(value, v))


def text() -> Match:
    return Match("a string", lambda v: isinstance(v, str))


def ids_in_order(ids: list[str], id_pointer: str = "/id") -> Match:
    """A list of objects whose ids (at `id_pointer` in each) are exactly `ids`, in this order."""
    from conformance.core import jsonpointer

    def test(items: Any) -> bool:
        return isinstance(items, list) and [str(jsonpointer.get(i, id_pointer)) for i in items] == ids

    return Match(f"items with the ids {ids} in this order", test)


present = Match("present", lambda v: v is not ABSENT and v is not None)
absent = Match("absent", lambda v: v is ABSENT)


@dataclass(frozen=True)
class Prediction:
    """The answer a model predicts for one request: `status` (any of them), `fields` (JSON Pointer
    into the response body -> value or Match), `headers` (name -> value or Match) and `why`: the
    model's reason in words (the rule it applies), shown beside a mismatch."""

    status: tuple[int, ...]
    fields: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    why: str = ""

    def describe(self) -> str:
        parts = ["HTTP " + " or ".join(map(str, self.status))]
        parts += [f"{pointer or '(body)'} = {value!r}" for pointer, value in self.fields.items()]
        parts += [f"{name}: {value!r}" for name, value in self.headers.items()]
        text = ", ".join(parts)
        return f"{text} ({self.why})" if self.why else text
