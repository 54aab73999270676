"""Auth checks: token issuance, missing/invalid/expired credentials, token errors, isolation."""

from __future__ import annotations

from conformance.checks.base import NotApplicable, check, failure, status_was, statuses
from conformance.client.recording import Exchange
from conformance.contracts.models import StatusRule, TokenResponseRule

MalformedTokenResponse = failure("MalformedTokenResponse", "Token response does not match the contract")
UnauthenticatedRequestAccepted = failure(
    "UnauthenticatedRequestAccepted", "Request without credentials accepted"
)
InvalidTokenAccepted = failure("InvalidTokenAccepted", "Invalid access token accepted")
ExpiredTokenAccepted = failure("ExpiredTokenAccepted", "Expired access token accepted")
WrongTokenError = failure("WrongTokenError", "Token endpoint error does not match RFC 6749")
TenantIsolationBroken = failure("TenantIsolationBroken", "Another tenant's resource reachable")


@check("auth")
def auth_token_response_conforms(rule: TokenResponseRule, token: Exchange) -> None:
    """A token request with valid client credentials returns a bearer token with its lifetime.

    Profile: auth.rules.token_response.
    """
    body = token.json()
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
    if problems:
        raise MalformedTokenResponse(
            f"HTTP {rule.status}, access_token, token_type {rule.token_type!r}, expires_in > 0",
            "; ".join(problems),
            [token],
        )


@check("auth")
def auth_missing_credentials_rejected(rule: StatusRule, request: Exchange) -> None:
    """A request without an access token is refused with the documented status.

    Profile: auth.rules.missing_credentials.
    """
    if request.request_header("authorization"):
        raise NotApplicable("the probe request carried credentials")
    if request.status not in rule.status:
        raise UnauthenticatedRequestAccepted(f"HTTP {statuses(rule.status)}", status_was(request), [request])


@check("auth")
def auth_invalid_token_rejected(rule: StatusRule, request: Exchange) -> None:
    """A request with an unknown bearer token is refused with the documented status.

    Profile: auth.rules.invalid_token.
    """
    if request.status not in rule.status:
        raise InvalidTokenAccepted(f"HTTP {statuses(rule.status)}", status_was(request), [request])


@check("auth")
def auth_expired_token_rejected(rule: StatusRule, fresh: Exchange, expired: Exchange) -> None:
    """A token works until `expires_in` and is refused after it.

    Profile: auth.rules.expired_token.
    """
    if not 200 <= fresh.status < 300:
        raise NotApplicable(f"the fresh token was not accepted either ({status_was(fresh)})")
    if expired.status not in rule.status:
        raise ExpiredTokenAccepted(
            f"HTTP {statuses(rule.status)} once the lifetime has passed",
            status_was(expired),
            [fresh, expired],
        )


@check("auth")
def auth_token_error_conforms(rule: StatusRule, response: Exchange) -> None:
    """A refused token request gets the documented status and RFC 6749 `error` code.

    Profile: auth.rules.invalid_client, auth.rules.unsupported_grant_type.
    """
    body = response.json()
    code = body.get("error") if isinstance(body, dict) else None
    if response.status not in rule.status or (rule.error and code != rule.error):
        raise WrongTokenError(
            f"HTTP {statuses(rule.status)} with error {rule.error!r}",
            f"HTTP {response.status} with error {code!r}",
            [response],
        )


@check("auth")
def auth_tenant_isolation(rule: StatusRule, foreign: Exchange) -> None:
    """A caller cannot reach a tenant (organisation) it does not belong to.

    Profile: auth.rules.tenant_isolation.
    """
    if foreign.status not in rule.status:
        raise TenantIsolationBroken(f"HTTP {statuses(rule.status)}", status_was(foreign), [foreign])
