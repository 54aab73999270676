"""Error codes: every documented error is triggered and checked for status, code, envelope and field."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import ProbeUnavailable, send_trigger, spend_rate_limit

pytestmark = pytest.mark.capability("errors")


def test_documented_error(contract, target, recorder, client, verify, error_code):
    if error_code is None:
        pytest.skip(f"not applicable: not documented: {contract.api} lists no error codes")
    errors = contract.profile.errors
    index, code = next((i, c) for i, c in enumerate(errors.codes) if c.id == error_code)
    key = f"errors.codes[{index}]"
    if code.trigger.control and target.control is None:
        pytest.skip("not applicable: only a mock can be made to answer this (no control plane)")
    if code.trigger.rate_limit:
        try:
            exchange = spend_rate_limit(target, recorder, client).attempts[-1]
        except ProbeUnavailable as exc:
            pytest.skip(str(exc))
    else:
        exchange = send_trigger(target, recorder, client, code.trigger)
    verify(checks.errors.errors_status_matches, key, response=exchange)
    if code.error and errors.code_pointer:
        verify(checks.errors.errors_code_matches, key, response=exchange, code_pointer=errors.code_pointer)
    verify(
        checks.errors.errors_envelope_conforms,
        key,
        response=exchange,
        schema=contract.resolved_schema(code.envelope),
        schema_name=code.envelope,
    )
    if code.pointer:
        verify(checks.errors.errors_field_pointer_named, key, response=exchange, pointer=code.pointer)
