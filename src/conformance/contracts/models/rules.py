"""What a rule is: a documented promise with its source, its quoted clause, its x-source marker
(CONTRACT-DECISIONS.md) and its severity, plus the key the loader stamps on it (its place in the
profile, e.g. `pagination.rules.walk_complete`), so rules travel as objects, never as strings."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

Severity = Literal["MUST", "SHOULD"]
Basis = Literal["seed", "vendor-docs", "vendor-code", "decision", "invented"]
Capability = Literal[
    "auth",
    "transport",
    "pagination",
    "errors",
    "rate_limit",
    "locking",
    "webhooks",
    "search",
    "business",
    "stateful",
]
CAPABILITIES: tuple[Capability, ...] = get_args(Capability)


class OperationRef:
    """Marks a profile field whose value is an operationId of openapi.yaml (cross-checked at load)."""


OperationId = Annotated[str, OperationRef()]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Rule(Strict):
    """A documented promise: what it says, where it says it, and how firm it is."""

    source: str = Field(description="seed file and section, or the CONTRACT-DECISIONS entry")
    clause: str = Field(description="the sentence the rule enforces, quoted")
    severity: Severity
    x_source: Basis = Field(alias="x-source")
    enforces: list[str] = Field(
        default_factory=list, description="ids of the documented statements (`statements:`) it enforces"
    )
    _key: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _severity_follows_basis(self) -> Rule:
        if self.x_source == "seed" and self.severity != "MUST":
            raise ValueError("a rule the seed states (x-source: seed) has severity MUST")
        if self.x_source in ("decision", "invented") and self.severity != "SHOULD":
            raise ValueError(f"a rule with x-source: {self.x_source} has severity SHOULD")
        return self

    @property
    def key(self) -> str:
        """Where the rule sits in its profile (`errors.codes[3]`); stamped by the loader."""
        return self._key

    def stamp(self, key: str) -> None:
        """Called once by the loader: the rule learns its place in the profile."""
        self._key = key

    @property
    def mock_only(self) -> bool:
        """Invented rules only ever run against a mock."""
        return self.x_source == "invented"


class StatusList(Strict):
    """A model whose `status` may be written as one integer or a list of them."""

    @model_validator(mode="before")
    @classmethod
    def _status_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("status"), int):
            data = {**data, "status": [data["status"]]}
        return data


class StatusRule(Rule, StatusList):
    """A rule whose observable effect is an HTTP status (one of `status`)."""

    status: list[int]
    error: str | None = Field(default=None, description="expected error code in the body")
    operation: OperationId | None = Field(default=None, description="operationId used to probe it")


class TokenResponseRule(Rule):
    status: int = 200
    token_type: str
    expires_in: int | None = None
    scope_separator: str | None = Field(default=None, description="how `scope` joins scopes, e.g. '%20'")
    token_pointer: str = Field(default="", description="JSON Pointer of the token object in the body")


class ExpiryRule(StatusRule):
    lifetime_seconds: int = Field(gt=0)
