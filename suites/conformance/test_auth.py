"""Auth: token issuance, missing / invalid / expired credentials, token errors, scopes,
isolation between tenants or organisations, and key management."""

from __future__ import annotations

import secrets
import uuid

import httpx
import pytest

from conformance import checks, documented, not_applicable
from conformance.client import ApiClient, ApiKeyBearer
from conformance.contracts import Contract
from conformance.drive import (
    code_pointer,
    example_body,
    fill_path_params,
    json_at,
    omit,
    required_headers,
    walk_pages,
)

pytestmark = pytest.mark.capability("auth")


def _rule(contract: Contract, key: str):
    return documented(getattr(contract.profile.auth.rules, key), f"{contract.api} auth.rules.{key}")


def _probe(contract: Contract, key: str) -> str:
    rule = _rule(contract, key)
    return getattr(rule, "operation", None) or contract.profile.auth.probe_operation


def _call_with(client: ApiClient, contract: Contract, op: str, authorization: str | None, **params):
    """Call `op` with exactly this Authorization (or none), its required headers and example body."""
    headers = required_headers(contract, op)
    if authorization:
        headers["Authorization"] = authorization
    return client.call(
        op,
        auth=False,
        headers=headers,
        path_params=fill_path_params(client, op, params),
        **example_body(client, op),
    )


def _token_request(
    client: ApiClient,
    contract: Contract,
    client_id: str,
    secret: str,
    grant_type: str = "client_credentials",
    scope: str | None = None,
):
    auth = contract.profile.auth
    if client.token_url is None or auth.kind == "api_key_bearer":
        not_applicable("the API has no token endpoint")
    headers = {"Accept": "application/json", **auth.token_headers}
    form = {"grant_type": grant_type}
    if scope is not None:
        form["scope"] = scope
    if auth.client_auth == "basic":
        basic = next(httpx.BasicAuth(client_id, secret).auth_flow(httpx.Request("POST", "/")))
        headers["Authorization"] = basic.headers["Authorization"]
    else:
        form |= {"client_id": client_id, "client_secret": secret}
    return client.request("POST", client.token_url, data=form, headers=headers, auth=False)


def _admin(target) -> dict[str, str]:
    cookie = target.admin_cookie()
    if not cookie:
        name = target.contract.profile.config.admin_cookie or "SESSION_COOKIE"
        pytest.skip(f"needs {', '.join(target.missing(name))} (an admin session for key management)")
    return {"Cookie": cookie}


def _new_key(client: ApiClient, target, rule, **body):
    created = client.call(
        rule.create_operation,
        # the contract's example (every documented field, as a strict sandbox may require)
        json={**(client.example(rule.create_operation) or {}), "name": "conformance probe key", **body},
        headers=_admin(target),
        auth=False,
    )
    assert created.ok, f"could not create a key: {created.summary()}"
    return created


def test_token_response_conforms(contract, target, recorder, client, verify):
    _rule(contract, "token_response")
    scopes = contract.profile.auth.scopes or None
    _, exchange = target.client(recorder, scopes=scopes).fetch_token()
    verify(
        checks.auth.auth_token_response_conforms,
        contract.profile.auth.rules.token_response,
        token=exchange,
        requested_scopes=scopes,
    )


def test_token_lifetime_documented(contract, target, recorder, verify):
    rule = _rule(contract, "token_lifetime")
    scopes = contract.profile.auth.scopes or None
    _, exchange = target.client(recorder, scopes=scopes).fetch_token()
    verify(checks.auth.auth_token_lifetime_documented, rule, token=exchange)


def test_default_scopes_granted(contract, target, client, verify):
    rule = _rule(contract, "default_scopes")
    exchange = _token_request(client, contract, target.config["CLIENT_ID"], target.config["CLIENT_SECRET"])
    separator = contract.profile.auth.rules.token_response
    verify(
        checks.auth.auth_default_scopes_granted,
        rule,
        token=exchange,
        scopes=contract.profile.auth.scopes,
        separator=(separator.scope_separator if separator else None) or " ",
    )


