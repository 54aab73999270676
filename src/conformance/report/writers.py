"""Write a run's reports: conformance.json, junit.xml, allure-results/, evidence.har and
conformance.html."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from conformance.report.model import VERDICTS, RunResult, TestResult


def write_json(run: RunResult, path: Path) -> None:
    path.write_text(json.dumps(run.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")


def _seconds(results: list[TestResult]) -> str:
    return f"{sum(r.duration for r in results):.3f}"


def write_junit(run: RunResult, path: Path) -> None:
    """JUnit XML as CI dashboards read it: one testsuite per API (timestamp, time, hostname), one
    testcase per case (classname api.capability, file, time), severity/case/rule/flaky properties."""
    import socket

    root = ET.Element(
        "testsuites", name="conformance", tests=str(len(run.results)), time=_seconds(run.results)
    )
    for api in run.apis:
        results = [r for r in run.results if r.api == api]
        counts = run.counts(api)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=api,
            tests=str(len(results)),
            failures=str(counts["fail"]),
            errors=str(counts["error"]),
            skipped=str(counts["skip"] + counts["not-applicable"] + counts["waived"]),
            time=_seconds(results),
            timestamp=run.started,
            hostname=socket.gethostname(),
        )
        suite_props = ET.SubElement(suite, "properties")
        for name, value in (("target", run.target), ("command", run.command), ("hypothesis", run.seed)):
            ET.SubElement(suite_props, "property", name=name, value=value)
        for r in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{api}.{r.capability}",
                name=r.display_name,
                file=r.file,
                time=f"{r.duration:.3f}",
            )
            props = ET.SubElement(case, "properties")
            severity = r.failed_severity() if r.verdict in ("fail", "error") else r.severity
            ET.SubElement(props, "property", name="severity", value=severity)
            ET.SubElement(props, "property", name="case_id", value=r.case_id)
            for rule_key in dict.fromkeys(c.rule_key for c in r.checks):
                ET.SubElement(props, "property", name="rule", value=rule_key)
            if r.attempts > 1:
                ET.SubElement(props, "property", name="attempts", value=str(r.attempts))
            if r.flaky:
                ET.SubElement(props, "property", name="flaky", value="true")
            if r.verdict in ("fail", "error"):
                failed = next((c for c in r.checks if c.verdict == "fail"), None)
                tag = "failure" if r.verdict == "fail" else "error"
                el = ET.SubElement(case, tag, message=(failed.title if failed else r.reason)[:500])
                el.text = r.reason
            elif r.verdict in ("skip", "not-applicable", "waived"):
                ET.SubElement(case, "skipped", message=f"{r.verdict}: {r.reason}"[:500])
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def render_html(run: RunResult) -> str:
    from conformance.report import reproduce, summary, visual

    env = Environment(
        loader=PackageLoader("conformance.report", "templates"), autoescape=select_autoescape(["html"])
    )
    endpoints = {api: reproduce.Endpoint.from_dict(api, run.endpoints.get(api)) for api in run.apis}
    template = env.get_template("report.html")
    return template.render(
        run=run,
        verdicts=VERDICTS,
        gate=visual.banner(run),
        donut=visual.donut(run),
        api_bars=visual.api_bars(run),
        cell=summary.cell,
        coverage=summary.coverage_text,
        curl=lambda ex, api: reproduce.curl(ex, endpoints[api]) if api in endpoints else ex.get("curl", ""),
        sequence=lambda exchanges, api: reproduce.sequence_script(
            exchanges, endpoints.get(api) or reproduce.Endpoint(api=api)
        ),
        pretty=reproduce.pretty,
    )


def write_html(run: RunResult, path: Path) -> None:
    path.write_text(render_html(run), encoding="utf-8")


def write_all(run: RunResult, directory: Path) -> list[Path]:
    """Every output of a run; the HTML comes last (the terminal names it)."""
    from conformance.report.allure import write_allure
    from conformance.report.har import write_har
    from conformance.report.statements import selfcheck_summary

    directory.mkdir(parents=True, exist_ok=True)
    run.selfcheck = selfcheck_summary(directory) or run.selfcheck
    paths = [
        directory / "conformance.json",
        directory / "junit.xml",
        directory / "allure-results",
        directory / "evidence.har",
        directory / "conformance.html",
    ]
    write_json(run, paths[0])
    write_junit(run, paths[1])
    write_allure(run, paths[2])
    write_har(run, paths[3])
    write_html(run, paths[4])
    return paths
