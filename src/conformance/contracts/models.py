"""Pydantic models of a conformance profile (contracts/<api>/profile.yaml).

A profile states, per API, the protocol rules the generic suites check. Every rule
carries where it comes from (`source`, the quoted `clause`, the `x-source` marker of
CONTRACT-DECISIONS.md) and how much it weighs (`severity`). Unknown keys are errors,
so a typo in a profile is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["MUST", "SHOULD"]
Basis = Literal["seed", "vendor-docs", "vendor-code", "decision", "invented"]
Capability = Literal[
    "auth", "transport", "pagination", "errors", "rate_limit", "locking", "webhooks", "business"
]
CAPABILITIES: tuple[Capability, ...] = (
    "auth",
    "transport",
    "pagination",
    "errors",
    "rate_limit",
    "locking",
    "webhooks",
    "business",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Rule(_Strict):
    """A documented promise: what it says, where it says it, and how firm it is."""

    source: str = Field(description="seed file and section, or the CONTRACT-DECISIONS entry")
    clause: str = Field(description="the sentence the rule enforces, quoted")
    severity: Severity
    x_source: Basis = Field(alias="x-source")

    @model_validator(mode="after")
    def _severity_follows_basis(self) -> Rule:
        if self.x_source == "seed" and self.severity != "MUST":
            raise ValueError("a rule the seed states (x-source: seed) has severity MUST")
        if self.x_source in ("decision", "invented") and self.severity != "SHOULD":
            raise ValueError(f"a rule with x-source: {self.x_source} has severity SHOULD")
        return self

    @property
    def mock_only(self) -> bool:
        """Invented rules only ever run against a mock."""
        return self.x_source == "invented"


class StatusRule(Rule):
    """A rule whose observable effect is an HTTP status (one of `status`)."""

    status: list[int]
    error: str | None = Field(default=None, description="expected error code in the body")
    operation: str | None = Field(default=None, description="operationId used to probe it")

    @model_validator(mode="before")
    @classmethod
    def _status_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("status"), int):
            data = {**data, "status": [data["status"]]}
        return data


class TokenResponseRule(Rule):
    status: int = 200
    token_type: str
    expires_in: int | None = None
    scope_separator: str | None = Field(default=None, description="how `scope` joins scopes, e.g. '%20'")
    token_pointer: str = Field(default="", description="JSON Pointer of the token object in the body")


class ExpiryRule(StatusRule):
    lifetime_seconds: int = Field(gt=0)


# --- auth ---------------------------------------------------------------------------------------

AuthKind = Literal["oauth2_client_credentials", "api_key_bearer", "bearer_plus_api_key", "cartoncloud"]


class ScopeRule(StatusRule):
    """A credential without the scope an operation needs is refused."""

    granted: list[str] = Field(default_factory=list, description="scopes of the limited credential")


class IsolationRule(StatusRule):
    """Another tenant/organisation's data is out of reach: by path (`path`, a status) or by
    listing (`listing`: a list made with the other identity shares no item with ours)."""

    style: Literal["path", "listing"] = "path"
    list_operation: str | None = None


class KeyManagementRule(Rule):
    """Key management endpoints (create/list/revoke) behave as documented."""

    create_operation: str
    list_operation: str
    revoke_operation: str
    secret_pointer: str = Field(description="JSON Pointer of the secret in the create response")
    id_pointer: str
    list_pointer: str = Field(description="JSON Pointer of the key array in the list response")
    forbidden_fields: list[str] = Field(default_factory=list)
    status: list[int] = Field(default_factory=lambda: [401])

    @model_validator(mode="before")
    @classmethod
    def _status_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("status"), int):
            data = {**data, "status": [data["status"]]}
        return data


class AuthRules(_Strict):
    token_response: TokenResponseRule | None = None
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


class Auth(_Strict):
    kind: AuthKind
    client_auth: Literal["form", "basic", "none"] = "none"
    token_operation: str | None = None
    token_headers: dict[str, str] = Field(default_factory=dict)
    scopes: list[str] = Field(default_factory=list)
    probe_operation: str = Field(description="an authenticated read used to probe auth rules")
    rules: AuthRules


# --- transport ----------------------------------------------------------------------------------


class RequiredHeader(_Strict):
    name: str
    value: str
    except_operations: list[str] = Field(default_factory=list)
    missing: StatusRule
    unsupported: StatusRule
    unsupported_probe_value: str


class MethodRule(StatusRule):
    method: str
    allow_header: bool = False
    message: str | None = Field(default=None, description="format of the message; {method} filled")


class UnknownPathRule(StatusRule):
    path: str


class ContentTypeRule(StatusRule):
    required: str
    probe: str = "text/plain"


class Transport(_Strict):
    required_headers: list[RequiredHeader] = Field(default_factory=list)
    method_not_allowed: MethodRule | None = None
    unknown_path: UnknownPathRule | None = None
    content_type: ContentTypeRule | None = None
    https_only: Rule | None = None


# --- errors -------------------------------------------------------------------------------------


class Trigger(_Strict):
    """How to provoke a documented error: an operation and what to change about its example."""

    operation: str
    method: str | None = None
    path_params: dict[str, str] = Field(default_factory=dict)
    remove: list[str] = Field(default_factory=list, description="JSON Pointers removed from the body")
    set: dict[str, Any] = Field(default_factory=dict, description="JSON Pointer -> value")
    raw_body: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    content_type: str | None = None
    params: dict[str, str] = Field(default_factory=dict, description="query parameters")
    auth: bool = True
    identity: str = Field(default="default", description="whose credentials (see config.identities)")
    scopes: list[str] | None = Field(default=None, description="use a token with only these scopes")
    rate_limit: bool = Field(default=False, description="spend the rate-limit quota; judge the refusal")
    repeat: int = Field(default=1, ge=1, le=50, description="send it this often; judge the last answer")
    control: Literal["fail_next"] | None = Field(default=None, description="a mock-only way to provoke it")


class ErrorCode(StatusRule):
    id: str
    envelope: str = Field(description="schema name under components/schemas of openapi.yaml")
    trigger: Trigger
    pointer: str | None = Field(default=None, description="JSON Pointer the error must name")


class Errors(_Strict):
    envelope: str
    code_pointer: str | None = Field(default=None, description="JSON Pointer of the error code in the body")
    codes: list[ErrorCode]
    atomic_writes: Rule | None = Field(default=None, description="a refused write changes nothing")


# --- pagination ---------------------------------------------------------------------------------


class PageHeaders(_Strict):
    total_pages: str
    page_size: str
    page_number: str
    total_elements: str
    link: str


class ListOperation(_Strict):
    operation: str
    items: str = Field(default="", description="JSON Pointer of the item array ('' = the body)")
    resource: str | None = Field(
        default=None,
        description="seed resource (control plane); default: the resource whose `list` is this operation",
    )


class Filter(_Strict):
    """A documented filter: sending `value` for `parameter` keeps only items whose `field` matches."""

    operation: str
    parameter: str = Field(description="query parameter, or a JSON Pointer into the body ('/params/…')")
    value: str
    field: str = Field(description="JSON Pointer into an item")
    match: Literal["equals", "at_least", "prefix"] = "equals"


class PaginationRules(_Strict):
    walk_complete: Rule
    order: Rule | None = None
    headers_consistent: Rule | None = None
    link_header: Rule | None = None
    terminal_signal: Rule | None = None
    total_consistent: Rule | None = None
    filter_consistent: Rule | None = None
    default_size: Rule
    max_size: Rule | StatusRule
    past_end: Rule | None = None
    invalid_page: StatusRule | None = None
    invalid_size: StatusRule | None = None


class Pagination(_Strict):
    style: Literal["page_number_headers", "cursor_body", "offset_limit"]
    list_operations: list[ListOperation]
    size_parameter: str = Field(description="query parameter, or a JSON Pointer into the body")
    page_parameter: str | None = None
    offset_parameter: str | None = None
    cursor_parameter: str | None = None
    end_cursor: str | None = Field(default=None, description="JSON Pointer of the next cursor")
    total: str | None = Field(default=None, description="JSON Pointer of the total count")
    limit_echo: str | None = Field(default=None, description="JSON Pointer echoing the page size")
    parameter_aliases: dict[str, str] = Field(default_factory=dict)
    headers: PageHeaders | None = None
    first_page: int = 1
    default_size: int = Field(gt=0)
    min_size: int = 1
    max_size: int = Field(gt=0)
    over_max: Literal["clamp", "reject"]
    order: Literal["newest_first", "unspecified"] = "unspecified"
    order_field: str | None = Field(default=None, description="JSON Pointer of the timestamp ordered by")
    filters: list[Filter] = Field(default_factory=list)
    invalid_cursor_probe: str = "not-a-cursor!!"
    rules: PaginationRules

    @model_validator(mode="before")
    @classmethod
    def _operations_as_objects(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("list_operations"), list):
            ops = [{"operation": op} if isinstance(op, str) else op for op in data["list_operations"]]
            data = {**data, "list_operations": ops}
        return data

    @model_validator(mode="after")
    def _style_has_its_parameters(self) -> Pagination:
        need = {
            "page_number_headers": ("page_parameter", "headers"),
            "offset_limit": ("offset_parameter",),
            "cursor_body": ("cursor_parameter", "end_cursor"),
        }[self.style]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(f"style {self.style} needs {', '.join(missing)}")
        return self


# --- rate limit ---------------------------------------------------------------------------------


class RateLimitRules(_Strict):
    quota_enforced: StatusRule
    rejection_envelope: Rule
    recovers_after_window: Rule
    headers_present: Rule | None = None
    remaining_decreases: Rule | None = None
    reset_consistent: Rule | None = None
    per_key_independent: Rule | None = None


class RateLimitHeaders(_Strict):
    remaining: str
    reset: str = Field(description="epoch seconds when the window resets")


class DedicatedKey(_Strict):
    """Create a key with a small quota for the probe instead of spending the default one."""

    operation: str
    body: dict[str, Any]
    secret_pointer: str
    limit: int = Field(gt=0)


class RateLimit(_Strict):
    policy: Literal["sliding_window", "fixed_window", "token_bucket"]
    limit: int = Field(gt=0, description="requests per window (token bucket: the burst)")
    window_seconds: float = Field(gt=0, description="token bucket: seconds to refill `refill` tokens")
    refill: int | None = Field(default=None, description="token bucket: tokens added per window_seconds")
    per: Literal["client", "key", "token"]
    applies_to: Literal["all", "operation"] = Field(
        default="all", description="every call counts, or only calls of `operation`"
    )
    operation: str
    operation_params: dict[str, str] = Field(default_factory=dict)
    envelope: str
    headers: RateLimitHeaders | None = None
    retry_after_field: str | None = Field(default=None, description="JSON Pointer in the 429 body")
    dedicated_key: DedicatedKey | None = None
    rules: RateLimitRules


# --- locking ------------------------------------------------------------------------------------


class LockingRules(_Strict):
    stale_version_rejected: StatusRule
    version_incremented: Rule
    malformed_version_rejected: StatusRule | None = None
    absent_if_match_accepted: Rule | None = None
    concurrent_single_winner: Rule


class Locking(_Strict):
    header: str
    version_field: str
    initial_version: int
    increment: int = 1
    if_match_required: bool
    resources: list[str]
    rules: LockingRules


# --- webhooks -----------------------------------------------------------------------------------


class WebhookEvent(_Strict):
    name: str
    resource: str
    payload_schema: str
    cause: Literal["status_change", "create"] = Field(
        default="status_change",
        description="what raises it: a status change (control plane) or a create call",
    )
    status: str | None = Field(default=None, description="the status a status_change sets")
    create_body: dict[str, Any] | None = Field(
        default=None, description="JSON Pointer -> value set on the create example (e.g. the order channel)"
    )
    payload_id: str = Field(default="/id", description="JSON Pointer of the entity id in the payload")
    response_id: str = Field(
        default="/id", description="JSON Pointer of the entity id in the create response"
    )


class Webhooks(_Strict):
    events: list[WebhookEvent]
    custom_headers: bool
    signing: Literal["none", "hmac"]
    retry_delay_seconds: float = Field(default=60, description="how long a first retry may take")
    delivery: Rule
    payload_conforms: Rule | None = None
    custom_headers_sent: Rule | None = None
    retry_on_failure: Rule


# --- operations, config, deviations ---------------------------------------------------------------


class Resource(_Strict):
    create: str | None = None
    get: str | None = None
    update: str | None = None
    delete: str | None = None
    list: str | None = None
    batch_get: str | None = None

    def operation_ids(self) -> dict[str, str]:
        return {role: op for role, op in self.model_dump().items() if op}


class Operations(_Strict):
    token: str | None = None
    identity: str | None = None
    resources: dict[str, Resource] = Field(default_factory=dict)


class IdentityKeys(_Strict):
    """Which config variables hold one identity's credentials."""

    client_id: str | None = None
    client_secret: str | None = None
    api_key: str | None = None


