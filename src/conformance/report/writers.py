"""Write a run's reports: conformance.json, junit.xml, conformance.html and allure-results/."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from conformance.report.model import VERDICTS, RunResult


def write_json(run: RunResult, path: Path) -> None:
    path.write_text(json.dumps(run.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")


def write_junit(run: RunResult, path: Path) -> None:
    root = ET.Element("testsuites", name="conformance")
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
            skipped=str(counts["skip"] + counts["not-applicable"]),
        )
        for r in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{api}.{r.capability}",
                name=r.display_name,
                time=f"{r.duration:.3f}",
            )
            props = ET.SubElement(case, "properties")
            severity = r.failed_severity() if r.verdict in ("fail", "error") else r.severity
            ET.SubElement(props, "property", name="severity", value=severity)
            ET.SubElement(props, "property", name="case_id", value=r.case_id)
            for rule_key in dict.fromkeys(c.rule_key for c in r.checks):
                ET.SubElement(props, "property", name="rule", value=rule_key)
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
    env = Environment(
        loader=PackageLoader("conformance.report", "templates"), autoescape=select_autoescape(["html"])
    )
    template = env.get_template("report.html")
    return template.render(run=run, verdicts=VERDICTS)


def write_html(run: RunResult, path: Path) -> None:
    path.write_text(render_html(run), encoding="utf-8")


def write_all(run: RunResult, directory: Path) -> list[Path]:
    """Every output of a run; the HTML comes last (the terminal names it)."""
    from conformance.report.allure import write_allure

    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "conformance.json", directory / "junit.xml", directory / "allure-results"]
    write_json(run, paths[0])
    write_junit(run, paths[1])
    write_allure(run, paths[2])
    paths.append(directory / "conformance.html")
    write_html(run, paths[3])
    return paths
