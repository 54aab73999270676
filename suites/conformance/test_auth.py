"""Auth: token issuance, missing / invalid / expired credentials, token errors, isolation."""

from __future__ import annotations

import secrets

import httpx
import pytest

from conformance import checks
from conformance.client import ApiClient
from conformance.contracts import Contract
from conformance.drive import fill_path_params, required_headers

pytestmark = pytest.mark.capability("auth")


def _probe(contract: Contract, rule_key: str) -> str:
    rule = getattr(contract.profile.auth.rules, rule_key)
    if rule is None:
        pytest.skip(f"not applicable: not documented: {contract.api} profile has no auth.rules.{rule_key}")
    return rule.operation or contract.profile.auth.probe_operation


def _token_request(
    client: ApiClient, contract: Contract, client_id: str, secret: str, grant_type: str = "client_credentials"
):
    auth = contract.profile.auth
    if client.token_url is None:
        pytest.skip("not applicable: the API has no token endpoint")
    headers = {"Accept": "application/json", **auth.token_headers}
    form = {"grant_type": grant_type}
    if auth.client_auth == "basic":
        basic = next(httpx.BasicAuth(client_id, secret).auth_flow(httpx.Request("POST", "/")))
        headers["Authorization"] = basic.headers["Authorization"]
    else:
        form |= {"client_id": client_id, "client_secret": secret}
    return client.request("POST", client.token_url, data=form, headers=headers, auth=False)


def test_token_response_conforms(contract, client, verify):
    if contract.profile.auth.rules.token_response is None:
        pytest.skip("not applicable: not documented: no auth.rules.token_response")
    _, exchange = client.fetch_token()
    verify(checks.auth.auth_token_response_conforms, "auth.rules.token_response", token=exchange)


def test_missing_credentials_rejected(contract, client, verify):
    op = _probe(contract, "missing_credentials")
    exchange = client.call(
        op, auth=False, headers=required_headers(contract, op), path_params=fill_path_params(client, op, {})
    )
    verify(checks.auth.auth_missing_credentials_rejected, "auth.rules.missing_credentials", request=exchange)


def test_invalid_token_rejected(contract, client, verify):
    op = _probe(contract, "invalid_token")
    headers = {
        **required_headers(contract, op),
        "Authorization": f"Bearer not-a-token-{secrets.token_hex(8)}",
    }
    exchange = client.call(op, auth=False, headers=headers, path_params=fill_path_params(client, op, {}))
    verify(checks.auth.auth_invalid_token_rejected, "auth.rules.invalid_token", request=exchange)


@pytest.mark.control_plane
def test_expired_token_rejected(contract, client, control, verify):
    op = _probe(contract, "expired_token")
    rule = contract.profile.auth.rules.expired_token
    token, _ = client.fetch_token()
    headers = {**required_headers(contract, op), "Authorization": f"Bearer {token}"}
    path_params = fill_path_params(client, op, {})
    fresh = client.call(op, auth=False, headers=headers, path_params=path_params)
    control.advance(rule.lifetime_seconds + 1)
    expired = client.call(op, auth=False, headers=headers, path_params=path_params)
    verify(checks.auth.auth_expired_token_rejected, "auth.rules.expired_token", fresh=fresh, expired=expired)


def test_invalid_client_rejected(contract, target, client, verify):
    if contract.profile.auth.rules.invalid_client is None:
        pytest.skip("not applicable: not documented: no auth.rules.invalid_client")
    exchange = _token_request(client, contract, target.config["CLIENT_ID"], "wrong-" + secrets.token_hex(6))
    verify(checks.auth.auth_token_error_conforms, "auth.rules.invalid_client", response=exchange)


def test_unsupported_grant_type_rejected(contract, target, client, verify):
    if contract.profile.auth.rules.unsupported_grant_type is None:
        pytest.skip("not applicable: not documented: no auth.rules.unsupported_grant_type")
    exchange = _token_request(
        client, contract, target.config["CLIENT_ID"], target.config["CLIENT_SECRET"], grant_type="password"
    )
    verify(checks.auth.auth_token_error_conforms, "auth.rules.unsupported_grant_type", response=exchange)


def _isolation_param(contract: Contract, target) -> tuple[str, str]:
    if not contract.profile.path_params:
        pytest.skip("not applicable: the API has no tenant/organisation path parameter")
    param, key = next(iter(contract.profile.path_params.items()))
    other = f"OTHER_{key}"
    if not target.has(other):
        pytest.skip(f"needs {', '.join(target.missing(other))} (a tenant the client does not belong to)")
    return param, target.config[other]


def test_foreign_tenant_unreachable(contract, target, client, verify):
    op = _probe(contract, "tenant_isolation")
    param, other_tenant = _isolation_param(contract, target)
    exchange = client.call(op, path_params=fill_path_params(client, op, {param: other_tenant}))
    verify(checks.auth.auth_tenant_isolation, "auth.rules.tenant_isolation", foreign=exchange)


@pytest.mark.writes
def test_foreign_client_cannot_read_entity(contract, client, other_client, verify):
    op = _probe(contract, "tenant_isolation")
    resource = next(
        (r for r in contract.profile.operations.resources.values() if r.get == op and r.create), None
    )
    if resource is None or resource.create is None:
        pytest.skip(f"not applicable: no resource both creates and reads with {op}")
    created = client.call(resource.create, json=client.example(resource.create))
    assert 200 <= created.status < 300, f"could not create the entity to probe: {created.summary()}"
    entity_id = created.json()["id"]
    path_params = fill_path_params(client, op, {"id": entity_id})
    foreign = other_client.call(op, path_params=path_params)
    verify(checks.auth.auth_tenant_isolation, "auth.rules.tenant_isolation", foreign=foreign)
