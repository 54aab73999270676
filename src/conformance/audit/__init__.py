"""The harness audited against the documents: which documented statement each rule enforces, which
checks judge it and which mock faults are declared to break it (`conformance coverage`), and the
kill matrix of a self-check run (`conformance selfcheck`, recorded as `report.selfcheck`).

This layer joins the checks' registry with the mocks' fault tables, so it may import both; neither
of them imports it.
"""

from __future__ import annotations

from conformance.audit.coverage import (
    STATUSES,
    Coverage,
    StatementCoverage,
    coverage,
    render_markdown,
    render_text,
)

__all__ = [
    "STATUSES",
    "Coverage",
    "StatementCoverage",
    "coverage",
    "render_markdown",
    "render_text",
]
