"""Auth checks: token issuance, missing/invalid/expired credentials, token errors, scopes,
isolation between tenants/organisations, and key management (revocation, secrets never listed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.checks._helpers import (
    documented_refusal,
    items_of,
    refused_as_documented,
    status_was,
    statuses,
)
from conformance.checks._registry import check
from conformance.contracts.models import (
    IsolationRule,
    KeyManagementRule,
    Rule,
    StatusRule,
    TokenLifetimeRule,
    TokenResponseRule,
)
from conformance.core import MASK, CheckFailure, Exchange, NotApplicable


class MalformedTokenResponse(CheckFailure):
    title = "Token response does not match the contract"


class UnauthenticatedRequestAccepted(CheckFailure):
    title = "Request without credentials accepted"


class InvalidTokenAccepted(CheckFailure):
    title = "Invalid credentials accepted"


class ExpiredTokenAccepted(CheckFailure):
    title = "Expired credentials accepted"


class WrongTokenError(CheckFailure):
    title = "Token endpoint error does not match RFC 6749"


class ScopeNotEnforced(CheckFailure):
    title = "Credentials without the required scope accepted"


class ApiKeyNotEnforced(CheckFailure):
    title = "Request without a valid API key accepted"


class TenantIsolationBroken(CheckFailure):
    title = "Another tenant's data reachable"


class RevokedKeyAccepted(CheckFailure):
    title = "Revoked credentials still accepted"


class SecretListed(CheckFailure):
    title = "A key's secret is listed after creation"


@check("auth", judges="auth.rules.token_response")
def auth_token_response_conforms(
    rule: TokenResponseRule, token: Exchange, requested_scopes: Sequence[str] | None = None
) -> None:
    """A token request with valid client credentials returns a bearer token with its lifetime
    (and, where documented, the granted scopes joined as the docs say).
    """
    body = token.json_at(rule.token_pointer)
    problems = []
    if token.status != rule.status:
        problems.append(f"status {token.status}")
    if not isinstance(body, dict):
        raise MalformedTokenResponse(f"HTTP {rule.status} with a JSON object", status_was(token), [token])
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        problems.append("no access_token string")
    if str(body.get("token_type", "")).lower() != rule.token_type.lower():
        problems.append(f"token_type {body.get('token_type')!r}")
    expires = body.get("expires_in")
    if not isinstance(expires, int) or isinstance(expires, bool) or expires <= 0:
        problems.append(f"expires_in {expires!r}")
    if rule.scope_separator and requested_scopes:
        scope = body.get("scope")
        if not isinstance(scope, str) or sorted(scope.split(rule.scope_separator)) != sorted(
            requested_scopes
        ):
            problems.append(f"scope {scope!r} (not the requested scopes joined by {rule.scope_separator!r})")
        elif " " in scope and " " not in rule.scope_separator:
            problems.append(f"scope {scope!r} uses spaces")
    if problems:
        raise MalformedTokenResponse(
            f"HTTP {rule.status}, access_token, token_type {rule.token_type!r}, expires_in > 0"
            + (f", scope joined by {rule.scope_separator!r}" if rule.scope_separator else ""),
            "; ".join(problems),
            [token],
        )


class WrongTokenLifetime(CheckFailure):
    title = "Token lifetime is not the documented one"


class TokenExpiredEarly(CheckFailure):
    title = "Credentials refused before their documented lifetime ended"


class DefaultScopesNotGranted(CheckFailure):
    title = "A token request without scope did not get every scope of the client"


@check("auth", judges="auth.rules.token_lifetime")
def auth_token_lifetime_documented(rule: TokenLifetimeRule, token: Exchange) -> None:
    """A token response's `expires_in` is the documented lifetime (any positive value passes
    auth_token_response_conforms; the documented one is this rule)."""
    body = token.json_at(rule.token_pointer)
    expires = body.get("expires_in") if isinstance(body, dict) else None
    if expires != rule.expires_in:
        raise WrongTokenLifetime(
            f"expires_in {rule.expires_in}", f"expires_in {expires!r} ({status_was(token)})", [token]
        )


@check("auth", judges="auth.rules.default_scopes")
def auth_default_scopes_granted(rule: Rule, token: Exchange, scopes: Sequence[str], separator: str) -> None:
    """A token request that names no scope is granted every scope of the client."""
    body = token.json()
    granted = body.get("scope") if isinstance(body, dict) else None
    got = sorted(s for s in str(granted or "").split(separator) if s)
    if not token.ok or got != sorted(scopes):
        raise DefaultScopesNotGranted(
            f"HTTP 200 with scope {separator.join(sorted(scopes))!r}",
            f"{status_was(token)}; scope {granted!r}",
            [token],
        )


@check("auth", judges="auth.rules.missing_credentials")
def auth_missing_credentials_rejected(
    rule: StatusRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A request without credentials is refused with the documented status (and code)."""
    if request.request_header("authorization"):
        raise NotApplicable("the probe request carried credentials")
    if not refused_as_documented(rule, request, code_pointer):
        raise UnauthenticatedRequestAccepted(
            documented_refusal(rule, code_pointer), status_was(request), [request]
        )


@check("auth", judges="auth.rules.invalid_token")
def auth_invalid_token_rejected(rule: StatusRule, request: Exchange, code_pointer: str | None = None) -> None:
    """A request with unknown credentials is refused with the documented status (and code)."""
    if not refused_as_documented(rule, request, code_pointer):
        raise InvalidTokenAccepted(documented_refusal(rule, code_pointer), status_was(request), [request])


