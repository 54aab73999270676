"""Rule coverage as data: every documented statement of a profile (`statements:`), the rules that
enforce it (`enforces:`), the checks that judge those rules (the registry's `judges=`), and the
mock faults declared to break them. A statement is *checked* once some fault is declared to break
a check on one of its rules (the self-check then shows it failing), *not applicable* when the
profile says why no check can judge it, *unshown* when rules enforce it but no fault bites them,
and *unchecked* when no rule enforces it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from conformance.checks import REGISTRY, CheckInfo
from conformance.contracts import Contract, Rule, load_contract
from conformance.mocks import Fault, available_mocks, mock_faults

Status = Literal["checked", "not applicable", "unshown", "unchecked"]
STATUSES: tuple[Status, ...] = ("checked", "not applicable", "unshown", "unchecked")


@dataclass(frozen=True)
class StatementCoverage:
    api: str
    id: str
    text: str
    source: str
    capability: str
    rules: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    faults: tuple[str, ...] = ()
    not_applicable: str | None = None
    audit: str | None = None  # the seed-coverage audit's verdict before issue 9 (Y, P, N)
    biting: tuple[str, ...] = ()  # the checks its faults are declared to make fail on its rules

    @property
    def status(self) -> Status:
        if self.rules and self.faults:
            return "checked"
        if self.not_applicable:
            return "not applicable"
        return "unshown" if self.rules else "unchecked"

    def to_dict(self) -> dict[str, object]:
        return {
            "api": self.api,
            "id": self.id,
            "text": self.text,
            "source": self.source,
            "capability": self.capability,
            "status": self.status,
            "rules": list(self.rules),
            "checks": list(self.checks),
            "faults": list(self.faults),
            "biting": list(self.biting),
            "not_applicable": self.not_applicable,
            "audit": self.audit,
        }


@dataclass
class Coverage:
    """The statements of one API, and the rules that enforce none of them."""

    api: str
    statements: list[StatementCoverage]
    orphan_rules: list[str] = field(default_factory=list)

    def count(self, status: Status, capability: str | None = None) -> int:
        return sum(
            1
            for s in self.statements
            if s.status == status and (capability is None or s.capability == capability)
        )

    def capabilities(self) -> list[str]:
        return sorted({s.capability for s in self.statements})


def rule_checks(rule: Rule, contract: Contract) -> list[CheckInfo]:
    """The registered checks that judge this rule of this contract."""
    return [c for c in REGISTRY.values() if c.can_judge(rule, contract)]


def fault_rule_keys(
    contract: Contract, keys: Iterable[str], rules: Mapping[str, Rule] | None = None
) -> set[str]:
    """The rule keys a fault names: a key, a documented error or valid input by its id
    (`errors.codes[not_found]`), or a pattern as checks write theirs (`errors.codes[]`: any)."""
    rules = contract.rules if rules is None else rules
    out: set[str] = set()
    for key in keys:
        if "[]" in key or "*" in key:
            text = re.escape(key).replace(r"\[\]", r"\[\d+\]").replace(r"\*", r"[^.\[\]]+")
            out |= {k for k in rules if re.fullmatch(text, k)}
        else:
            out.add(contract.rule(key).key)
    return out


class RuleIndex:
    """One contract's rules, the checks judging each and the rules each fault names, computed once
    (the profile builds its rule table afresh on every `contract.rules`)."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.rules = contract.rules
        self.checks = {k: frozenset(c.name for c in rule_checks(r, contract)) for k, r in self.rules.items()}
        self.judged_by: dict[str, set[str]] = {}
        for key, names in self.checks.items():
            for name in names:
                self.judged_by.setdefault(name, set()).add(key)
        self._named: dict[frozenset[str], set[str]] = {}

    def named(self, fault: Fault) -> set[str]:
        if fault.rules not in self._named:
            self._named[fault.rules] = fault_rule_keys(self.contract, fault.rules, self.rules)
        return self._named[fault.rules]

    def broken(self, fault: Fault, key: str) -> frozenset[str]:
        """The checks judging rule `key` that `fault` is declared to make fail on it: those it
        breaks, if it names the rule (`rules=`) or those checks judge no other rule."""
        broken = fault.breaks & self.checks[key]
        if not broken:
            return frozenset()
        if fault.rules:
            return broken if key in self.named(fault) else frozenset()
        if all(self.judged_by.get(check, set()) <= {key} for check in broken):
            return broken
        return frozenset()


def coverage(api: str) -> Coverage:
    contract = load_contract(api)
    profile = contract.profile
    index = RuleIndex(contract)
    rules = index.rules
    faults = mock_faults(api) if api in available_mocks() else {}
    enforcing: dict[str, list[str]] = {}
    for key, rule in rules.items():
        for sid in rule.enforces:
            enforcing.setdefault(sid, []).append(key)
    out = []
    for sid, statement in profile.statements.items():
        keys = enforcing.get(sid, [])
        checks = sorted({name for k in keys for name in index.checks[k]})
        biting: set[str] = set()
        caught: set[str] = set()
        for name, fault in faults.items():
            for k in keys:
                broken = index.broken(fault, k)
                if broken:
                    caught |= broken
                    biting.add(name)
        capability = statement.capability or (keys[0].split(".", 1)[0] if keys else "?")
        if capability == "schema_rules":
            capability = "schema"
        out.append(
            StatementCoverage(
                api,
                sid,
                statement.text,
                statement.source,
                capability,
                tuple(keys),
                tuple(checks),
                tuple(sorted(biting)),
                statement.not_applicable,
                statement.audit,
                tuple(sorted(caught)),
            )
        )
    orphans = sorted(k for k, r in rules.items() if not r.enforces)
    return Coverage(api, out, orphans)


