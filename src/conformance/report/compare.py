"""Verdicts of two runs side by side, by case id: the behaviour-preservation check of a refactor
and the determinism check of repeated runs (`conformance diff BEFORE AFTER`).

A case of the earlier run that became several (one per profile item: `…[cartoncloud:pagination]`
split into `…[cartoncloud:pagination:searchInboundOrders]`, …) is compared with its parts taken
together: failing if any part fails, passing if every judged part passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from conformance.core import Verdict
from conformance.report.model import RunResult, TestResult

_PARAMS = re.compile(r"^(?P<test>[^\[]+)\[(?P<param>[^\]]*)\](?P<rest>.*)$")
_SEVERITY: tuple[Verdict, ...] = ("error", "fail", "waived", "pass", "not-applicable", "skip")


@dataclass
class Comparison:
    same: list[str] = field(default_factory=list)
    differ: list[tuple[str, str, str]] = field(default_factory=list)  # case, before, after
    split: list[tuple[str, list[str]]] = field(default_factory=list)  # before case -> its parts
    only_before: list[str] = field(default_factory=list)
    only_after: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differ

    def lines(self) -> list[str]:
        out = [f"differs {case}: {a} -> {b}" for case, a, b in self.differ]
        out += [f"only before {case}" for case in self.only_before]
        out += [f"only after  {case}" for case in self.only_after]
        out.append(
            f"{len(self.same)} cases with the same verdict ({len(self.split)} of them split into "
            f"{sum(len(p) for _, p in self.split)} cases), {len(self.differ)} differ, "
            f"{len(self.only_before)} only before, {len(self.only_after)} only after"
        )
        return out


def combined(verdicts: list[Verdict]) -> Verdict:
    """The verdict of several parts taken together: the first of error, fail, waived, pass (if
    any part was judged), then not applicable, then skip."""
    judged = [v for v in verdicts if v in ("error", "fail", "waived", "pass")]
    pool = judged or verdicts
    return min(pool, key=_SEVERITY.index)


def _parts(case_id: str, after: dict[str, TestResult]) -> list[str]:
    match = _PARAMS.match(case_id)
    if match is None:
        return []
    prefix = f"{match['test']}[{match['param']}:"
    return [c for c in after if c.startswith(prefix) and c.endswith("]" + match["rest"])]


def compare(before: RunResult, after: RunResult) -> Comparison:
    old = {r.case_id: r for r in before.results}
    new = {r.case_id: r for r in after.results}
    result = Comparison()
    claimed: set[str] = set()
    for case_id, was in old.items():
        if case_id in new:
            now: Verdict = new[case_id].verdict
        else:
            parts = _parts(case_id, new)
            if not parts:
                result.only_before.append(case_id)
                continue
            claimed |= set(parts)
            result.split.append((case_id, parts))
            now = combined([new[p].verdict for p in parts])
        if now == was.verdict:
            result.same.append(case_id)
        else:
            result.differ.append((case_id, was.verdict, now))
    result.only_after = sorted(set(new) - set(old) - claimed)
    return result
