"""The one results model every report is generated from (JSON-serialisable, xdist-safe)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.0"
Verdict = Literal["pass", "fail", "not-applicable", "skip", "error", "waived"]
VERDICTS: tuple[str, ...] = ("pass", "fail", "not-applicable", "skip", "error", "waived")


@dataclass
class CheckResult:
    name: str
    capability: str
    rule_key: str
    severity: str
    x_source: str
    source: str
    clause: str
    verdict: str
    title: str = ""
    expected: str = ""
    actual: str = ""
    reason: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TestResult:
    nodeid: str
    api: str
    capability: str
    test: str
    verdict: str
    reason: str = ""
    duration: float = 0.0
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def severity(self) -> str:
        return "MUST" if any(c.severity == "MUST" for c in self.checks) or not self.checks else "SHOULD"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        checks = [CheckResult(**c) for c in data.get("checks", [])]
        return cls(**{**data, "checks": checks})


@dataclass
class RunResult:
    target: str
    apis: list[str]
    started: str
    finished: str = ""
    faults: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    seed: str = ""
    results: list[TestResult] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    @staticmethod
    def now() -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def counts(self, api: str | None = None, capability: str | None = None) -> dict[str, int]:
        counter = Counter(
            r.verdict
            for r in self.results
            if (api is None or r.api == api) and (capability is None or r.capability == capability)
        )
        return {v: counter.get(v, 0) for v in VERDICTS}

    def capabilities(self) -> list[str]:
        from conformance.contracts.models import CAPABILITIES

        present = {r.capability for r in self.results}
        return [c for c in CAPABILITIES if c in present] + sorted(present - set(CAPABILITIES))

    def score(self, api: str | None = None, capability: str | None = None) -> float | None:
        """Share of judged checks (pass + fail + error) that passed, or None when none was judged."""
        c = self.counts(api, capability)
        judged = c["pass"] + c["fail"] + c["error"]
        return round(100.0 * c["pass"] / judged, 1) if judged else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = {
            "counts": self.counts(),
            "by_api": {a: self.counts(a) for a in self.apis},
            "matrix": {a: {c: self.counts(a, c) for c in self.capabilities()} for a in self.apis},
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "results"}
        return cls(**fields, results=[TestResult.from_dict(r) for r in data.get("results", [])])
