"""Rule coverage as data: docs/AUDIT.md is what `conformance coverage --markdown` writes, every
documented statement is checked (a rule, a check, a fault declared to make it fail) or says why not,
and the statements keep the seed-coverage audit's verdicts (shared/reviews/seed-coverage.md:
134 Y, 47 P, 53 N of 234) so the re-run shows what changed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conformance.audit import coverage, render_markdown
from conformance.audit.coverage import StatementCoverage
from conformance.contracts import available_apis

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reports():
    return [coverage(api) for api in available_apis()]


def test_audit_md_is_the_generated_table(reports):
    written = (ROOT / "docs" / "AUDIT.md").read_text(encoding="utf-8")
    assert written == render_markdown(reports), (
        "docs/AUDIT.md is stale: run `conformance coverage --markdown docs/AUDIT.md`"
    )


def test_every_statement_is_checked_or_says_why_not(reports):
    open_ = [
        f"{s.api} {s.id} ({s.status}): {s.text}"
        for r in reports
        for s in r.statements
        if s.status in ("unshown", "unchecked")
    ]
    assert not open_, "\n".join(open_)
    for r in reports:
        for s in r.statements:
            if s.status == "not applicable":
                assert s.not_applicable and len(s.not_applicable.split()) >= 5, f"{s.api} {s.id}: say why"


def test_every_rule_enforces_a_documented_statement(reports):
    assert {r.api: r.orphan_rules for r in reports if r.orphan_rules} == {}


def test_the_audits_verdicts_are_kept(reports):
    verdicts = Counter(s.audit for r in reports for s in r.statements if s.audit)
    assert verdicts == {"Y": 134, "P": 47, "N": 53}


def test_each_formerly_unchecked_row_names_its_check_and_fault(reports):
    rows: list[StatementCoverage] = [s for r in reports for s in r.statements if s.audit in ("N", "P")]
    assert len(rows) == 100
    for s in rows:
        if s.status == "not applicable":
            continue
        assert s.status == "checked", (s.api, s.id)
        assert s.biting and s.faults, (s.api, s.id, s.biting, s.faults)
    markdown = render_markdown(reports)
    for s in rows:
        line = next(line for line in markdown.splitlines() if line.startswith(f"| {s.id} |"))
        assert f"| {s.audit} |" in line
        assert all(f"`{f}`" in line for f in s.faults) or "n/a:" in line
