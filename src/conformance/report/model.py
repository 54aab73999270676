"""The one results model every report is generated from (JSON-serialisable, xdist-safe)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Literal

from conformance.core.verdict import FAILING, VERDICTS, Verdict

# 1.1: deviations, baseline diff, subtest case ids, declared capabilities; 1.2: events, observations;
# 1.3: attempts/flaky, culprit exchanges, documented rules (coverage), the gate's verdict, the command,
#      the Hypothesis settings used, partial-run reasons, the endpoints (for runnable curl lines);
# 1.4: a failing sequence's numbered steps (model-based suites), the stateful capability; the
#      documented statements (per API, with the rules that enforce them), the self-check's kill rates
SCHEMA_VERSION = "1.4"
JSON_SCHEMA = Path(__file__).parent / "schema" / f"conformance-{SCHEMA_VERSION}.schema.json"
WaiverStatus = Literal["waiving", "fixed", "expired", "not exercised"]
__all__ = [
    "FAILING",
    "SCHEMA_VERSION",
    "VERDICTS",
    "CheckResult",
    "RunResult",
    "TestResult",
    "Verdict",
    "WaiverOutcome",
    "WaiverStatus",
    "waiver_expired",
]


_DOUBLED = re.compile(r"(\[[^\[\]]+\])\1$")
JUDGED: frozenset[Verdict] = frozenset({"pass", "fail", "error", "waived"})


def undoubled(case: str) -> str:
    """A property-test id as written before 1.3 (`…[POST /x][POST /x]`: the operation twice) read as
    today's (`…[POST /x]`), so a baseline from then still matches."""
    return _DOUBLED.sub(r"\1", case)


def waiver_expired(expires: dt.date | str, today: dt.date) -> bool:
    """A waiver has expired once its date is in the past (it still holds on the day itself)."""
    return (dt.date.fromisoformat(expires) if isinstance(expires, str) else expires) < today


@dataclass
class CheckResult:
    name: str
    capability: str
    rule_key: str
    severity: str
    x_source: str
    source: str
    clause: str
    verdict: Verdict
    title: str = ""
    expected: str = ""
    actual: str = ""
    reason: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    culprits: list[int | str] = field(default_factory=list)  # ids of the exchanges the failure cites
    steps: list[str] = field(default_factory=list)  # a failing sequence: its numbered steps, shrunk

    def breaking(self) -> set[str]:
        """The exchanges shown as the one(s) that broke the rule: of those the failure cites, the
        writes when it cites reads around a write (a stale PUT between two GETs), else all of them."""
        cited = {str(c) for c in self.culprits}
        writes = {
            str(ex.get("id"))
            for ex in self.evidence
            if str(ex.get("id")) in cited
            and str(ex.get("method", "")).upper() not in ("GET", "HEAD", "OPTIONS")
        }
        return writes if writes and writes != cited else cited


