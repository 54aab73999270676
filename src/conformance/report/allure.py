"""Allure results made from the run model: epic = API, feature = capability, story = rule.

Written from the one results model (never from live pytest state), so an xdist run and a
rebuilt report give the same files. Every exchange attached is the recorded, redacted one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Attachment, Label, Parameter, Status, StatusDetails
from allure_commons.model2 import TestResult as AllureResult

from conformance.report.model import RunResult, TestResult
from conformance.report.reproduce import Endpoint, curl, pretty, sequence_script

STATUS = {
    "pass": Status.PASSED,
    "fail": Status.FAILED,
    "error": Status.BROKEN,
    "skip": Status.SKIPPED,
    "not-applicable": Status.SKIPPED,
    "waived": Status.SKIPPED,
}
SEVERITY = {"MUST": "critical", "SHOULD": "normal"}


def _ms(stamp: str) -> int:
    try:
        return int(dt.datetime.fromisoformat(stamp).timestamp() * 1000)
    except ValueError:
        return 0


def _exchange_text(ex: dict[str, Any], endpoint: Endpoint, culprit: bool) -> str:
    request_headers = "".join(f"{k}: {v}\n" for k, v in ex.get("request_headers", []))
    response_headers = "".join(f"{k}: {v}\n" for k, v in ex.get("response_headers", []))
    mark = "# this exchange broke the rule\n" if culprit else ""
    return (
        f"{mark}{ex.get('method')} {ex.get('url')}\n{request_headers}\n"
        f"{pretty(str(ex.get('request_body', '')))}\n\n"
        f"HTTP {ex.get('status')}\n{response_headers}\n{pretty(str(ex.get('response_body', '')))}\n\n"
        f"# reproduce (secrets as $CONFORMANCE_* variables)\n{curl(ex, endpoint)}\n"
    )


def _result(run: RunResult, r: TestResult, start: int, logger: AllureFileLogger) -> AllureResult:
    stories = list(dict.fromkeys(c.rule_key for c in r.checks)) or [r.test]
    labels = [
        Label("epic", r.api),
        Label("feature", r.capability),
        *(Label("story", s) for s in stories),
        Label(
            "severity",
            SEVERITY.get(r.failed_severity() if r.verdict in ("fail", "error") else r.severity, "normal"),
        ),
        Label("parentSuite", f"conformance ({run.target})"),
        Label("suite", r.api),
        Label("subSuite", r.capability),
        Label("framework", "conformance"),
        Label("language", "python"),
    ]
    message = r.headline() if r.verdict != "pass" else None
    if r.flaky:
        message = f"flaky: failed, then passed on attempt {r.attempts} (pytest-rerunfailures)"
    details = StatusDetails(
        message=message, trace=r.reason if r.verdict in ("fail", "error") else None, flaky=r.flaky
    )
    endpoint = Endpoint.from_dict(r.api, run.endpoints.get(r.api))
    attachments: list[Attachment] = []
    seen: set[str] = set()
    for check in r.checks:
        if check.steps:  # a failing sequence: its steps and one script that runs it all again
            source = f"{uuid.uuid4()}-attachment.txt"
            text = "\n".join(check.steps) + "\n\n# reproduce the whole sequence\n"
            logger.report_attached_data(text + sequence_script(check.evidence, endpoint) + "\n", source)  # type: ignore[no-untyped-call]
            attachments.append(Attachment(name="the sequence, shrunk", source=source, type="text/plain"))
        culprits = check.breaking()
        for ex in check.evidence:
            if str(ex.get("id")) in seen:
                continue
            seen.add(str(ex.get("id")))
            culprit = str(ex.get("id")) in culprits
            source = f"{uuid.uuid4()}-attachment.txt"
            text = _exchange_text(ex, endpoint, culprit)
            logger.report_attached_data(text, source)  # type: ignore[no-untyped-call]
            name = ("broke the rule: " if culprit else "") + (
                f"{ex.get('method')} {ex.get('path') or ex.get('url')} → {ex.get('status')}"
            )
            attachments.append(Attachment(name=name, source=source, type="text/plain"))
    rules = [
        f"[{c.verdict}] {c.name} ({c.severity}, {c.x_source}) — “{c.clause}” — {c.source}"
        + (f"\n    expected: {c.expected}\n    actual:   {c.actual}" if c.verdict == "fail" else "")
        for c in r.checks
    ]
    case_hash = hashlib.md5(f"{r.api}|{r.case_id}".encode()).hexdigest()
    return AllureResult(
        uuid=str(uuid.uuid4()),
        historyId=case_hash,
        testCaseId=case_hash,
        fullName=r.case_id,
        name=r.display_name,
        status=STATUS.get(r.verdict, Status.UNKNOWN),
        statusDetails=details,
        stage="finished",
        description="\n".join(rules) or None,
        labels=labels,
        parameters=[
            Parameter(name="api", value=r.api),
            Parameter(name="target", value=run.target),
            *([Parameter(name="attempts", value=str(r.attempts))] if r.attempts > 1 else []),
        ],
        attachments=attachments,
        start=start,
        stop=start + int(r.duration * 1000),
    )


def write_allure(run: RunResult, directory: Path) -> Path:
    """Replace `directory` with one Allure result file per case (plus attachments)."""
    logger = AllureFileLogger(str(directory), clean=True)  # type: ignore[no-untyped-call]
    clock = _ms(run.started)
    for r in run.results:
        logger.report_result(_result(run, r, clock, logger))  # type: ignore[no-untyped-call]
        clock += int(r.duration * 1000)
    env = {"target": run.target, "apis": ", ".join(run.apis), "faults": ", ".join(run.faults) or "none"}
    env.update({"hypothesis": run.seed, "command": run.command})
    if run.gate is not None:
        env["gate"] = (
            ("PASSED" if run.gate.get("passed") else "FAILED") + " — " + "; ".join(run.gate["reasons"])
        )
    env.update({f"version.{k}": v for k, v in run.versions.items()})
    (directory / "environment.properties").write_text(
        "".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8"
    )
    categories = [
        {"name": "MUST rule broken", "matchedStatuses": ["failed"], "messageRegex": "^MUST .*"},
        {"name": "SHOULD rule broken", "matchedStatuses": ["failed"], "messageRegex": "^SHOULD .*"},
        {"name": "Harness or target error", "matchedStatuses": ["broken"]},
    ]
    (directory / "categories.json").write_text(json.dumps(categories, indent=2), encoding="utf-8")
    return directory
