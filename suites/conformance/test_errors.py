"""Error codes: every documented error is triggered and checked for status, code, envelope and field;
and every documented valid input (an enum value, a unit, an optional field left out) is accepted
with the documented answer. One case per documented code (`cartoncloud:errors:not_found`) and per
valid input (`cropster:errors:unit_lbs`)."""

from __future__ import annotations

import pytest

from conformance import checks, not_applicable
from conformance.drive import (
    ProbeUnavailable,
    TriggerUnavailable,
    list_resource,
    send_trigger,
    spend_rate_limit,
)

pytestmark = pytest.mark.capability("errors")


def _send(target, recorder, client, trigger):
    if trigger.control and target.control is None:
        not_applicable("only a mock can be made to answer this (no control plane)")
    try:
        if trigger.rate_limit:
            return spend_rate_limit(target, recorder, client).attempts[-1]
        return send_trigger(target, recorder, client, trigger)
    except (ProbeUnavailable, TriggerUnavailable) as exc:
        pytest.skip(str(exc))


def test_documented_error(contract, target, recorder, client, verify, error_code):
    errors = contract.profile.errors
    exchange = _send(target, recorder, client, error_code.trigger)
    verify(checks.errors.errors_status_matches, error_code, response=exchange)
    if error_code.error and errors.code_pointer:
        verify(
            checks.errors.errors_code_matches, error_code, response=exchange, code_pointer=errors.code_pointer
        )
    verify(
        checks.errors.errors_envelope_conforms,
        error_code,
        response=exchange,
        schema=contract.resolved_schema(error_code.envelope),
        schema_name=error_code.envelope,
    )
    if error_code.pointer:
        verify(
            checks.errors.errors_field_pointer_named,
            error_code,
            response=exchange,
            pointer=error_code.pointer,
        )


def _given_id(client, exchange):
    """The id of the entity the trigger created first (`{id}` in `expect`): the request path's
    last segment."""
    return exchange.path.rstrip("/").rsplit("/", 1)[-1]


def test_valid_input_accepted(contract, target, recorder, client, verify, accepted_input):
    if accepted_input.seed and target.control is not None:
        target.control.seed(list_resource(contract, accepted_input.trigger.operation), accepted_input.seed)
    exchange = _send(target, recorder, client, accepted_input.trigger)
    values = {"id": _given_id(client, exchange), **client.template_values}
    expected = {pointer: client.render(value) for pointer, value in accepted_input.expect.items()}
    expected = {
        p: (values.get(v[1:-1], v) if isinstance(v, str) and v.startswith("{") and v.endswith("}") else v)
        for p, v in expected.items()
    }
    verify(
        checks.errors.errors_valid_input_accepted,
        accepted_input,
        response=exchange,
        expected=expected,
        schema=contract.resolved_schema(accepted_input.schema_name) if accepted_input.schema_name else None,
    )
