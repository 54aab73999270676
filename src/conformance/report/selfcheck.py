"""The self-check's results (`reports/selfcheck.json`): the suites against the clean mocks, and
against every fault of every mock, with the checks each fault made fail (the kill matrix).

A fault is *killed* when every check it declares (`breaks`) failed — on the rules it names, where it
names some; *partly* killed when only some did; it *survived* when none did; *error* when its run
gave no verdict (a crash, a usage error). Its capabilities are those of the checks it declares: the
kill rate of an API and capability is killed / faults there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

SELFCHECK_VERSION = "1.0"
SELFCHECK_FILE = "selfcheck.json"
FaultStatus = Literal["killed", "partly", "survived", "error"]


@dataclass
class FailedCheck:
    name: str
    capability: str
    rule_key: str


@dataclass
class CleanOutcome:
    """The suites of one API against its clean mock: must be all pass / not applicable."""

    api: str
    counts: dict[str, int]
    failed: list[str] = field(default_factory=list)  # case ids that failed or errored
    seconds: float = 0.0
    exit_code: int = 0

    @property
    def green(self) -> bool:
        return self.exit_code == 0 and not self.failed and self.counts.get("pass", 0) > 0


@dataclass
class FaultOutcome:
    api: str
    fault: str
    description: str
    declared: list[str]  # the checks it declares it breaks
    declared_rules: list[str]  # the rules it names (empty: any rule of those checks)
    capabilities: list[str]  # the capabilities of the declared checks
    status: FaultStatus
    failed: list[FailedCheck] = field(default_factory=list)  # every check that failed, any capability
    missing: list[str] = field(default_factory=list)  # declared checks (or check@rule) that did not fail
    seconds: float = 0.0
    exit_code: int = 0
    note: str = ""

    @property
    def name(self) -> str:
        return f"{self.api}:{self.fault}"

    def caught_by(self) -> dict[str, list[str]]:
        """capability -> the checks that failed in it (the kill-matrix row)."""
        out: dict[str, list[str]] = {}
        for f in self.failed:
            names = out.setdefault(f.capability, [])
            if f.name not in names:
                names.append(f.name)
        return out


def judge_fault(
    expected: dict[str, set[str]], failed: Iterable[FailedCheck]
) -> tuple[FaultStatus, list[str]]:
    """killed / partly / survived, from what failed: `expected` maps each declared check to the rule
    keys it must fail on (empty: any rule); and what was expected to fail but did not."""
    failed = list(failed)
    missing = []
    for check, rules in sorted(expected.items()):
        hits = [f for f in failed if f.name == check and (not rules or f.rule_key in rules)]
        if not hits:
            missing.append(check + (f" on {', '.join(sorted(rules))}" if rules else ""))
    if not missing:
        return "killed", []
    return ("partly" if len(missing) < len(expected) else "survived"), missing


@dataclass
class SelfCheck:
    started: str
    finished: str = ""
    seconds: float = 0.0
    workers: int = 1
    command: str = ""
    apis: list[str] = field(default_factory=list)
    clean: list[CleanOutcome] = field(default_factory=list)
    faults: list[FaultOutcome] = field(default_factory=list)
    schema_version: str = SELFCHECK_VERSION

    def survivors(self) -> list[FaultOutcome]:
        return [f for f in self.faults if f.status != "killed"]

    @property
    def passed(self) -> bool:
        return all(c.green for c in self.clean) and not self.survivors() and bool(self.clean or self.faults)

    def kill_rate(self, api: str | None = None, capability: str | None = None) -> tuple[int, int]:
        """(killed, faults) among the faults of `api` whose declared checks lie in `capability`."""
        chosen = [
            f
            for f in self.faults
            if (api is None or f.api == api) and (capability is None or capability in f.capabilities)
        ]
        return sum(1 for f in chosen if f.status == "killed"), len(chosen)

    def kill_rates(self) -> dict[str, dict[str, list[int]]]:
        """api -> capability -> [killed, faults], for the capabilities that have faults."""
        out: dict[str, dict[str, list[int]]] = {}
        for api in self.apis:
            rates = {cap: list(self.kill_rate(api, cap)) for cap in self.capabilities()}
            out[api] = {cap: rate for cap, rate in rates.items() if rate[1]}
        return out

    def capabilities(self) -> list[str]:
        from conformance.contracts.models import CAPABILITIES

        present = {c for f in self.faults for c in f.capabilities}
        return [c for c in (*CAPABILITIES, "schema") if c in present]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = {
            "passed": self.passed,
            "clean_green": all(c.green for c in self.clean),
            "faults": len(self.faults),
            "killed": sum(1 for f in self.faults if f.status == "killed"),
            "survivors": [f.name for f in self.survivors()],
            "kill_rate": {
                api: {
                    cap: list(self.kill_rate(api, cap))
                    for cap in self.capabilities()
                    if self.kill_rate(api, cap)[1]
                }
                for api in self.apis
            },
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SelfCheck:
        clean = [CleanOutcome(**c) for c in data.get("clean", [])]
        faults = []
        for f in data.get("faults", []):
            failed = [FailedCheck(**x) for x in f.get("failed", [])]
            faults.append(FaultOutcome(**{**f, "failed": failed}))
        known = {
            k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k not in ("clean", "faults")
        }
        return cls(**known, clean=clean, faults=faults)

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / SELFCHECK_FILE
        path.write_text(json.dumps(self.to_dict(), indent=2), encoding="utf-8")
        return path


def read_selfcheck(directory: Path) -> SelfCheck | None:
    """The self-check recorded beside a report, if there is a readable one."""
    path = directory / SELFCHECK_FILE
    try:
        return SelfCheck.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
