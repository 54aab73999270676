"""Property-based conformance: schemathesis generates requests from each contract's OpenAPI
document (valid and invalid) and checks every response against it, in-process for mocks."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from conformance.client import ApiKeyBearer
from conformance.contracts import load_contract
from conformance.drive import required_headers

pytestmark = pytest.mark.capability("schema")


def _credentials(contract, target, client) -> dict[str, str]:
    if isinstance(client.auth, ApiKeyBearer):
        headers = {"Authorization": f"Bearer {client.auth.api_key}"}
    else:
        token, _ = client.fetch_token()
        headers = {"Authorization": f"Bearer {token}"}
    if cookie := target.admin_cookie():
        headers["Cookie"] = cookie
    return headers


@pytest.fixture
def api_schema(contract, target, client):
    schema = schemathesis.openapi.from_path(str(contract.directory / "openapi.yaml"))
    headers = {**required_headers(contract), **_credentials(contract, target, client)}
    if target.mock is not None:
        schema.app = target.mock  # in-process: no socket, no server
    schema.config.update(base_url=target.base_url, headers=headers, parameters=client.path_values)
    # Schema-valid data may still break a business rule the schema cannot express (an unknown
    # reference: 422); anything else is a finding.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "401", "403", "404", "409", "422", "429"]
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms(case, api, target):
    contract = load_contract(api)
    token_op = contract.profile.operations.token
    if (
        token_op
        and contract.operation(token_op).server
        and case.operation.label.endswith(contract.operation(token_op).path)
    ):
        pytest.skip("not applicable: the token endpoint lives on its own host (covered by the auth suite)")
    rate = contract.profile.rate_limit
    if rate is not None and rate.policy == "token_bucket" and target.control is not None:
        target.control.advance(rate.window_seconds)  # refill, so generated cases are judged, not throttled
    case.call_and_validate()
