"""The capability sections of a profile: errors, pagination, rate limit, locking and webhooks (auth
and transport are in `access`, re-exported here). Each names the rules the generic suites check and
the profile values they need."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from conformance.contracts.models.rules import (
    OperationId,
    Rule,
    StatusList,
    StatusRule,
    Strict,
)

# --- errors -------------------------------------------------------------------------------------


class Given(Strict):
    """An entity a trigger needs first: created with this operation's example (changed by `set`);
    its id fills the trigger's `id` path parameter."""

    operation: OperationId
    set: dict[str, Any] = Field(default_factory=dict, description="JSON Pointer -> value")
    id_pointer: str = Field(default="/id", description="JSON Pointer of the id in the create response")
    param: str = Field(default="id", description="the trigger's path parameter the id fills")


class Trigger(Strict):
    """How to provoke a documented error: an operation and what to change about its example."""

    operation: OperationId
    given: Given | None = Field(default=None, description="create this entity first (its id: `id`)")
    method: str | None = None
    path: str | None = Field(default=None, description="request this path instead (an unknown one)")
    path_params: dict[str, str] = Field(default_factory=dict)
    remove: list[str] = Field(default_factory=list, description="JSON Pointers removed from the body")
    set: dict[str, Any] = Field(default_factory=dict, description="JSON Pointer -> value")
    raw_body: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    omit_headers: list[str] = Field(default_factory=list, description="headers left out (x-api-key)")
    content_type: str | None = Field(default=None, description="'' sends no Content-Type at all")
    params: dict[str, str] = Field(default_factory=dict, description="query parameters")
    auth: bool = True
    identity: str = Field(default="default", description="whose credentials (see config.identities)")
    scopes: list[str] | None = Field(default=None, description="use a token with only these scopes")
    rate_limit: bool = Field(default=False, description="spend the rate-limit quota; judge the refusal")
    repeat: int = Field(default=1, ge=1, le=50, description="send it this often; judge the last answer")
    admin_session: bool = Field(default=False, description="send the admin session cookie (key management)")
    spend_quota: bool = Field(
        default=False, description="spend the rate-limit quota first, then send this (order of checks)"
    )
    control: Literal["fail_next"] | None = Field(default=None, description="a mock-only way to provoke it")


class ErrorCode(StatusRule):
    id: str
    envelope: str = Field(description="schema name under components/schemas of openapi.yaml")
    trigger: Trigger
    pointer: str | None = Field(default=None, description="JSON Pointer the error must name")


class AcceptedInput(Rule, StatusList):
    """A documented valid input (an enum value, a unit, an optional field left out) and what its
    answer must be: a success status, and where the documents say so, values in the body."""

    id: str
    trigger: Trigger = Field(description="the request, as an error trigger describes one")
    status: list[int] = Field(description="the success statuses the documents give")
    expect: dict[str, Any] = Field(
        default_factory=dict,
        description="JSON Pointer -> the value the answer has there ('{id}': the given entity)",
    )
    present: list[str] = Field(default_factory=list, description="JSON Pointers the answer must have")
    matches: dict[str, str] = Field(
        default_factory=dict, description="JSON Pointer -> a regular expression its string must match"
    )
    schema_name: str | None = Field(
        default=None, alias="schema", description="a schema of openapi.yaml the answer's body must match"
    )
    seed: int = Field(
        default=0, ge=0, description="on a mock, seed this many entities of the operation's resource first"
    )


class Errors(Strict):
    envelope: str
    code_pointer: str | None = Field(default=None, description="JSON Pointer of the error code in the body")
    codes: list[ErrorCode]
    atomic_writes: Rule | None = Field(default=None, description="a refused write changes nothing")
    accepted: list[AcceptedInput] = Field(
        default_factory=list, description="documented valid inputs: never answered with an error"
    )


# --- pagination ---------------------------------------------------------------------------------


class PageHeaders(Strict):
    total_pages: str
    page_size: str
    page_number: str
    total_elements: str
    link: str


class ListOperation(Strict):
    operation: OperationId
    items: str = Field(default="", description="JSON Pointer of the item array ('' = the body)")
    resource: str | None = Field(
        default=None,
        description="seed resource (control plane); default: the resource whose `list` is this operation",
    )


class Filter(Strict):
    """A documented filter: sending `value` for `parameter` keeps only items whose `field` matches."""

    operation: OperationId
    parameter: str = Field(description="query parameter, or a JSON Pointer into the body ('/params/…')")
    value: str
    field: str = Field(description="JSON Pointer into an item")
    match: Literal["equals", "at_least", "before", "prefix"] = "equals"


class PaginationRules(Strict):
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
    default_position: Rule | None = Field(
        default=None, description="no page/offset parameter is the first page"
    )
    null_cursor_first_page: Rule | None = Field(default=None, description="an explicit null cursor: page 1")
    aliases_accepted: Rule | None = Field(default=None, description="parameter_aliases work like the names")
    empty_headers: Rule | None = Field(default=None, description="an empty result's page headers and Link")


class Pagination(Strict):
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


