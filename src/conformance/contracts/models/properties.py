"""The property suite's rules (`schema_rules:` in a profile): what a generated request's answer is
judged by, and which rejections of invalid input the documents state. A finding no rule covers is
an advisory observation, never a failure (CONTRACT-DECISIONS, "Latitude")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from conformance.contracts.models.rules import OperationId, Rule, Strict


class DocumentedRejection(Strict):
    """Invalid input the documents say is refused: a generated request that breaks it and is
    accepted fails with the rule at `rule` (its severity and source); other accepted invalid input
    is an observation."""

    rule: str = Field(description="the key of the profile rule that documents the rejection")
    location: Literal["body", "query", "path", "header"] = "body"
    keyword: str | None = Field(default=None, description="JSON Schema keyword broken (required, enum…)")
    name: str | None = Field(
        default=None, description="a parameter name, or a JSON Pointer prefix inside the body"
    )
    operations: list[OperationId] = Field(default_factory=list, description="only these (default: all)")


class SchemaRules(Strict):
    server_error: Rule = Field(description="no answer is a 5xx")
    response_conforms: Rule = Field(description="status, content type, headers and body as documented")
    auth_required: Rule | None = Field(
        default=None, description="an operation refuses a request without auth"
    )
    unsupported_method: Rule | None = Field(default=None, description="RFC 9110: 405 for other methods")
    documented_rejections: list[DocumentedRejection] = Field(default_factory=list)