def test_missing_credentials_rejected(contract, client, verify):
    op = _probe(contract, "missing_credentials")
    exchange = _call_with(client, contract, op, None)
    verify(
        checks.auth.auth_missing_credentials_rejected,
        contract.profile.auth.rules.missing_credentials,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_invalid_token_rejected(contract, client, verify):
    op = _probe(contract, "invalid_token")
    exchange = _call_with(client, contract, op, f"Bearer not-a-credential-{secrets.token_hex(8)}")
    verify(
        checks.auth.auth_invalid_token_rejected,
        contract.profile.auth.rules.invalid_token,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_expired_token_rejected(contract, target, client, verify):
    """On a mock the documented lifetime passes on its clock; on a live target whose tokens are
    short-lived (at most --max-expiry-wait) the lifetime is waited out in real time."""
    rule = _rule(contract, "expired_token")
    op = rule.operation or contract.profile.auth.probe_operation
    if contract.profile.auth.kind == "api_key_bearer":
        if target.control is None:
            pytest.skip(
                "an API key lives at least a day (expires_in_days): only a mock's clock can pass that"
            )
        keys = _rule(contract, "revoked_credentials")
        created = _new_key(client, target, keys, expires_in_days=max(1, rule.lifetime_seconds // 86400))
        credential = str(json_at(client.unredacted_json(created), keys.secret_pointer))
        lifetime = rule.lifetime_seconds
    else:
        credential, issued = client.fetch_token()
        token = contract.profile.auth.rules.token_response
        lifetime = issued.json_at(f"{token.token_pointer if token else ''}/expires_in")
    fresh = _call_with(client, contract, op, f"Bearer {credential}")
    if target.control is not None:
        wait = rule.lifetime_seconds  # the documented lifetime, on the mock's clock
    elif isinstance(lifetime, int | float) and 0 < lifetime <= target.max_wait_seconds:
        wait = lifetime  # this target's own short lifetime, waited out for real
    else:
        pytest.skip(
            f"tokens live {lifetime} s here and the longest real wait is {target.max_wait_seconds:g} s "
            "(--max-expiry-wait): give the run a client with short-lived tokens to check expiry"
        )
    margin = min(60.0, wait / 10)  # still valid shortly before the lifetime ends
    target.let_time_pass(wait - margin)
    before_end = _call_with(client, contract, op, f"Bearer {credential}")
    target.let_time_pass(margin + 1)
    expired = _call_with(client, contract, op, f"Bearer {credential}")
    verify(
        checks.auth.auth_expired_token_rejected,
        rule,
        fresh=fresh,
        expired=expired,
        code_pointer=code_pointer(contract),
        before_end=before_end,
    )


def test_invalid_client_rejected(contract, target, client, verify):
    _rule(contract, "invalid_client")
    exchange = _token_request(client, contract, target.config["CLIENT_ID"], "wrong-" + secrets.token_hex(6))
    verify(
        checks.auth.auth_token_error_conforms, contract.profile.auth.rules.invalid_client, response=exchange
    )


def test_unsupported_grant_type_rejected(contract, target, client, verify):
    _rule(contract, "unsupported_grant_type")
    exchange = _token_request(
        client, contract, target.config["CLIENT_ID"], target.config["CLIENT_SECRET"], grant_type="password"
    )
    verify(
        checks.auth.auth_token_error_conforms,
        contract.profile.auth.rules.unsupported_grant_type,
        response=exchange,
    )


def test_ungranted_scope_rejected(contract, target, client, verify):
    _rule(contract, "invalid_scope")
    scope = " ".join([*contract.profile.auth.scopes[:1], "conformance.no-such-scope"])
    exchange = _token_request(
        client, contract, target.config["CLIENT_ID"], target.config["CLIENT_SECRET"], scope=scope
    )
    verify(
        checks.auth.auth_token_error_conforms, contract.profile.auth.rules.invalid_scope, response=exchange
    )


def test_insufficient_scope_rejected(contract, target, recorder, verify, scope_probe):
    _rule(contract, "insufficient_scope")
    op = scope_probe.operation
    if contract.profile.auth.kind == "api_key_bearer":
        if not target.has(*target.identity_keys("noscope")):
            pytest.skip(
                f"needs {', '.join(target.missing(*target.identity_keys('noscope')))} (a key without read)"
            )
        limited = target.client(recorder, identity="noscope")
    else:
        limited = target.client(recorder, scopes=scope_probe.granted)
    exchange = limited.call(op, path_params=fill_path_params(limited, op, {}), **example_body(limited, op))
    verify(
        checks.auth.auth_scope_enforced,
        contract.profile.auth.rules.insufficient_scope,
        request=exchange,
        code_pointer=code_pointer(contract),
    )


def test_foreign_tenant_unreachable(contract, target, client, verify):
    rule = _rule(contract, "tenant_isolation")
    if rule.style != "path":
        not_applicable("isolation is by listing for this API (test_foreign_listing_isolated)")
    if not contract.profile.path_params:
        not_applicable("the API has no tenant/organisation path parameter")
    param, key = next(iter(contract.profile.path_params.items()))
    if not target.has(f"OTHER_{key}"):
        pytest.skip(f"needs {', '.join(target.missing(f'OTHER_{key}'))} (a tenant the client is not in)")
    op = rule.operation or contract.profile.auth.probe_operation
    exchange = client.call(
        op, path_params=fill_path_params(client, op, {param: target.config[f"OTHER_{key}"]})
    )
    verify(
        checks.auth.auth_tenant_isolation,
        contract.profile.auth.rules.tenant_isolation,
        foreign=exchange,
        code_pointer=code_pointer(contract),
    )


@pytest.mark.writes
def test_foreign_client_cannot_read_entity(contract, target, client, recorder, verify):
    rule = _rule(contract, "tenant_isolation")
    if rule.style != "path":
        not_applicable("isolation is by listing for this API (test_foreign_listing_isolated)")
    if not target.has(*target.identity_keys("other")):
        pytest.skip(
            f"needs {', '.join(target.missing(*target.identity_keys('other')))} (a client of another tenant)"
        )
    op = rule.operation or contract.profile.auth.probe_operation
    resource = next(
        (r for r in contract.profile.operations.resources.values() if r.get == op and r.create), None
    )
    if resource is None or resource.create is None:
        not_applicable(f"no resource both creates and reads with {op}")
    created = client.call(resource.create, json=client.example(resource.create))
    assert created.ok, f"could not create the entity to probe: {created.summary()}"
    other = target.client(recorder, identity="other")
    foreign = other.call(op, path_params=fill_path_params(client, op, {"id": created.json()["id"]}))
    verify(checks.auth.auth_tenant_isolation, contract.profile.auth.rules.tenant_isolation, foreign=foreign)


def test_foreign_listing_isolated(contract, target, client, recorder, verify, list_operation):
    rule = _rule(contract, "tenant_isolation")
    if rule.style != "listing":
        not_applicable("isolation is by path for this API (test_foreign_tenant_unreachable)")
    if not target.has(*target.identity_keys("other")):
        pytest.skip(
            f"needs {', '.join(target.missing(*target.identity_keys('other')))} (another organisation)"
        )
    pagination = contract.profile.pagination
    op, items = list_operation.operation, list_operation.items
    if target.control is not None:
        resource = next(name for name, r in contract.profile.operations.resources.items() if r.list == op)
        ours = target.control.seed(resource, 5)
        target.control.seed(resource, 5, org="other")
    else:
        mine = walk_pages(client, op, pagination, 100, items=items) if pagination else [client.call(op)]
        ours = [
            str(i.get("id")) for p in mine for i in (json_at(p.json(), items) or []) if isinstance(i, dict)
        ]
    other = target.client(recorder, identity="other")
    foreign = walk_pages(other, op, pagination, 100, items=items) if pagination else [other.call(op)]
    verify(
        checks.auth.auth_listing_isolated,
        contract.profile.auth.rules.tenant_isolation,
        foreign_pages=foreign,
        ours=ours,
        items=items,
    )


@pytest.mark.writes
def test_revoked_key_rejected(contract, target, client, recorder, verify):
    rule = _rule(contract, "revoked_credentials")
    created = _new_key(client, target, rule)
    secret = str(json_at(client.unredacted_json(created), rule.secret_pointer))
    key_id = str(json_at(created.json(), rule.id_pointer))
    keyed = target.client(recorder, auth=ApiKeyBearer(secret))
    op = contract.profile.auth.probe_operation
    before = keyed.call(op, path_params=fill_path_params(keyed, op, {}))
    revoke = client.call(rule.revoke_operation, params={"id": key_id}, headers=_admin(target), auth=False)
    after = keyed.call(op, path_params=fill_path_params(keyed, op, {}))
    verify(
        checks.auth.auth_revoked_key_rejected,
        contract.profile.auth.rules.revoked_credentials,
        before=before,
        revoke=revoke,
        after=after,
    )


@pytest.mark.writes
def test_secret_never_listed(contract, target, client, verify):
    rule = _rule(contract, "secret_not_listed")
    created = _new_key(client, target, rule)
    listing = client.call(rule.list_operation, headers=_admin(target), auth=False)
    verify(
        checks.auth.auth_secret_never_listed,
        contract.profile.auth.rules.secret_not_listed,
        created=created,
        listing=listing,
    )


def test_key_management_needs_admin_session(contract, client, verify):
    rule = _rule(contract, "admin_session_required")
    listing = client.call(rule.list_operation, auth=False)
    verify(checks.auth.auth_admin_session_required, rule, request=listing)


@pytest.mark.writes
def test_key_writes_need_admin_session(contract, client, verify):
    """Creating a key (with a valid body) and revoking one, without the admin session."""
    rule = _rule(contract, "admin_session_required")
    body = {**(client.example(rule.create_operation) or {}), "name": "conformance probe key"}
    created = client.call(rule.create_operation, json=body, auth=False)
    verify(checks.auth.auth_admin_session_required, rule, request=created)
    revoked = client.call(rule.revoke_operation, params={"id": client.made_up(str(uuid.uuid4()))}, auth=False)
    verify(checks.auth.auth_admin_session_required, rule, request=revoked)


def test_missing_api_key_rejected(contract, client, verify):
    _rule(contract, "missing_api_key")
    op = contract.profile.auth.probe_operation
    exchange = client.call(op, path_params=fill_path_params(client, op, {}), extensions=omit("x-api-key"))
    verify(checks.auth.auth_api_key_enforced, contract.profile.auth.rules.missing_api_key, request=exchange)


def test_invalid_api_key_rejected(contract, client, verify):
    _rule(contract, "invalid_api_key")
    op = contract.profile.auth.probe_operation
    exchange = client.call(
        op,
        path_params=fill_path_params(client, op, {}),
        headers={"x-api-key": f"not-a-key-{secrets.token_hex(6)}"},
    )
    verify(checks.auth.auth_api_key_enforced, contract.profile.auth.rules.invalid_api_key, request=exchange)
