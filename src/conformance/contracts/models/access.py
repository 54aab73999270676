"""The access sections of a profile: auth (tokens, credentials, scopes, isolation, key management)
and transport (required headers, methods, unknown paths and versions, content type, HTTPS)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from conformance.contracts.models.rules import (
    ExpiryRule,
    OperationId,
    Rule,
    StatusList,
    StatusRule,
    Strict,
    TokenResponseRule,
)

# --- auth ---------------------------------------------------------------------------------------

AuthKind = Literal["oauth2_client_credentials", "api_key_bearer", "bearer_plus_api_key"]


class ScopeProbe(Strict):
    """One more operation to probe with a credential lacking its scope."""

    operation: OperationId
    granted: list[str]


class ScopeRule(StatusRule):
    """A credential without the scope an operation needs is refused."""

    granted: list[str] = Field(default_factory=list, description="scopes of the limited credential")
    also: list[ScopeProbe] = Field(default_factory=list, description="more operations, one case each")


class IsolationRule(StatusRule):
    """Another tenant/organisation's data is out of reach: by path (`path`, a status) or by
    listing (`listing`: a list made with the other identity shares no item with ours)."""

    style: Literal["path", "listing"] = "path"
    list_operation: OperationId | None = None


class KeyManagementRule(Rule, StatusList):
    """Key management endpoints (create/list/revoke) behave as documented."""

    create_operation: OperationId
    list_operation: OperationId
    revoke_operation: OperationId
    secret_pointer: str = Field(description="JSON Pointer of the secret in the create response")
    id_pointer: str
    list_pointer: str = Field(description="JSON Pointer of the key array in the list response")
    forbidden_fields: list[str] = Field(default_factory=list)
    status: list[int] = Field(default_factory=lambda: [401])


class TokenLifetimeRule(Rule):
    """The token response says the documented lifetime."""

    expires_in: int = Field(gt=0)
    token_pointer: str = Field(default="", description="JSON Pointer of the token object in the body")


class AuthRules(Strict):
    token_response: TokenResponseRule | None = None
    token_lifetime: TokenLifetimeRule | None = None
    default_scopes: Rule | None = Field(
        default=None, description="a token request without `scope` is granted every scope of the client"
    )
    missing_credentials: StatusRule | None = None
    invalid_token: StatusRule | None = None
    expired_token: ExpiryRule | None = None
    invalid_client: StatusRule | None = None
    unsupported_grant_type: StatusRule | None = None
    invalid_scope: StatusRule | None = None
    tenant_isolation: IsolationRule | None = None
    insufficient_scope: ScopeRule | None = None
    missing_api_key: StatusRule | None = None
    invalid_api_key: StatusRule | None = None
    revoked_credentials: KeyManagementRule | None = None
    secret_not_listed: KeyManagementRule | None = None
    admin_session_required: KeyManagementRule | None = None


class Auth(Strict):
    kind: AuthKind
    client_auth: Literal["form", "basic", "none"] = "none"
    token_operation: OperationId | None = None
    token_headers: dict[str, str] = Field(default_factory=dict)
    scopes: list[str] = Field(default_factory=list)
    probe_operation: OperationId = Field(description="an authenticated read used to probe auth rules")
    rules: AuthRules


# --- transport ----------------------------------------------------------------------------------


class RequiredHeader(Strict):
    name: str
    value: str
    except_operations: list[OperationId] = Field(default_factory=list)
    missing: StatusRule
    unsupported: StatusRule
    unsupported_probe_value: str
    supported_values: list[str] = Field(
        default_factory=list, description="every documented value (each must be accepted)"
    )
    exempt: Rule | None = Field(default=None, description="the except_operations answer without the header")
    accepted: Rule | None = Field(default=None, description="each of supported_values is accepted")
    exempt_unsupported: StatusRule | None = Field(
        default=None, description="... but refuse an unsupported value of it"
    )


class MethodRule(StatusRule):
    method: str
    also: list[str] = Field(default_factory=list, description="more methods to probe, one case each")
    allow_header: bool = False
    allow: list[str] | None = Field(default=None, description="the methods `Allow` must list, exactly")
    message: str | None = Field(default=None, description="format of the message; {method} filled")


class UnknownPathRule(StatusRule):
    path: str


class UnknownVersionRule(StatusRule):
    """An operation's URL with another API version in it gets the unknown-path answer."""

    operation: OperationId
    current: str = Field(description="the version part of the URL, e.g. /v1")
    unknown: str = Field(description="what replaces it, e.g. /v2")


class ContentTypeRule(StatusRule):
    required: str
    probe: str = "text/plain"


class Transport(Strict):
    required_headers: list[RequiredHeader] = Field(default_factory=list)
    method_not_allowed: MethodRule | None = None
    unknown_path: UnknownPathRule | None = None
    unknown_version: UnknownVersionRule | None = None
    content_type: ContentTypeRule | None = None
    content_type_missing: ContentTypeRule | None = None
    https_only: Rule | None = None
