"""Transport and versioning: required headers, unsupported methods, unknown paths."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import fill_path_params, omit

pytestmark = pytest.mark.capability("transport")


def _headers(contract):
    headers = contract.profile.transport.required_headers
    if not headers:
        pytest.skip(f"not applicable: not documented: {contract.api} requires no header")
    return headers


def test_required_header_missing_rejected(contract, client, verify):
    op = contract.profile.auth.probe_operation
    for i, header in enumerate(_headers(contract)):
        exchange = client.call(op, path_params=fill_path_params(client, op, {}), extensions=omit(header.name))
        verify(
            checks.transport.transport_required_header_missing_rejected,
            f"transport.required_headers[{i}].missing",
            request=exchange,
            header=header.name,
        )


def test_required_header_unsupported_rejected(contract, client, verify):
    op = contract.profile.auth.probe_operation
    for i, header in enumerate(_headers(contract)):
        exchange = client.call(
            op,
            path_params=fill_path_params(client, op, {}),
            headers={header.name: header.unsupported_probe_value},
        )
        verify(
            checks.transport.transport_required_header_unsupported_rejected,
            f"transport.required_headers[{i}].unsupported",
            request=exchange,
            header=header.name,
        )


def test_method_not_allowed(contract, client, verify):
    rule = contract.profile.transport.method_not_allowed
    if rule is None:
        pytest.skip("not applicable: not documented: no transport.method_not_allowed")
    op = rule.operation or contract.profile.auth.probe_operation
    exchange = client.call(op, method=rule.method, path_params=fill_path_params(client, op, {}))
    verify(checks.transport.transport_method_not_allowed, "transport.method_not_allowed", request=exchange)


def test_unknown_path_not_found(contract, client, verify):
    rule = contract.profile.transport.unknown_path
    if rule is None:
        pytest.skip("not applicable: not documented: no transport.unknown_path")
    path = rule.path
    for name, value in client.path_values.items():
        path = path.replace("{" + name + "}", value)
    exchange = client.request("GET", path)
    verify(checks.transport.transport_unknown_path_not_found, "transport.unknown_path", request=exchange)