@dataclass
class TestResult:
    __test__: ClassVar[bool] = False  # not a pytest test class

    nodeid: str
    api: str
    capability: str
    test: str
    verdict: Verdict
    reason: str = ""
    duration: float = 0.0
    checks: list[CheckResult] = field(default_factory=list)
    events: list[dict[str, Any]] = field(
        default_factory=list
    )  # what happened, never a verdict (a 429 retried)
    observations: list[dict[str, Any]] = field(default_factory=list)  # advisory findings: never fail
    attempts: int = 1  # pytest-rerunfailures: how often the case ran; the verdict is the last attempt's
    flaky: bool = False  # it failed, then passed on a rerun

    @property
    def file(self) -> str:
        """The test's file, from `suites/` on (JUnit's `file`)."""
        return self.case_id.split("::", 1)[0]

    @property
    def operation(self) -> str | None:
        """A property-test case's operation (`POST /x`), from its id's last parameter."""
        if self.capability != "schema" or not self.case_id.endswith("]"):
            return None
        label = self.case_id[self.case_id.rfind("[") + 1 : -1]
        return label if " " in label else None

    def judged_rules(self) -> set[str]:
        """The documented rules this case judged (pass, fail, waived): what coverage counts. A
        property-test case judges its operation (`schema:POST /x`)."""
        judged = {c.rule_key for c in self.checks if c.verdict in JUDGED}
        if self.operation and self.verdict in JUDGED:
            judged.add(f"schema:{self.operation}")
        return judged

    @property
    def severity(self) -> str:
        return "MUST" if any(c.severity == "MUST" for c in self.checks) or not self.checks else "SHOULD"

    @property
    def case_id(self) -> str:
        """A stable id for baselines and Allure: the node id from `suites/` on, whatever the rootdir."""
        index = self.nodeid.rfind("suites/")
        return self.nodeid[index:] if index >= 0 else self.nodeid

    @property
    def display_name(self) -> str:
        """The test with its parameters (e.g. `test_documented_error[cropster:errors:invalid_weight]`)."""
        return self.case_id.split("::")[-1] if "::" in self.case_id else self.test

    def failed_severity(self) -> str:
        """The severity of what failed: its failed checks' (MUST wins); an error or a failure no check
        judged (a crash, an assertion in the suite itself) counts as MUST."""
        failed = [c.severity for c in self.checks if c.verdict == "fail"]
        if not failed:
            return "MUST"
        return "MUST" if "MUST" in failed else "SHOULD"

    def headline(self) -> str:
        failed = next((c for c in self.checks if c.verdict == "fail"), None)
        if failed is not None:
            return f"{failed.severity} {failed.name}: {failed.title}"
        lines = [line for line in self.reason.strip().splitlines() if line.strip()]
        return lines[0][:300] if lines else self.verdict

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "case_id": self.case_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        checks = [
            CheckResult(**{k: v for k, v in c.items() if k in CheckResult.__dataclass_fields__})
            for c in data.get("checks", [])
        ]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("nodeid", "test"):
            if isinstance(known.get(key), str):
                known[key] = undoubled(known[key])
        return cls(**{**known, "checks": checks})


@dataclass(frozen=True)
class WaiverOutcome:
    """One waiver (a profile deviation) and what a run made of it."""

    api: str
    check: str
    rule: str | None
    reason: str
    ticket: str
    expires: str
    status: WaiverStatus
    waived_cases: int = 0
    passed_cases: int = 0
    failed_cases: int = 0

    def expired_on(self, today: dt.date) -> bool:
        return waiver_expired(self.expires, today)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WaiverOutcome:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "expires": str(known.get("expires", ""))})


