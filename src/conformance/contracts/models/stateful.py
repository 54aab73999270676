"""The model-based and stateful rules (`stateful:` in a profile): what an API must answer *after* a
sequence of calls. The reference models of `suites/models/<api>/` cite these rules, and the rules of
the other capabilities (a stale write refused, a deleted name freed), for each answer they predict;
`links` is the rule the schemathesis stateful phase over the contract's OpenAPI links judges by."""

from __future__ import annotations

from pydantic import Field

from conformance.contracts.models.rules import Rule, Strict


class Stateful(Strict):
    rules: dict[str, Rule] = Field(
        default_factory=dict,
        description="promises about sequences the other capabilities do not state (a read answers "
        "the last write, a listing shows what exists), each with its source",
    )
    links: Rule | None = Field(
        default=None,
        description="the schemathesis stateful phase: every answer along a chain of linked operations "
        "conforms, and what one step created the next can use",
    )