DEFAULT_IDENTITIES = {
    "default": IdentityKeys(client_id="CLIENT_ID", client_secret="CLIENT_SECRET", api_key="API_KEY"),
    "other": IdentityKeys(
        client_id="OTHER_CLIENT_ID", client_secret="OTHER_CLIENT_SECRET", api_key="OTHER_API_KEY"
    ),
    "limited": IdentityKeys(client_id="LIMITED_CLIENT_ID", client_secret="LIMITED_CLIENT_SECRET"),
}


class LiveConfig(_Strict):
    """Which CONFORMANCE_<API>_* variables a live run needs (names without the prefix)."""

    required: list[str]
    optional: list[str] = Field(default_factory=list)
    token_path: str | None = Field(default=None, description="token URL = BASE_URL + this, if unset")
    identities: dict[str, IdentityKeys] = Field(default_factory=dict)
    admin_cookie: str | None = Field(default=None, description="variable with the admin session cookie")

    def identity(self, name: str) -> IdentityKeys:
        if name in self.identities:
            return self.identities[name]
        if name in DEFAULT_IDENTITIES:
            return DEFAULT_IDENTITIES[name]
        raise KeyError(f"no identity {name!r}; known: {sorted({*self.identities, *DEFAULT_IDENTITIES})}")


class Deviation(_Strict):
    """A waiver for a known vendor deviation: while `expires` is not past, a failure of `check`
    (narrowed to one rule key with `rule`) is reported as waived, not failed; after it, the check
    fails again and `conformance gate` fails on the expired waiver itself."""

    check: str = Field(description="the check's name, as a report shows it")
    rule: str | None = Field(default=None, description="only this rule key (e.g. errors.codes[3])")
    reason: str = Field(min_length=1)
    ticket: str = Field(min_length=1)
    expires: dt.date


