"""Error-code checks: each documented error gets its status, its envelope, and names its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conformance.checks._helpers import (
    at,
    body_excerpt,
    error_code,
    schema_problems,
    status_was,
    statuses,
)
from conformance.checks._registry import check
from conformance.contracts.models import AcceptedInput, ErrorCode, Rule, StatusRule
from conformance.core import CheckFailure, Exchange


class WrongErrorStatus(CheckFailure):
    title = "Documented error answered with another status"


class ErrorEnvelopeViolated(CheckFailure):
    title = "Error body does not match the documented envelope"


class ErrorFieldNotNamed(CheckFailure):
    title = "Validation error does not name the field"


class WrongErrorCode(CheckFailure):
    title = "Documented error answered with another error code"


class RefusedWriteChangedState(CheckFailure):
    title = "A refused write still changed data"


class InvalidWriteAccepted(CheckFailure):
    title = "A write the documents refuse was accepted"


class ValidInputRefused(CheckFailure):
    title = "A documented valid input was refused"


class AnswerNotAsDocumented(CheckFailure):
    title = "A documented valid input got an answer other than documented"


@check("errors", judges="errors.codes[]")
def errors_status_matches(rule: StatusRule, response: Exchange) -> None:
    """The documented trigger of an error gets the documented HTTP status."""
    if response.status not in rule.status:
        raise WrongErrorStatus(f"HTTP {statuses(rule.status)}", status_was(response), [response])


@check("errors", judges="errors.codes[]")
def errors_envelope_conforms(
    rule: Rule, response: Exchange, schema: dict[str, Any], schema_name: str
) -> None:
    """An error body has the documented envelope (a schema of openapi.yaml)."""
    body = response.json()
    if body is None:
        raise ErrorEnvelopeViolated(
            f"a JSON body matching {schema_name}", f"not JSON: {body_excerpt(response)!r}", [response]
        )
    problems = schema_problems(schema, body)
    if problems:
        raise ErrorEnvelopeViolated(f"a body matching {schema_name}", "; ".join(problems[:3]), [response])


@check("errors", judges="errors.codes[]", applies=lambda rule, contract: bool(rule.pointer))
def errors_field_pointer_named(rule: ErrorCode, response: Exchange, pointer: str) -> None:
    """A validation error names the offending field as a JSON Pointer."""
    body = response.json()
    fields = [e.get("field") for e in body if isinstance(e, dict)] if isinstance(body, list) else []
    if pointer not in fields:
        raise ErrorFieldNotNamed(f"an error with field {pointer!r}", f"fields {fields!r}", [response])


@check(
    "errors",
    judges="errors.codes[]",
    applies=lambda rule, contract: bool(rule.error and contract.code_pointer),
)
def errors_code_matches(rule: StatusRule, response: Exchange, code_pointer: str) -> None:
    """The documented trigger of an error gets the documented error code in the body."""
    got = error_code(response, code_pointer)
    if got != rule.error:
        raise WrongErrorCode(
            f"{code_pointer} {rule.error!r}", f"{got!r} ({status_was(response)})", [response]
        )


@check("errors", judges="errors.atomic_writes")
def errors_refused_write_changed_nothing(
    rule: Rule, before: Exchange, refused: Exchange, after: Exchange, state_before: Any, state_after: Any
) -> None:
    """A write the API refuses leaves every entity as it was (each operation is atomic); a write the
    documents refuse that was accepted is a failure too, never "not applicable"."""
    if refused.ok:
        raise InvalidWriteAccepted(
            "the write refused (it breaks a documented rule)", status_was(refused), [before, refused, after]
        )
    if state_before != state_after:
        raise RefusedWriteChangedState(
            "the state read before the refused write",
            f"{state_before!r} -> {state_after!r}",
            [before, refused, after],
        )


@check("errors", judges="errors.accepted[]")
def errors_valid_input_accepted(
    rule: AcceptedInput,
    response: Exchange,
    expected: Mapping[str, object],
    schema: dict[str, object] | None = None,
) -> None:
    """A documented valid input is accepted with the documented status, and its answer carries what
    the documents say (values, fields, formats, the documented schema)."""
    if response.status not in rule.status:
        raise ValidInputRefused(f"HTTP {statuses(rule.status)}", status_was(response), [response])
    body = response.json()
    problems = [f"{p} is {at(body, p)!r}, not {v!r}" for p, v in expected.items() if at(body, p) != v]
    problems += [f"no {p}" for p in rule.present if at(body, p) is None]
    for pointer, pattern in rule.matches.items():
        value = at(body, pointer)
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            problems.append(f"{pointer} {value!r} does not match {pattern!r}")
    if schema is not None:
        problems += schema_problems(schema, body)[:3]
    if problems:
        wanted = [f"{p} = {v!r}" for p, v in expected.items()] + [f"{p} present" for p in rule.present]
        wanted += [f"{p} ~ {r}" for p, r in rule.matches.items()]
        if rule.schema_name:
            wanted.append(f"a body matching {rule.schema_name}")
        raise AnswerNotAsDocumented(
            f"HTTP {response.status} with " + ", ".join(wanted), "; ".join(problems[:4]), [response]
        )
