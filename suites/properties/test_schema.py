"""Property-based conformance: schemathesis generates requests from each contract's OpenAPI
document (valid and invalid) and checks every response against it, in-process for mocks."""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from schemathesis.config._checks import PositiveDataAcceptanceConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth

from conformance import not_applicable
from conformance.client import ApiKeyBearer, BearerPlusApiKey, render_templates
from conformance.core import jsonpointer
from conformance.drive import required_headers

pytestmark = pytest.mark.capability("schema")


def _credentials(client) -> dict[str, str]:
    if isinstance(client.auth, ApiKeyBearer):
        return {"Authorization": f"Bearer {client.auth.api_key}"}
    token, _ = client.fetch_token()
    headers = {"Authorization": f"Bearer {token}"}
    if isinstance(client.auth, BearerPlusApiKey):
        headers["x-api-key"] = client.auth.api_key
    return headers


def _session_cookie(contract, target, case) -> dict[str, str]:
    """The admin session, as the cookie the operation's security scheme names (so schemathesis's
    auth checks know where the credential is)."""
    raw = target.admin_cookie()
    schemes = contract.openapi.get("components", {}).get("securitySchemes", {})
    for requirement in case.operation.definition.raw.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if raw and scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
                return {scheme["name"]: raw.split("=", 1)[-1]}
    return {}


@pytest.fixture
def api_schema(contract, target, client):
    schema = schemathesis.openapi.from_path(str(contract.directory / "openapi.yaml"))
    headers = {**required_headers(contract), **_credentials(client)}
    if target.asgi_app is not None:
        schema.app = target.asgi_app  # in-process: no socket, no server
    schema.config.update(base_url=target.base_url, headers=headers, parameters=client.path_values)
    # Schema-valid data may still break a business rule the schema cannot express (an unknown
    # reference: 422); anything else is a finding.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "401", "403", "404", "409", "422", "429"]
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms(case, contract, target):
    token_op = contract.profile.operations.token
    if (
        token_op
        and contract.operation(token_op).server
        and case.operation.label.endswith(contract.operation(token_op).path)
    ):
        not_applicable("the token endpoint lives on its own host (covered by the auth suite)")
    rate = contract.profile.rate_limit
    if (
        rate is not None
        and rate.applies_to == "all"
        and rate.window_seconds <= 10
        and target.control is not None
    ):
        target.control.advance(
            rate.window_seconds
        )  # a fresh window: generated cases are judged, not throttled
    excluded = []
    session = _session_cookie(contract, target, case)
    if session:
        case.cookies = {**(case.cookies or {}), **session}
        # schemathesis's ignored-auth probe still carries the session cookie here (seen in-process
        # and over HTTP), so it proves nothing: test_key_management_needs_admin_session covers it
        excluded.append(ignored_auth)
    _drop_forged_cursor(contract, case)
    if isinstance(case.body, dict | list):
        case.body = render_templates(case.body, {})  # "{unique}" in examples: fresh names per case
    _unique_values(contract, case)
    case.call_and_validate(excluded_checks=excluded)


def _drop_forged_cursor(contract, case) -> None:
    """A schema-valid but unissued cursor is correctly refused (400): generated cursors are dropped
    from positive cases; forged cursors are the pagination suite's `invalid_page` check."""
    pagination = contract.profile.pagination
    if pagination is None or pagination.cursor_parameter is None:
        return
    name = pagination.cursor_parameter
    if _negative(case, ParameterLocation.QUERY if not name.startswith("/") else ParameterLocation.BODY):
        return
    if not name.startswith("/"):
        if isinstance(case.query, dict):
            case.query.pop(name, None)
        return
    if isinstance(case.body, dict) and isinstance(jsonpointer.get(case.body, name), str):
        jsonpointer.put(case.body, name, None)


def _unique_values(contract, case) -> None:
    """Values the API requires to be unique (e.g. names) get a unique suffix in positive cases."""
    if not isinstance(case.body, dict) or _negative(case, ParameterLocation.BODY):
        return
    for pointer in contract.profile.schema_hints.unique_fields:
        value = jsonpointer.get(case.body, pointer)
        if isinstance(value, str):
            jsonpointer.put(case.body, pointer, f"{value} #{uuid.uuid4().hex[:8]}")


def _negative(case, location) -> bool:
    """Whether schemathesis generated this part of the case to violate the schema."""
    return case.meta is None or case.meta.is_negative_at(location) or case.meta.generation.mode == "negative"
