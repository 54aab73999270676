"""Error codes: every documented error is triggered and checked for status, envelope and field."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import send_trigger

pytestmark = pytest.mark.capability("errors")


def test_documented_error(contract, client, verify, error_code):
    if error_code is None:
        pytest.skip(f"not applicable: not documented: {contract.api} lists no error codes")
    index, code = next((i, c) for i, c in enumerate(contract.profile.errors.codes) if c.id == error_code)
    key = f"errors.codes[{index}]"
    exchange = send_trigger(client, code.trigger)
    verify(checks.errors.errors_status_matches, key, response=exchange)
    verify(
        checks.errors.errors_envelope_conforms,
        key,
        response=exchange,
        schema=contract.resolved_schema(code.envelope),
        schema_name=code.envelope,
    )
    if code.pointer:
        verify(checks.errors.errors_field_pointer_named, key, response=exchange, pointer=code.pointer)
