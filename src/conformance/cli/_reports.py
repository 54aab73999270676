"""`conformance report | gate | diff`: reports rebuilt, the CI gate, two runs compared."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from conformance.cli._common import EXIT_USAGE, REPORT_HELP, _read_run, _report_path


def cmd_report(args: argparse.Namespace) -> int:
    from conformance.report.gate import diff
    from conformance.report.writers import write_all

    source = _report_path(args.source)
    run = _read_run("report", source)
    if run is None:
        return EXIT_USAGE
    if args.baseline:
        baseline = _read_run("report", args.baseline)
        if baseline is None:
            return 2
        run.baseline = diff(run, baseline).to_dict(args.baseline)
    out = Path(args.output or Path(source).parent)
    out.mkdir(parents=True, exist_ok=True)
    print(write_all(run, out)[-1])
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    import datetime as dt

    from conformance.report.gate import evaluate
    from conformance.report.summary import markdown

    report = _report_path(args.report)
    run = _read_run("gate", report)
    if run is None:
        return EXIT_USAGE
    baseline = None
    if args.baseline:
        baseline = _read_run("gate", args.baseline)
        if baseline is None:
            return EXIT_USAGE
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        print(f"conformance gate: --today {args.today!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return EXIT_USAGE
    result = evaluate(run, baseline, today, fail_on_should=args.fail_on_should)
    print(
        f"# gate over {report} ({run.target}: {', '.join(run.apis)})"
        + (f" against {args.baseline}" if args.baseline else "")
        + f", today {today}"
    )
    for line in result.lines():
        print(line)
    if args.markdown:
        run.gate = result.to_dict(today)
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(markdown(run))
    return result.exit_code


def cmd_diff(args: argparse.Namespace) -> int:
    from conformance.report.compare import compare

    before, after = _read_run("diff", args.before), _read_run("diff", args.after)
    if before is None or after is None:
        return EXIT_USAGE
    comparison = compare(before, after)
    for line in comparison.lines():
        print(line)
    return 0 if comparison.identical else 1


def _add_report(sub: Any) -> None:
    report = sub.add_parser(
        "report",
        help="rebuild the HTML, JUnit, Allure and HAR outputs from a conformance.json",
        description="Exit 0: rebuilt; 2: the file could not be read.",
    )
    report.add_argument("--from", dest="source", default=None, metavar="FILE", help=REPORT_HELP)
    report.add_argument("--output", default=None, metavar="DIR", help="directory (default: beside the JSON)")
    report.add_argument(
        "--baseline", default=None, metavar="FILE", help="an earlier conformance.json to diff against"
    )


def _add_gate(sub: Any) -> None:
    gate = sub.add_parser(
        "gate",
        help="the CI gate over a run's conformance.json (`conformance run` exits with the same verdict)",
        description="Fails (exit 1) on an unwaived MUST failure, on a regression against the baseline "
        "(a case that passed there and fails now; the baseline given here, or the one the run was given), "
        "or on an expired waiver (profile deviations). SHOULD failures are listed and do not fail it "
        "unless --fail-on-should. Exit 2: a file could not be read.",
    )
    gate.add_argument("--report", default=None, metavar="FILE", help=REPORT_HELP)
    gate.add_argument(
        "--baseline", default=None, metavar="FILE", help="an earlier conformance.json (e.g. from main)"
    )
    gate.add_argument(
        "--today",
        default=None,
        metavar="YYYY-MM-DD",
        help="the date waivers are judged against (default: today)",
    )
    gate.add_argument("--fail-on-should", action="store_true", help="fail on SHOULD failures too")
    gate.add_argument(
        "--markdown",
        default=None,
        metavar="FILE",
        help="also append the verdict, the per-API table and the failures as Markdown to FILE "
        "(e.g. $GITHUB_STEP_SUMMARY)",
    )


def _add_diff(sub: Any) -> None:
    diff = sub.add_parser(
        "diff",
        help="compare two runs' verdicts case by case (exit 1 when a shared case differs)",
        description="A case of BEFORE that AFTER splits into one case per profile item is compared "
        "with its parts taken together. Exit 0: every shared case has the same verdict; 1: some differ; "
        "2: a file could not be read.",
    )
    diff.add_argument("before", help="the earlier conformance.json")
    diff.add_argument("after", help="the later conformance.json")