@dataclass
class RunResult:
    target: str
    apis: list[str]
    started: str
    finished: str = ""
    faults: list[str] = field(default_factory=list)
    persona: str | None = None  # mock mode: the persona every mock ran as
    versions: dict[str, str] = field(default_factory=dict)
    seed: str = ""
    results: list[TestResult] = field(default_factory=list)
    deviations: list[WaiverOutcome] = field(default_factory=list)  # waivers and what became of them
    baseline: dict[str, Any] | None = None  # the diff against a baseline run, when one was given
    declared: dict[str, list[str]] = field(default_factory=dict)  # capabilities each profile declares
    events: list[dict[str, Any]] = field(default_factory=list)  # run-level: clean-up, budget, safety
    command: str = ""  # the command line that made this run
    hypothesis: dict[str, Any] = field(default_factory=dict)  # profile, seed (the one used), derandomize
    partial: list[str] = field(default_factory=list)  # why this is not the main job's run (empty: it is)
    gate: dict[str, Any] | None = None  # the gate's verdict when the run ended (see report.gate)
    documented: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # api -> capability -> rules
    endpoints: dict[str, dict[str, str]] = field(default_factory=dict)  # api -> mode, base_url, token_url
    statements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # api -> documented statements
    selfcheck: dict[str, Any] | None = None  # the kill rates of the last `conformance selfcheck`
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

    def cell_note(self, api: str, capability: str) -> str:
        """What an empty matrix cell means: the API does not promise it, or this run did not ask."""
        if capability == "schema" or api not in self.declared or capability in self.declared[api]:
            return "not run"
        return "not documented"

    def coverage(self, api: str | None = None, capability: str | None = None) -> tuple[int, int]:
        """(judged, documented): how many of the documented rules (a property test: operations)
        some case judged — passed, failed or waived, not skipped or not applicable."""
        documented = {
            (a, rule)
            for a, caps in self.documented.items()
            if api is None or a == api
            for cap, rules in caps.items()
            if capability is None or cap == capability
            for rule in rules
        }
        judged = self._judged_pairs()
        return len(documented & judged), len(documented)

    def _judged_pairs(self) -> set[tuple[str, str]]:
        """(api, rule) of every rule some case judged. Asked for each cell of the report's matrix
        and each statement: computed once for the results as they stand (each case's verdict and
        number of checks: what `judged_rules` reads)."""
        key = tuple((id(r), r.verdict, len(r.checks)) for r in self.results)
        cached = getattr(self, "_judged_cache", None)
        if cached is None or cached[0] != key:
            pairs = {(r.api, rule) for r in self.results for rule in r.judged_rules()}
            cached = (key, pairs)
            object.__setattr__(self, "_judged_cache", cached)
        return cached[1]

    def statement_states(self) -> list[tuple[str, dict[str, Any], str]]:
        """(api, statement, state) for every documented statement: `judged` (a rule enforcing it
        was judged in this run), `na` (the profile says why none can be) or `open` (neither)."""
        judged_rules = self._judged_pairs()
        out = []
        for api, statements in self.statements.items():
            for s in statements:
                if any((api, rule) in judged_rules for rule in s.get("rules", [])):
                    state = "judged"
                else:
                    state = "na" if s.get("not_applicable") else "open"
                out.append((api, s, state))
        return out

    def statement_coverage(self, api: str | None = None, capability: str | None = None) -> dict[str, int]:
        """Documented statements by state (`judged`, `na`, `open`) and their `total`."""
        out = {"judged": 0, "na": 0, "open": 0, "total": 0}
        for a, s, state in self.statement_states():
            if (api is None or a == api) and (capability is None or s.get("capability") == capability):
                out[state] += 1
                out["total"] += 1
        return out

    def flaky(self) -> list[TestResult]:
        return [r for r in self.results if r.flaky]

    def failures(self) -> list[TestResult]:
        """Failing cases, MUST before SHOULD, then by API, capability and case."""
        failing = [r for r in self.results if r.verdict in FAILING]
        return sorted(failing, key=lambda r: (r.failed_severity() != "MUST", r.api, r.capability, r.case_id))

    def severity_counts(self, api: str | None = None) -> dict[str, dict[str, int]]:
        """Per severity: cases judged (pass, fail, error) and failing, for the MUST-vs-SHOULD view."""
        out = {s: {"judged": 0, "failing": 0} for s in ("MUST", "SHOULD")}
        for r in self.results:
            if api is not None and r.api != api:
                continue
            if r.verdict in FAILING:
                severity = r.failed_severity()
                out[severity]["judged"] += 1
                out[severity]["failing"] += 1
            elif r.verdict == "pass":
                out[r.severity]["judged"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        # the results and waivers converted once, by their own to_dict (asdict(self) converted
        # them too, deep-copying every exchange, and then threw that away: 2 of 16 s, profiled)
        own = {
            "results": lambda: [r.to_dict() for r in self.results],
            "deviations": lambda: [d.to_dict() for d in self.deviations],
        }
        data = {
            f.name: own[f.name]() if f.name in own else copy.deepcopy(getattr(self, f.name))
            for f in fields(self)
        }
        data["summary"] = {
            "score": self.score(),
            "severity": self.severity_counts(),
            "counts": self.counts(),
            "by_api": {a: self.counts(a) for a in self.apis},
            "matrix": {a: {c: self.counts(a, c) for c in self.capabilities()} for a in self.apis},
            "coverage": {
                a: {c: list(self.coverage(a, c)) for c in self.documented.get(a, {})} for a in self.apis
            },
            "flaky": len(self.flaky()),
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        version = str(data.get("schema_version", ""))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(
                f"report schema {version or '(none)'} is not readable here (this is {SCHEMA_VERSION})"
            )
        fields = {
            k: v
            for k, v in data.items()
            if k in cls.__dataclass_fields__ and k not in ("results", "deviations")
        }
        if isinstance(fields.get("baseline"), dict):
            recorded = fields["baseline"].items()
            fields["baseline"] = {
                k: [undoubled(c) for c in v] if isinstance(v, list) else v for k, v in recorded
            }
        return cls(
            **fields,
            results=[TestResult.from_dict(r) for r in data.get("results", [])],
            deviations=[WaiverOutcome.from_dict(d) for d in data.get("deviations", [])],
        )
