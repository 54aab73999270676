"""Error codes: every documented error is triggered and checked for status, code, envelope and field.
One case per documented code (`cartoncloud:errors:not_found`)."""

from __future__ import annotations

import pytest

from conformance import checks, not_applicable
from conformance.drive import ProbeUnavailable, send_trigger, spend_rate_limit

pytestmark = pytest.mark.capability("errors")


def test_documented_error(contract, target, recorder, client, verify, error_code):
    errors = contract.profile.errors
    if error_code.trigger.control and target.control is None:
        not_applicable("only a mock can be made to answer this (no control plane)")
    if error_code.trigger.rate_limit:
        try:
            exchange = spend_rate_limit(target, recorder, client).attempts[-1]
        except ProbeUnavailable as exc:
            pytest.skip(str(exc))
    else:
        exchange = send_trigger(target, recorder, client, error_code.trigger)
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
