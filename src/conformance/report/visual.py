"""What the report's first screen draws, computed from the results model: the verdict banner (the
gate's), the score donut and the per-API bars. The template turns these into inline SVG and CSS (no
script, no new dependency, nothing fetched: the CSP stays as it is)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from conformance.report.model import RunResult, TestResult

COLOURS = {
    "pass": "#0a7d32",
    "fail": "#b3261e",
    "error": "#7a1410",
    "waived": "#b26a00",
    "skip": "#9a9aa2",
    "not-applicable": "#d4d4da",
}
ORDER = ("pass", "fail", "error", "waived", "skip", "not-applicable")
RADIUS = 15.9155  # a circle of circumference 100: dash lengths are percentages


@dataclass(frozen=True)
class Banner:
    passed: bool
    title: str
    reasons: list[str]
    lines: list[str]
    first: TestResult | None
    failures: list[TestResult]


def banner(run: RunResult) -> Banner:
    """The gate's verdict as the run recorded it (or, for a report from before 1.3, as the gate
    reaches it now), its reasons, and the failures in gate order: MUST, then SHOULD."""
    gate: dict[str, Any] | None = run.gate
    if gate is None:
        from conformance.report.gate import evaluate

        day = (run.finished or run.started)[:10]
        try:
            today = dt.date.fromisoformat(day)
        except ValueError:
            today = dt.date.today()
        gate = evaluate(run, None, today).to_dict(today)
    failures = run.failures()
    passed = bool(gate.get("passed"))
    return Banner(
        passed=passed,
        title="Gate passed" if passed else "Gate failed",
        reasons=list(gate.get("reasons", [])),
        lines=[line for line in gate.get("lines", []) if not line.startswith("gate: ")],
        first=failures[0] if failures else None,
        failures=failures,
    )


@dataclass(frozen=True)
class Segment:
    verdict: str
    count: int
    share: float  # percent of the whole
    offset: float  # where it starts, percent
    colour: str


def _segments(counts: dict[str, int]) -> list[Segment]:
    total = sum(counts.values())
    out, start = [], 0.0
    for verdict in ORDER:
        n = counts.get(verdict, 0)
        if not n or not total:
            continue
        share = 100.0 * n / total
        out.append(Segment(verdict, n, round(share, 3), round(start, 3), COLOURS[verdict]))
        start += share
    return out


def donut(run: RunResult) -> dict[str, Any]:
    """Every case by verdict, around the score (passed / judged). SVG `stroke-dasharray` on a circle
    of circumference 100: each segment's dash is its share, its offset where the previous ends."""
    segments = _segments(run.counts())
    return {
        "radius": RADIUS,
        "segments": [
            {**s.__dict__, "dasharray": f"{s.share} {100 - s.share}", "dashoffset": f"{25 - s.offset}"}
            for s in segments
        ],
        "score": run.score(),
        "total": len(run.results),
        "circumference": round(2 * math.pi * RADIUS, 2),
    }


def api_bars(run: RunResult) -> list[dict[str, Any]]:
    """One stacked bar per API: its cases by verdict, widths in percent."""
    out = []
    for api in run.apis:
        counts = run.counts(api)
        out.append(
            {
                "api": api,
                "segments": _segments(counts),
                "total": sum(counts.values()),
                "score": run.score(api),
                "coverage": run.coverage(api),
            }
        )
    return out
