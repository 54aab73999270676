"""The profile as a whole: operations and their roles, live configuration, waivers, schema hints,
and the capability sections; plus the walk over it that finds every rule and operation reference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from conformance.contracts.models.access import Auth, Transport
from conformance.contracts.models.capabilities import (
    Errors,
    Locking,
    Pagination,
    RateLimit,
    Webhooks,
)
from conformance.contracts.models.properties import SchemaRules
from conformance.contracts.models.rules import Capability, OperationId, OperationRef, Rule, StatusRule, Strict
from conformance.contracts.models.search import Search
from conformance.contracts.models.stateful import Stateful
from conformance.contracts.models.statements import Statement


class EntityWrite(Strict):
    """An operation (besides `update` and `delete`) that changes an existing entity, and where the
    request names the entity: a JSON Pointer into the body (`/data/greenLotId`) or `{param}`."""

    operation: OperationId
    id_at: str


EntityWrites = list[EntityWrite]  # named here: inside Resource, `list` is a field


def _no_writes() -> EntityWrites:
    return []


class Resource(Strict):
    create: OperationId | None = None
    get: OperationId | None = None
    update: OperationId | None = None
    delete: OperationId | None = None
    list: OperationId | None = None
    batch_get: OperationId | None = None
    id_pointer: str = Field(
        default="/id", description="JSON Pointer of a new entity's id in the create response"
    )
    modifies: EntityWrites = Field(default_factory=_no_writes)
    credentials: Literal["identity", "admin_session"] = Field(
        default="identity", description="whose credentials its calls need (admin_session: the admin cookie)"
    )

    def operation_ids(self) -> dict[str, str]:
        roles = ("create", "get", "update", "delete", "list", "batch_get")
        return {role: op for role in roles if (op := getattr(self, role))}


class Operations(Strict):
    token: OperationId | None = None
    identity: OperationId | None = None
    resources: dict[str, Resource] = Field(default_factory=dict)


class IdentityKeys(Strict):
    """Which config variables hold one identity's credentials."""

    client_id: str | None = None
    client_secret: str | None = None
    api_key: str | None = None
    path_params: dict[str, str] = Field(
        default_factory=dict, description="path parameter -> config variable, where this identity's differ"
    )


DEFAULT_IDENTITIES = {
    "default": IdentityKeys(client_id="CLIENT_ID", client_secret="CLIENT_SECRET", api_key="API_KEY"),
    "other": IdentityKeys(
        client_id="OTHER_CLIENT_ID", client_secret="OTHER_CLIENT_SECRET", api_key="OTHER_API_KEY"
    ),
    "limited": IdentityKeys(client_id="LIMITED_CLIENT_ID", client_secret="LIMITED_CLIENT_SECRET"),
}


class LiveConfig(Strict):
    """Which CONFORMANCE_<API>_* variables a live run needs (names without the prefix)."""

    required: list[str]
    optional: list[str] = Field(default_factory=list)
    token_path: str | None = Field(default=None, description="token URL = BASE_URL + this, if unset")
    identities: dict[str, IdentityKeys] = Field(default_factory=dict)
    request_budget: int = Field(default=2000, gt=0, description="requests a live run may send to this API")
    admin_cookie: str | None = Field(default=None, description="variable with the admin session cookie")

    def identity(self, name: str) -> IdentityKeys:
        if name in self.identities:
            return self.identities[name]
        if name in DEFAULT_IDENTITIES:
            return DEFAULT_IDENTITIES[name]
        raise KeyError(f"no identity {name!r}; known: {sorted({*self.identities, *DEFAULT_IDENTITIES})}")


class Deviation(Strict):
    """A waiver for a known vendor deviation: while `expires` is not past, a failure of `check`
    (narrowed to one rule key with `rule`) is reported as waived, not failed; after it, the check
    fails again and `conformance gate` fails on the expired waiver itself."""

    check: str = Field(description="the check's name, as a report shows it")
    rule: str | None = Field(default=None, description="only this rule key (e.g. errors.codes[3])")
    reason: str = Field(min_length=1)
    ticket: str = Field(min_length=1)
    expires: dt.date


