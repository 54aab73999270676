"""The documented statements of an API (`statements:` in a profile): every testable promise the
seed and CONTRACT-DECISIONS.md make, by the id the seed-coverage audit gave it (`C41`). Each rule
names the statements it enforces (`enforces: [C41]`); a statement no rule can judge says why
(`not_applicable`), so `conformance coverage` can list what is checked, what cannot be, and what
has no check."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from conformance.contracts.models.rules import Capability, Strict

StatementCapability = Capability | Literal["schema"]


class Statement(Strict):
    """One testable statement of the documents."""

    text: str = Field(description="what the documents promise, in one line")
    source: str = Field(description="where they say it (a short quote, or the decision)")
    capability: StatementCapability | None = Field(
        default=None, description="where it belongs when no rule enforces it (else: its rules' capability)"
    )
    audit: Literal["Y", "P", "N"] | None = Field(
        default=None,
        description="the seed-coverage audit's verdict before issue 9 (Y, P partly, N not checked)",
    )
    not_applicable: str | None = Field(
        default=None, description="why no check can judge it (e.g. 'needs a second organisation')"
    )
