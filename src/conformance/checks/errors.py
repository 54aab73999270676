"""Error-code checks: each documented error gets its status, its envelope, and names its field."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from conformance.checks.base import (
    NotApplicable,
    body_excerpt,
    check,
    error_code,
    failure,
    status_was,
    statuses,
)
from conformance.client.recording import Exchange
from conformance.contracts.models import ErrorCode, Rule, StatusRule

WrongErrorStatus = failure("WrongErrorStatus", "Documented error answered with another status")
ErrorEnvelopeViolated = failure("ErrorEnvelopeViolated", "Error body does not match the documented envelope")
ErrorFieldNotNamed = failure("ErrorFieldNotNamed", "Validation error does not name the field")
WrongErrorCode = failure("WrongErrorCode", "Documented error answered with another error code")
RefusedWriteChangedState = failure("RefusedWriteChangedState", "A refused write still changed data")


def schema_problems(schema: dict[str, Any], instance: Any) -> list[str]:
    problems = []
    for error in Draft202012Validator(schema).iter_errors(instance):
        where = "".join(f"/{p}" for p in error.absolute_path) or "<body>"
        problems.append(f"{where}: {error.message[:140]}")
    return problems


@check("errors")
def errors_status_matches(rule: StatusRule, response: Exchange) -> None:
    """The documented trigger of an error gets the documented HTTP status.

    Profile: errors.codes[].status.
    """
    if response.status not in rule.status:
        raise WrongErrorStatus(f"HTTP {statuses(rule.status)}", status_was(response), [response])


@check("errors")
def errors_envelope_conforms(
    rule: Rule, response: Exchange, schema: dict[str, Any], schema_name: str
) -> None:
    """An error body has the documented envelope (a schema of openapi.yaml).

    Profile: errors.envelope, errors.codes[].envelope.
    """
    body = response.json()
    if body is None:
        raise ErrorEnvelopeViolated(
            f"a JSON body matching {schema_name}", f"not JSON: {body_excerpt(response)!r}", [response]
        )
    problems = schema_problems(schema, body)
    if problems:
        raise ErrorEnvelopeViolated(f"a body matching {schema_name}", "; ".join(problems[:3]), [response])


@check("errors")
def errors_field_pointer_named(rule: ErrorCode, response: Exchange, pointer: str) -> None:
    """A validation error names the offending field as a JSON Pointer.

    Profile: errors.codes[].pointer.
    """
    body = response.json()
    fields = [e.get("field") for e in body if isinstance(e, dict)] if isinstance(body, list) else []
    if pointer not in fields:
        raise ErrorFieldNotNamed(f"an error with field {pointer!r}", f"fields {fields!r}", [response])


@check("errors")
def errors_code_matches(rule: StatusRule, response: Exchange, code_pointer: str) -> None:
    """The documented trigger of an error gets the documented error code in the body.

    Profile: errors.code_pointer, errors.codes[].error.
    """
    got = error_code(response, code_pointer)
    if got != rule.error:
        raise WrongErrorCode(
            f"{code_pointer} {rule.error!r}", f"{got!r} ({status_was(response)})", [response]
        )


@check("errors")
def errors_refused_write_changed_nothing(
    rule: Rule, before: Exchange, refused: Exchange, after: Exchange, state_before: Any, state_after: Any
) -> None:
    """A write the API refuses leaves every entity as it was (each operation is atomic).

    Profile: errors.atomic_writes.
    """
    if 200 <= refused.status < 300:
        raise NotApplicable(f"the write was not refused ({status_was(refused)})")
    if state_before != state_after:
        raise RefusedWriteChangedState(
            "the state read before the refused write",
            f"{state_before!r} -> {state_after!r}",
            [before, refused, after],
        )