class FixtureUse(Strict):
    """Where a fixture's value goes in an operation's example body (`{value}` is replaced)."""

    operation: OperationId
    pointer: str = Field(description="JSON Pointer into the example body")
    value: Any = Field(default="{value}", description="what is put there; '{value}' in strings is filled")


class FixtureDiscovery(Strict):
    """How to find a usable value on the target itself: a read whose items carry it."""

    operation: OperationId
    body: dict[str, Any] | None = Field(default=None, description="the request body (RPC-style reads)")
    params: dict[str, str] = Field(default_factory=dict, description="query parameters")
    items: str = Field(default="", description="JSON Pointer of the item array in the answer")
    value: str = Field(description="JSON Pointer of the value inside one item")
    distinct_from: str | None = Field(default=None, description="another fixture this must differ from")
    same_item_as: str | None = Field(
        default=None,
        description="another fixture whose discovered item this is read from (a product and its customer)",
    )


class Fixture(Strict):
    """An entity that example bodies reference (a customer, a location) and that must exist on the
    target: named by a live variable, else discovered on the target, else the example's own value
    (which our default mock has)."""

    description: str
    variable: str | None = Field(
        default=None,
        description="config variable naming it (no prefix); `{VARIABLE}` in a profile template is its value",
    )
    discover: FixtureDiscovery | None = None
    uses: list[FixtureUse] = Field(default_factory=list)
    unresolved: Literal["example", "remove"] = Field(
        default="example",
        description="neither named nor discovered: keep the example's value, or leave the field out "
        "(where the documents state a default, e.g. CartonCloud's default warehouse)",
    )


class SchemaHints(Strict):
    """What the property suite must know that a JSON Schema cannot say."""

    unique_fields: list[str] = Field(
        default_factory=list,
        description="JSON Pointers of values that must be "
        "unique (e.g. names): generated values get a unique suffix",
    )


class Profile(Strict):
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
    search: Search | None = None
    stateful: Stateful | None = None
    schema_hints: SchemaHints = Field(default_factory=SchemaHints)
    schema_rules: SchemaRules | None = Field(default=None, description="the property suite's rules")
    fixtures: dict[str, Fixture] = Field(
        default_factory=dict, description="entities example bodies reference, found on the target"
    )
    business: dict[str, StatusRule | Rule] = Field(
        default_factory=dict, description="documented business rules the scenario suites check"
    )
    deviations: list[Deviation] = Field(default_factory=list)
    statements: dict[str, Statement] = Field(
        default_factory=dict, description="the documented statements, by id (see `enforces` on rules)"
    )

    def declares(self, capability: Capability) -> bool:
        value = getattr(self, capability)
        return bool(value) if isinstance(value, dict) else value is not None

    def walk(self) -> Iterator[tuple[str, Any, bool]]:
        """Every value of the profile with its key (`errors.codes[2].trigger.operation`) and whether
        its field is marked as an operationId."""
        yield from _walk(self, "")

    def rules(self) -> dict[str, Rule]:
        """Every rule of the profile by its key."""
        return {key: value for key, value, _ in self.walk() if isinstance(value, Rule)}

    def referenced_operations(self) -> dict[str, str]:
        """Every operationId the profile names, keyed by where it names it (found from the models'
        `OperationId` fields, so a new field that names an operation is cross-checked too)."""
        return {key: value for key, value, is_op in self.walk() if is_op and isinstance(value, str)}


@cache
def _operation_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items() if _is_operation_field(field))


def _is_operation_field(field: Any) -> bool:
    def marked(annotation: Any) -> bool:
        metadata = getattr(annotation, "__metadata__", ())
        return any(isinstance(m, OperationRef) for m in metadata) or any(
            marked(arg) for arg in get_args(annotation)
        )

    return any(isinstance(m, OperationRef) for m in field.metadata) or marked(field.annotation)


def _walk(value: Any, key: str, is_op: bool = False) -> Iterator[tuple[str, Any, bool]]:
    if key:
        yield key, value, is_op
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            is_operation = name in _operation_fields(type(value))
            yield from _walk(getattr(value, name), f"{key}.{name}" if key else name, is_operation)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{key}[{index}]", is_op)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _walk(item, f"{key}.{name}", is_op and not isinstance(item, dict))