class RateLimitRules(Strict):
    quota_enforced: StatusRule
    rejection_envelope: Rule
    recovers_after_window: Rule
    headers_present: Rule | None = None
    remaining_decreases: Rule | None = None
    reset_consistent: Rule | None = None
    per_key_independent: Rule | None = None
    sustained_rate: Rule | None = Field(default=None, description="a token bucket refills at `refill`")
    window_slides: Rule | None = Field(
        default=None, description="a sliding window: no fresh quota at a boundary"
    )
    window_fixed: Rule | None = Field(
        default=None, description="a fixed window from the first request: the whole quota back after it"
    )
    attempts_counted: Rule | None = Field(
        default=None, description="refused attempts count against the window"
    )
    every_operation: Rule | None = Field(default=None, description="every operation spends the one quota")
    token_endpoint_exempt: Rule | None = Field(default=None, description="token calls are not limited")
    invalid_requests_counted: Rule | None = Field(
        default=None, description="a refused (400) request counts and carries the rate headers"
    )
    default_quota: Rule | None = Field(
        default=None, description="a credential with no quota of its own gets `limit`"
    )


class RateLimitHeaders(Strict):
    remaining: str
    reset: str = Field(description="epoch seconds when the window resets")


class DedicatedKey(Strict):
    """Create a key with a small quota for the probe instead of spending the default one."""

    operation: OperationId
    body: dict[str, Any]
    secret_pointer: str
    limit: int = Field(gt=0)


class RateLimit(Strict):
    policy: Literal["sliding_window", "fixed_window", "token_bucket"]
    limit: int = Field(gt=0, description="requests per window (token bucket: the burst)")
    window_seconds: float = Field(gt=0, description="token bucket: seconds to refill `refill` tokens")
    refill: int | None = Field(default=None, description="token bucket: tokens added per window_seconds")
    per: Literal["client", "key", "token"]
    applies_to: Literal["all", "operation"] = Field(
        default="all", description="every call counts, or only calls of `operation`"
    )
    operation: OperationId
    operation_params: dict[str, str] = Field(default_factory=dict)
    envelope: str
    headers: RateLimitHeaders | None = None
    retry_after_field: str | None = Field(default=None, description="JSON Pointer in the 429 body")
    dedicated_key: DedicatedKey | None = None
    invalid_request_params: dict[str, str] = Field(
        default_factory=dict, description="query parameters that make the rate-limited call a 400"
    )
    rules: RateLimitRules


# --- locking ------------------------------------------------------------------------------------


class LockingRules(Strict):
    stale_version_rejected: StatusRule
    version_incremented: Rule
    malformed_version_rejected: StatusRule | None = None
    absent_if_match_accepted: Rule | None = None
    concurrent_single_winner: Rule
    version_present: Rule | None = None  # judged on every entity a generated request is answered with


class Locking(Strict):
    header: str
    version_field: str
    initial_version: int
    increment: int = 1
    if_match_required: bool
    resources: list[str]
    by_decision: dict[str, str] = Field(
        default_factory=dict,
        description="resource -> the decision that puts it under these rules (judged SHOULD there)",
    )
    rules: LockingRules


# --- webhooks -----------------------------------------------------------------------------------


class WebhookEvent(Strict):
    name: str
    resource: str
    payload_schema: str
    cause: Literal["status_change", "create"] = Field(
        default="status_change",
        description="what raises it: a status change (control plane) or a create call",
    )
    status: str | None = Field(default=None, description="the status a status_change sets")
    other_status: str | None = Field(
        default=None, description="another status of the resource (a subscription to `status` skips it)"
    )
    create_body: dict[str, Any] | None = Field(
        default=None, description="JSON Pointer -> value set on the create example (e.g. the order channel)"
    )
    payload_id: str = Field(default="/id", description="JSON Pointer of the entity id in the payload")
    response_id: str = Field(
        default="/id", description="JSON Pointer of the entity id in the create response"
    )
    via_api: StatusChange | None = Field(
        default=None, description="how the API itself makes the status change (live targets)"
    )


class StatusChange(Strict):
    """A status change through the API: the operation, and what to set in its example body."""

    operation: OperationId
    set: dict[str, Any] = Field(description="JSON Pointer -> value, on the operation's example body")


class Webhooks(Strict):
    events: list[WebhookEvent]
    custom_headers: bool
    signing: Literal["none", "hmac"]
    event_pointer: str | None = Field(default=None, description="JSON Pointer of the event name in a payload")
    status_pointer: str | None = Field(
        default=None, description="JSON Pointer of the new status in a payload"
    )
    retry_delay_seconds: float = Field(default=60, description="how long a first retry may take")
    delivery: Rule
    payload_conforms: Rule | None = None
    custom_headers_sent: Rule | None = None
    retry_on_failure: Rule
    payload_status: Rule | None = Field(default=None, description="the payload carries the new status")
    payload_is_entity: Rule | None = Field(
        default=None, description="the payload is the full entity (its GET)"
    )
    several_events: Rule | None = Field(default=None, description="one URL may subscribe to several events")
    status_subscription: Rule | None = Field(
        default=None, description="a webhook for one status does not fire on a change to another"
    )