class SchemaHints(_Strict):
    """What the property suite must know that a JSON Schema cannot say."""

    unique_fields: list[str] = Field(
        default_factory=list,
        description="JSON Pointers of values that must be "
        "unique (e.g. names): generated values get a unique suffix",
    )


class Profile(_Strict):
    api: str
    title: str
    seed: str
    production_hosts: list[str]
    config: LiveConfig
    path_params: dict[str, str] = Field(
        default_factory=dict, description="path parameter -> config variable that fills it"
    )
    operations: Operations
    auth: Auth
    transport: Transport | None = None
    pagination: Pagination | None = None
    errors: Errors | None = None
    rate_limit: RateLimit | None = None
    locking: Locking | None = None
    webhooks: Webhooks | None = None
    schema_hints: SchemaHints = Field(default_factory=SchemaHints)
    business: dict[str, StatusRule | Rule] = Field(
        default_factory=dict, description="documented business rules the scenario suites check"
    )
    deviations: list[Deviation] = Field(default_factory=list)

    def declares(self, capability: Capability) -> bool:
        value = getattr(self, capability)
        return bool(value) if isinstance(value, dict) else value is not None

    def referenced_operations(self) -> dict[str, str]:
        """Every operationId the profile names, keyed by where it names it."""
        refs: dict[str, str] = {}
        if self.operations.token:
            refs["operations.token"] = self.operations.token
        if self.operations.identity:
            refs["operations.identity"] = self.operations.identity
        for name, res in self.operations.resources.items():
            for role, op in res.operation_ids().items():
                refs[f"operations.resources.{name}.{role}"] = op
        if self.auth.token_operation:
            refs["auth.token_operation"] = self.auth.token_operation
        refs["auth.probe_operation"] = self.auth.probe_operation
        for key, rule in self.auth.rules:
            if isinstance(rule, StatusRule) and rule.operation:
                refs[f"auth.rules.{key}.operation"] = rule.operation
        if self.transport:
            for i, header in enumerate(self.transport.required_headers):
                for j, op in enumerate(header.except_operations):
                    refs[f"transport.required_headers[{i}].except_operations[{j}]"] = op
            if self.transport.method_not_allowed and self.transport.method_not_allowed.operation:
                refs["transport.method_not_allowed.operation"] = self.transport.method_not_allowed.operation
        if self.errors:
            for i, code in enumerate(self.errors.codes):
                refs[f"errors.codes[{i}].trigger.operation"] = code.trigger.operation
        if self.pagination:
            for i, lop in enumerate(self.pagination.list_operations):
                refs[f"pagination.list_operations[{i}].operation"] = lop.operation
            for i, flt in enumerate(self.pagination.filters):
                refs[f"pagination.filters[{i}].operation"] = flt.operation
        if self.rate_limit:
            refs["rate_limit.operation"] = self.rate_limit.operation
            if self.rate_limit.dedicated_key:
                refs["rate_limit.dedicated_key.operation"] = self.rate_limit.dedicated_key.operation
        for key in ("revoked_credentials", "secret_not_listed"):
            km = getattr(self.auth.rules, key)
            if km is not None:
                for role in ("create_operation", "list_operation", "revoke_operation"):
                    refs[f"auth.rules.{key}.{role}"] = getattr(km, role)
        iso = self.auth.rules.tenant_isolation
        if iso is not None and iso.list_operation:
            refs["auth.rules.tenant_isolation.list_operation"] = iso.list_operation
        if self.transport and self.transport.content_type and self.transport.content_type.operation:
            refs["transport.content_type.operation"] = self.transport.content_type.operation
        return refs
