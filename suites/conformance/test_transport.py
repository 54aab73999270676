"""Transport and versioning: required headers, unsupported methods, content type, unknown paths,
HTTPS. One case per rule and required header (`cartoncloud:transport:Accept-Version`)."""

from __future__ import annotations

import json

import pytest

from conformance import checks, documented
from conformance.drive import code_pointer, fill_path_params, omit

pytestmark = pytest.mark.capability("transport")


def _rule(contract, key):
    return documented(getattr(contract.profile.transport, key), f"{contract.api} transport.{key}")


def test_required_header_missing_rejected(contract, client, verify, required_header):
    op = contract.profile.auth.probe_operation
    exchange = client.call(
        op, path_params=fill_path_params(client, op, {}), extensions=omit(required_header.name)
    )
    verify(
        checks.transport.transport_required_header_missing_rejected,
        required_header.missing,
        request=exchange,
        header=required_header.name,
    )


def test_required_header_unsupported_rejected(contract, client, verify, required_header):
    op = contract.profile.auth.probe_operation
    exchange = client.call(
        op,
        path_params=fill_path_params(client, op, {}),
        headers={required_header.name: required_header.unsupported_probe_value},
    )
    verify(
        checks.transport.transport_required_header_unsupported_rejected,
        required_header.unsupported,
        request=exchange,
        header=required_header.name,
    )


def test_method_not_allowed(contract, client, verify):
    rule = _rule(contract, "method_not_allowed")
    op = rule.operation or contract.profile.auth.probe_operation
    exchange = client.call(op, method=rule.method, path_params=fill_path_params(client, op, {}))
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
