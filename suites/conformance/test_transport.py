"""Transport and versioning: required headers, unsupported methods, content type, unknown paths,
HTTPS. One case per rule and required header (`cartoncloud:transport:Accept-Version`)."""

from __future__ import annotations

import json

import pytest

from conformance import checks, documented, not_applicable
from conformance.drive import code_pointer, example_body, fill_path_params, omit

pytestmark = pytest.mark.capability("transport")


def _rule(contract, key):
    return documented(getattr(contract.profile.transport, key), f"{contract.api} transport.{key}")


def test_required_header_missing_rejected(contract, client, verify, header_probe):
    """Without the header, on one operation of each path family (with a body it would accept)."""
    header, op = header_probe.header, header_probe.operation
    exchange = client.call(
        op,
        path_params=fill_path_params(client, op, {}),
        extensions=omit(header.name),
        **example_body(client, op),
    )
    verify(
        checks.transport.transport_required_header_missing_rejected,
        header.missing,
        request=exchange,
        header=header.name,
    )


def test_required_header_unsupported_rejected(contract, client, verify, header_probe):
    header, op = header_probe.header, header_probe.operation
    exchange = client.call(
        op,
        path_params=fill_path_params(client, op, {}),
        headers={header.name: header.unsupported_probe_value},
        **example_body(client, op),
    )
    verify(
        checks.transport.transport_required_header_unsupported_rejected,
        header.unsupported,
        request=exchange,
        header=header.name,
    )


def test_required_header_value_accepted(contract, client, verify, header_value):
    header = header_value.header
    rule = documented(header.accepted, f"transport.required_headers[{header.name}].accepted")
    op = contract.profile.auth.probe_operation
    exchange = client.call(
        op, path_params=fill_path_params(client, op, {}), headers={header.name: header_value.value}
    )
    verify(checks.transport.transport_header_value_accepted, rule, request=exchange, header=header.name)


def _exempt_token_call(contract, client, header, **changes):
    if contract.profile.auth.token_operation not in header.except_operations:
        not_applicable(f"the token endpoint is not exempt from {header.name}")
    return client.token_call(**changes)


def test_header_optional_where_exempt(contract, client, verify, required_header):
    rule = documented(required_header.exempt, f"transport.required_headers[{required_header.name}].exempt")
    exchange = _exempt_token_call(contract, client, required_header, omit=[required_header.name])
    verify(
        checks.transport.transport_header_optional_where_exempt,
        rule,
        request=exchange,
        header=required_header.name,
    )


def test_header_unsupported_where_exempt(contract, client, verify, required_header):
    rule = documented(
        required_header.exempt_unsupported,
        f"transport.required_headers[{required_header.name}].exempt_unsupported",
    )
    exchange = _exempt_token_call(
        contract,
        client,
        required_header,
        headers={required_header.name: required_header.unsupported_probe_value},
    )
    verify(
        checks.transport.transport_required_header_unsupported_rejected,
        rule,
        request=exchange,
        header=required_header.name,
    )


def test_method_not_allowed(contract, client, verify, disallowed_method):
    rule = _rule(contract, "method_not_allowed")
    op = rule.operation or contract.profile.auth.probe_operation
    body = {"json": client.example(op) or {}} if disallowed_method in ("POST", "PUT", "PATCH") else {}
    exchange = client.call(op, method=disallowed_method, path_params=fill_path_params(client, op, {}), **body)
    verify(
        checks.transport.transport_method_not_allowed,
        rule,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_unknown_path_not_found(contract, client, verify):
    rule = _rule(contract, "unknown_path")
    path = rule.path
    for name, value in client.path_values.items():
        path = path.replace("{" + name + "}", value)
    op = contract.profile.auth.probe_operation
    method = contract.operation(op).method
    kwargs = {"json": {}} if method in ("POST", "PUT") else {}
    exchange = client.request(method, path, **kwargs)
    verify(
        checks.transport.transport_unknown_path_not_found,
        rule,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_unknown_version_not_found(contract, client, verify):
    rule = _rule(contract, "unknown_version")
    url = client.url_for(rule.operation, fill_path_params(client, rule.operation, {}))
    if rule.current not in url:
        not_applicable(f"the operation's URL {url} has no {rule.current} to replace")
    method = contract.operation(rule.operation).method
    kwargs = {"json": client.example(rule.operation) or {}} if method in ("POST", "PUT") else {}
    exchange = client.request(method, url.replace(rule.current, rule.unknown, 1), **kwargs)
    verify(
        checks.transport.transport_unknown_path_not_found,
        rule,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_missing_content_type_rejected(contract, client, verify):
    rule = _rule(contract, "content_type_missing")
    op = rule.operation or contract.profile.auth.probe_operation
    exchange = client.call(
        op,
        content=json.dumps(client.example(op) or {}),
        path_params=fill_path_params(client, op, {}),
        extensions=omit("content-type"),
    )
    verify(
        checks.transport.transport_content_type_enforced,
        rule,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_wrong_content_type_rejected(contract, client, verify):
    rule = _rule(contract, "content_type")
    op = rule.operation or contract.profile.auth.probe_operation
    body = client.example(op) or {}
    exchange = client.call(
        op,
        content=json.dumps(body),
        headers={"Content-Type": rule.probe},
        path_params=fill_path_params(client, op, {}),
    )
    verify(
        checks.transport.transport_content_type_enforced,
        rule,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_plain_http_refused(contract, target, client, verify):
    rule = _rule(contract, "https_only")
    plain = None
    if target.base_url.startswith("https://"):
        op = contract.profile.auth.probe_operation
        url = client.url_for(op, fill_path_params(client, op, {})).replace("https://", "http://", 1)
        method = contract.operation(op).method
        kwargs = {"json": {}} if method in ("POST", "PUT") else {}
        plain = client.request(method, url, **kwargs)
    verify(checks.transport.transport_https_only, rule, plain=plain, base_url=target.base_url)
