"""Small helpers every check module shares: how statuses, bodies and refusals are described and
compared, where items and error codes are found, and JSON Schema problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator

from conformance.contracts.models import Rule
from conformance.core import Exchange, jsonpointer


def statuses(values: Iterable[int]) -> str:
    values = list(values)
    return str(values[0]) if len(values) == 1 else " or ".join(str(v) for v in values)


def body_excerpt(exchange: Exchange, limit: int = 160) -> str:
    body = exchange.response_body.replace("\n", " ")
    return body if len(body) <= limit else body[:limit] + "…"


def status_was(exchange: Exchange) -> str:
    return f"HTTP {exchange.status} {body_excerpt(exchange, 120)}"


def error_code(exchange: Exchange, pointer: str | None) -> Any:
    """The error code at `pointer` in the response body (None without a pointer or a JSON body)."""
    return None if pointer is None else exchange.json_at(pointer)


def refused_as_documented(rule: Rule, exchange: Exchange, code_pointer: str | None) -> bool:
    """Status among `rule.status`, and the documented error code where the profile names one."""
    if exchange.status not in getattr(rule, "status", ()):
        return False
    wanted = getattr(rule, "error", None)
    return not (wanted and code_pointer and error_code(exchange, code_pointer) != wanted)


def documented_refusal(rule: Rule, code_pointer: str | None) -> str:
    wanted = getattr(rule, "error", None)
    return f"HTTP {statuses(getattr(rule, 'status', ()))}" + (
        f" with {code_pointer} {wanted!r}" if wanted and code_pointer else ""
    )


def items_of(page: Exchange, pointer: str = "") -> list[Any]:
    """The item array at `pointer` of a list response ([] when there is none)."""
    found = page.json_at(pointer)
    return found if isinstance(found, list) else []


def at(doc: Any, pointer: str) -> Any:
    """The value at a JSON Pointer in any document (None when absent)."""
    return jsonpointer.get(doc, pointer)


def schema_problems(schema: dict[str, Any], instance: Any) -> list[str]:
    """Where `instance` breaks `schema`, one line per problem (JSON Pointer: message)."""
    problems = []
    for error in Draft202012Validator(schema).iter_errors(instance):
        where = jsonpointer.join(error.absolute_path) or "<body>"
        problems.append(f"{where}: {error.message[:140]}")
    return problems