@check("auth", judges="auth.rules.expired_token")
def auth_expired_token_rejected(
    rule: StatusRule,
    fresh: Exchange,
    expired: Exchange,
    code_pointer: str | None = None,
    before_end: Exchange | None = None,
) -> None:
    """Credentials work until their documented lifetime ends (`before_end`: sent just before it)
    and are refused after it."""
    for early in (fresh, before_end):
        if early is not None and not early.ok:
            when = "when fresh" if early is fresh else "shortly before the documented lifetime ended"
            raise TokenExpiredEarly(
                f"a 2xx {when}", status_was(early), [e for e in (fresh, before_end) if e is not None]
            )
    if not refused_as_documented(rule, expired, code_pointer):
        raise ExpiredTokenAccepted(
            documented_refusal(rule, code_pointer) + " once the lifetime has passed",
            status_was(expired),
            [fresh, expired],
        )


@check(
    "auth",
    judges=("auth.rules.invalid_client", "auth.rules.unsupported_grant_type", "auth.rules.invalid_scope"),
)
def auth_token_error_conforms(rule: StatusRule, response: Exchange) -> None:
    """A refused token request gets the documented status and RFC 6749 `error` code."""
    body = response.json()
    code = body.get("error") if isinstance(body, dict) else None
    if response.status not in rule.status or (rule.error and code != rule.error):
        raise WrongTokenError(
            f"HTTP {statuses(rule.status)} with error {rule.error!r}",
            f"HTTP {response.status} with error {code!r}",
            [response],
        )


@check("auth", judges=("auth.rules.missing_api_key", "auth.rules.invalid_api_key"))
def auth_api_key_enforced(rule: StatusRule, request: Exchange, code_pointer: str | None = None) -> None:
    """A request without the API key (or with an unknown one) is refused, whatever its bearer token."""
    if not refused_as_documented(rule, request, code_pointer):
        raise ApiKeyNotEnforced(documented_refusal(rule, code_pointer), status_was(request), [request])


@check("auth", judges="auth.rules.insufficient_scope")
def auth_scope_enforced(rule: StatusRule, request: Exchange, code_pointer: str | None = None) -> None:
    """Credentials lacking the scope an operation needs are refused (403 and the documented code)."""
    if not refused_as_documented(rule, request, code_pointer):
        raise ScopeNotEnforced(documented_refusal(rule, code_pointer), status_was(request), [request])


@check("auth", judges="auth.rules.tenant_isolation")
def auth_tenant_isolation(rule: StatusRule, foreign: Exchange, code_pointer: str | None = None) -> None:
    """A caller cannot reach a tenant (organisation) it does not belong to: the documented status
    (and error code, where the profile names one)."""
    if not refused_as_documented(rule, foreign, code_pointer):
        raise TenantIsolationBroken(documented_refusal(rule, code_pointer), status_was(foreign), [foreign])


@check("auth", judges="auth.rules.tenant_isolation")
def auth_listing_isolated(
    rule: IsolationRule,
    foreign_pages: Sequence[Exchange],
    ours: Sequence[str],
    items: str,
    id_field: str = "id",
) -> None:
    """A list made with another organisation's credentials holds none of our records."""

    if not ours:
        raise NotApplicable("we have no records to look for")
    leaked = [
        str(i.get(id_field))
        for p in foreign_pages
        for i in items_of(p, items)
        if isinstance(i, dict) and str(i.get(id_field)) in set(ours)
    ]
    if leaked:
        raise TenantIsolationBroken(
            "none of our records in the other organisation's list",
            f"{len(leaked)} of ours, e.g. {leaked[0]}",
            list(foreign_pages[:2]),
        )


@check("auth", judges="auth.rules.revoked_credentials")
def auth_revoked_key_rejected(
    rule: KeyManagementRule, before: Exchange, revoke: Exchange, after: Exchange
) -> None:
    """A key works until it is revoked, the revocation is accepted, and the key is refused at once
    afterwards (a refused revocation is a failure, never "not applicable")."""
    if not before.ok:
        raise RevokedKeyAccepted("a new key accepted before revocation", status_was(before), [before])
    if not revoke.ok:
        raise RevokedKeyAccepted("the revocation accepted (2xx)", status_was(revoke), [before, revoke])
    if after.status not in rule.status:
        raise RevokedKeyAccepted(
            f"HTTP {statuses(rule.status)} right after revocation", status_was(after), [before, revoke, after]
        )


def _fields(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            found |= _fields(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _fields(inner)
    return found


@check("auth", judges="auth.rules.secret_not_listed")
def auth_secret_never_listed(rule: KeyManagementRule, created: Exchange, listing: Exchange) -> None:
    """The secret is shown once, on creation: the key list has no secret or hash field."""
    if not listing.ok:
        raise NotApplicable(f"the key list was not returned ({status_was(listing)})")
    keys = listing.json()
    forbidden = sorted(_fields(keys) & set(rule.forbidden_fields))
    # the recorded body is redacted; a listed secret shows as a masked value under a secret-like field
    if forbidden:
        raise SecretListed(
            f"no {', '.join(rule.forbidden_fields)} fields in the key list",
            f"fields {forbidden}",
            [created, listing],
        )
    if MASK in listing.response_body:
        # exchanges are redacted as recorded: a value the harness knows as a secret was in the list
        raise SecretListed(
            "no secret value in the key list", "a known secret (shown masked)", [created, listing]
        )


class AdminEndpointOpen(CheckFailure):
    title = "Key management reachable without an admin session"


@check("auth", judges="auth.rules.admin_session_required")
def auth_admin_session_required(rule: KeyManagementRule, request: Exchange) -> None:
    """Key management without an admin session is refused."""
    if request.status not in rule.status:
        raise AdminEndpointOpen(
            f"HTTP {statuses(rule.status)} without the admin session", status_was(request), [request]
        )
