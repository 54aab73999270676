"""What a check is: a pure function over recorded exchanges that returns (pass), raises
`NotApplicable`, or raises a typed `CheckFailure` with expected, actual and the evidence."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from conformance.client.recording import Exchange

F = TypeVar("F", bound=Callable[..., None])


class NotApplicable(Exception):
    """The rule does not apply to this API or this target; the message says why."""


class CheckFailure(AssertionError):
    """A documented rule was broken. Subclasses give the stable `title`."""

    title: ClassVar[str] = "Contract violated"

    def __init__(self, expected: str, actual: str, evidence: Iterable[Exchange] = ()) -> None:
        self.expected = expected
        self.actual = actual
        self.evidence = list(evidence)
        super().__init__(f"{self.title}: expected {expected}; actual {actual}")


@dataclass(frozen=True)
class CheckInfo:
    name: str
    capability: str
    function: Callable[..., None]

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip().splitlines()[0]


REGISTRY: dict[str, CheckInfo] = {}


def check(capability: str) -> Callable[[F], F]:
    """Register a check function under its name, e.g. `locking_stale_version_rejected`."""

    def register(function: F) -> F:
        name = function.__name__
        if not name.startswith(capability + "_"):
            raise ValueError(f"check {name!r} must be named <capability>_<property> ({capability}_…)")
        REGISTRY[name] = CheckInfo(name, capability, function)
        return function

    return register


def failure(kind: str, title: str) -> type[CheckFailure]:
    """Declare a failure type with a stable title (a noun phrase)."""
    return type(kind, (CheckFailure,), {"title": title, "__module__": __name__})


def statuses(values: Iterable[int]) -> str:
    values = list(values)
    return str(values[0]) if len(values) == 1 else " or ".join(str(v) for v in values)


def body_excerpt(exchange: Exchange, limit: int = 160) -> str:
    body = exchange.response_body.replace("\n", " ")
    return body if len(body) <= limit else body[:limit] + "…"


def status_was(exchange: Exchange) -> str:
    return f"HTTP {exchange.status} {body_excerpt(exchange, 120)}"


def json_or_none(exchange: Exchange) -> Any:
    return exchange.json()


def error_code(exchange: Exchange, pointer: str | None) -> Any:
    """The error code at `pointer` in the response body (None without a pointer or a JSON body)."""
    if pointer is None:
        return None
    doc = exchange.json()
    for part in pointer.split("/")[1:]:
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def refused_as_documented(rule: Any, exchange: Exchange, code_pointer: str | None) -> bool:
    """Status among `rule.status`, and the documented error code where the profile names one."""
    if exchange.status not in rule.status:
        return False
    wanted = getattr(rule, "error", None)
    return not (wanted and code_pointer and error_code(exchange, code_pointer) != wanted)


def documented_refusal(rule: Any, code_pointer: str | None) -> str:
    wanted = getattr(rule, "error", None)
    return f"HTTP {statuses(rule.status)}" + (
        f" with {code_pointer} {wanted!r}" if wanted and code_pointer else ""
    )
