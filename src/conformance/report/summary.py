"""The per-API x capability table of a run: the terminal's last screen, the CI job summary (Markdown)
and the numbers the HTML report draws. One function per view, all from the results model."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.report.model import RunResult

SHORT = {
    "transport": "transp",
    "pagination": "pages",
    "rate_limit": "rate",
    "locking": "lock",
    "webhooks": "hooks",
    "business": "biz",
    "stateful": "seq",
}
DASH = "\u2013"  # nothing to show
LEGEND = (
    f"cell: passed/judged (✗ failing, w waived); n/a not documented by the API; {DASH} not run. "
    "coverage: documented rules judged (not skipped, not applicable)"
)


@dataclass(frozen=True)
class Cell:
    text: str
    state: str  # pass, fail, none (nothing judged), na (not documented), skip


def cell(run: RunResult, api: str, capability: str) -> Cell:
    c = run.counts(api, capability)
    total = sum(c.values())
    failing = c["fail"] + c["error"]
    judged = c["pass"] + failing
    waived = f" {c['waived']}w" if c["waived"] else ""
    if not total:
        note = run.cell_note(api, capability)
        return Cell("n/a" if note == "not documented" else DASH, "na" if note == "not documented" else "none")
    if judged == 0:
        if c["waived"]:
            return Cell(f"{c['waived']}w", "skip")
        return Cell("n/a" if c["not-applicable"] == total else "skip", "na")
    if failing:
        return Cell(f"{failing}✗ {c['pass']}/{judged}{waived}", "fail")
    return Cell(f"{c['pass']}/{judged}{waived}", "pass")


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def coverage_text(run: RunResult, api: str | None = None, capability: str | None = None) -> str:
    judged, documented = run.coverage(api, capability)
    if not documented:
        return DASH
    return f"{judged}/{documented} ({100.0 * judged / documented:.0f}%)"


def rows(run: RunResult, *, short: bool = False) -> list[list[str]]:
    """Header row, one row per API, and a total row."""
    caps = run.capabilities()
    header = [
        "API",
        *(SHORT.get(c, c) if short else c for c in caps),
        "score",
        "MUST✗",
        "SHOULD✗",
        "coverage",
    ]
    out = [header]
    for api in run.apis:
        sev = run.severity_counts(api)
        out.append(
            [
                api,
                *(cell(run, api, c).text for c in caps),
                percent(run.score(api)),
                str(sev["MUST"]["failing"]),
                str(sev["SHOULD"]["failing"]),
                coverage_text(run, api),
            ]
        )
    sev = run.severity_counts()
    out.append(
        [
            "all",
            *(percent(run.score(None, c)) for c in caps),
            percent(run.score()),
            str(sev["MUST"]["failing"]),
            str(sev["SHOULD"]["failing"]),
            coverage_text(run),
        ]
    )
    return out


def text_table(run: RunResult) -> list[str]:
    table = rows(run, short=True)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0 or n == len(table) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def counts_line(run: RunResult) -> str:
    c = run.counts()
    operations = sum(1 for r in run.results if r.operation)
    parts = [f"{c['pass']} pass", f"{c['fail']} fail", f"{c['error']} error", f"{c['waived']} waived"]
    parts += [f"{c['not-applicable']} not applicable", f"{c['skip']} skipped"]
    flaky = len(run.flaky())
    if flaky:
        parts.append(f"{flaky} flaky (passed on a rerun)")
    note = f" (the property test counts one case per operation: {operations})" if operations else ""
    return f"{len(run.results)} cases{note}: " + ", ".join(parts)


def markdown(run: RunResult) -> str:
    """The run as a GitHub job summary: the verdict, the table, the failures."""
    gate = run.gate or {}
    verdict = "✅ PASSED" if gate.get("passed") else "❌ FAILED" if gate else "(no gate verdict)"
    table = rows(run)
    out = [
        f"### Conformance gate: {verdict}",
        "",
        "; ".join(gate.get("reasons", [])) or "",
        "",
        f"Target **{run.target}** · APIs {', '.join(run.apis)} · {counts_line(run)}",
        "",
        "| " + " | ".join(table[0]) + " |",
        "|" + "|".join([":---", *(["---:"] * (len(table[0]) - 1))]) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in table[1:]]
    out += ["", f"_{LEGEND}_"]
    if run.partial:
        out += ["", f"**Partial run**: {'; '.join(run.partial)}"]
    failures = run.failures()
    if failures:
        out += ["", "#### Failures (MUST first)", ""]
        for r in failures[:50]:
            where = f"`{r.api}` {r.capability} — `{r.display_name}`"
            out.append(f"- **{r.failed_severity()}** {where}: {r.headline()}")
        if len(failures) > 50:
            out.append(f"- … and {len(failures) - 50} more (see the report)")
    flaky = run.flaky()
    if flaky:
        out += ["", "#### Flaky (passed on a rerun)", ""]
        out += [f"- `{r.api}` `{r.display_name}`: attempt {r.attempts}" for r in flaky]
    return "\n".join(out) + "\n"