def render_text(reports: Iterable[Coverage], *, verbose: bool = False) -> str:
    """Per API: the counts, then every statement that is not checked (all of them with `verbose`)."""
    lines = []
    total: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for report in reports:
        counts = {s: report.count(s) for s in STATUSES}
        for s in STATUSES:
            total[s] += counts[s]
        was = {v: sum(1 for s in report.statements if s.audit == v) for v in ("Y", "P", "N")}
        lines.append(
            f"{report.api}: {len(report.statements)} documented statements — "
            + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
            + f" (the seed-coverage audit: {was['Y']} Y, {was['P']} P, {was['N']} N)"
        )
        for cap in report.capabilities():
            caps = {s: report.count(s, cap) for s in STATUSES}
            lines.append(f"  {cap:<11} " + "  ".join(f"{caps[s]:>3} {s}" for s in STATUSES))
        for item in report.statements:
            if verbose or item.status != "checked":
                lines.append(f"  {item.id:<4} {item.status:<14} {item.text}")
                if item.status == "not applicable":
                    lines.append(f"       why: {item.not_applicable}")
                elif item.rules:
                    lines.append(
                        f"       rules: {', '.join(item.rules)}; checks: {', '.join(item.checks) or '-'}"
                    )
                if verbose and item.faults:
                    lines.append(f"       faults: {', '.join(item.faults)}")
        if report.orphan_rules:
            lines.append(f"  rules enforcing no statement: {', '.join(report.orphan_rules)}")
    lines.append(
        f"all: {sum(total.values())} documented statements — "
        + ", ".join(f"{total[s]} {s}" for s in STATUSES)
    )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(reports: Iterable[Coverage]) -> str:
    """docs/AUDIT.md: the seed-coverage audit re-run from the rule-coverage data, one row per
    statement (id, statement, check(s), fault(s) or why not applicable)."""
    reports = list(reports)
    lines = [
        "# The seed-coverage audit, re-run from the rule-coverage data",
        "",
        "Generated by `conformance coverage --markdown docs/AUDIT.md` from `contracts/<api>/profile.yaml`",
        "(`statements:` and each rule's `enforces:`), the checks' registry and the mocks' `FAULTS`; do not",
        "edit by hand (`tests/test_coverage.py` fails when it drifts). A statement is **checked** when a",
        "rule enforces it and a mock fault is declared to break one of that rule's checks (`conformance",
        "selfcheck` shows each fault failing them); **n/a** when the profile says why no check can judge it.",
        "Statement ids are those of `shared/reviews/seed-coverage.md` (K59 and up, C57, O47, A49, G27",
        "and up: rules added since that audit). **before** is that audit's verdict (Y checked, P partly,",
        "N not checked; new: added since), **now** the verdict re-run here; the check(s) are those the",
        "row's faults are declared to make fail on its rules (`conformance selfcheck` shows they do).",
        "",
        "| API | statements | before: Y / P / N (new) | now: checked | n/a | unshown | unchecked |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        was = [sum(1 for s in r.statements if s.audit == v) for v in ("Y", "P", "N")]
        new = len(r.statements) - sum(was)
        lines.append(
            f"| {r.api} | {len(r.statements)} | {' / '.join(map(str, was))} ({new}) | "
            + " | ".join(str(r.count(s)) for s in STATUSES)
            + " |"
        )
    for r in reports:
        before = {v: sum(1 for s in r.statements if s.audit == v) for v in ("Y", "P", "N")}
        added = len(r.statements) - sum(before.values())
        open_ = r.count("unshown") + r.count("unchecked")
        lines += [
            "",
            f"## {r.api}",
            "",
            f"Before (the audit): {before['Y']} Y, {before['P']} P, {before['N']} N"
            + (f", {added} added since" if added else "")
            + f". Now: {r.count('checked')} checked, {r.count('not applicable')} n/a, {open_} open.",
            "",
            "| # | statement | capability | before | now "
            "| rule(s) → the check(s) its faults make fail | fault(s) or why n/a |",
        ]
        lines.append("|---|---|---|---|---|---|---|")
        for s in r.statements:
            rules = "<br>".join(s.rules) or "—"
            checks = ", ".join(f"`{c}`" for c in (s.biting or s.checks))
            judged = f"{rules} → {checks}" if s.rules else "—"
            if s.status == "checked":
                last = ", ".join(f"`{f}`" for f in s.faults)
                now = "Y"
            elif s.status == "not applicable":
                last = f"n/a: {s.not_applicable}"
                now = "n/a"
            else:
                last = f"**{s.status}**"
                now = f"**{s.status}**"
            lines.append(
                f"| {s.id} | {_cell(s.text)} | {s.capability} | {s.audit or 'new'} | {now} "
                f"| {_cell(judged)} | {_cell(last)} |"
            )
    return "\n".join(lines) + "\n"
