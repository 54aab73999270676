"""The `conformance` command.

conformance run [PYTEST ARGS...]          all suites against the built-in mocks -> reports/;
                                          exits with the gate's verdict (0 pass, 1 fail, 2 usage)
conformance mock serve --api ID --port N  serve a mock over HTTP; prints the export lines
conformance mock faults --api ID          list a mock's documented fault switches
conformance report --from FILE            rebuild the reports from a conformance.json
conformance gate [--baseline FILE]        exit 1 on an unwaived MUST failure, a regression against
                                          the baseline, or an expired waiver (--fail-on-should:
                                          on a SHOULD failure too)
conformance webhook listen --api ID       judge a live vendor's webhook deliveries
conformance diff BEFORE AFTER             compare two runs' verdicts case by case
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.contracts import ContractError, available_apis, default_contracts_dir


def _repo_root() -> Path:
    return default_contracts_dir().resolve().parent


EXIT_USAGE = 2  # a usage error, an unreadable file, or a run that gave no verdict


class _RunOutcome:
    """Handed to pytest.main: keeps the gate's verdict the plugin reached at the end of the run."""

    def __init__(self) -> None:
        self.gate: Any = None
        self.written: list[Path] = []

    def pytest_unconfigure(self, config: Any) -> None:
        collector = config.pluginmanager.get_plugin("conformance-results")
        if collector is not None:
            self.gate, self.written = collector.gate, list(collector.written)


def cmd_run(args: argparse.Namespace, extra: Sequence[str]) -> int:
    import os

    import pytest

    root = _repo_root()
    suites = root / "suites"
    if not suites.is_dir():
        print(f"conformance run: no suites directory at {suites}", file=sys.stderr)
        return EXIT_USAGE
    argv = [str(suites), "--rootdir", str(root), *extra]
    if args.report_dir:
        argv += ["--report-dir", str(Path(args.report_dir).resolve())]
    outcome = _RunOutcome()
    previous = os.environ.get("CONFORMANCE_RUN_COMMAND")
    os.environ["CONFORMANCE_RUN_COMMAND"] = shlex.join(["conformance", "run", *(args.argv or [])])
    try:
        code = int(pytest.main(argv, plugins=[outcome]))
    finally:
        if previous is None:
            os.environ.pop("CONFORMANCE_RUN_COMMAND", None)
        else:
            os.environ["CONFORMANCE_RUN_COMMAND"] = previous
    if args.pytest_exit_code:
        return code
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("conformance run: no test ran — check --api and -k", file=sys.stderr)
        return EXIT_USAGE
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return EXIT_USAGE  # usage error, interrupted (collection errors too), internal error
    if outcome.gate is None:
        return 0 if code == pytest.ExitCode.OK else 1  # no conformance case ran: pytest's verdict
    return int(outcome.gate.exit_code)


def cmd_mock_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from conformance.mocks import create_mock
    from conformance.mocks.blocks.clock import VirtualClock
    from conformance.targets import served_mock_exports

    try:
        app = create_mock(args.api, faults=args.fault, clock=VirtualClock(follow_real_time=True))
    except (LookupError, ValueError, ContractError) as exc:
        print(f"conformance mock serve: {exc}", file=sys.stderr)
        return 2
    print(
        f"# {args.api} mock on http://{args.host}:{args.port} "
        f"(faults: {', '.join(args.fault) or 'none'}); control plane at /__mock__/"
    )
    print("# eval these lines in the shell that runs the live suites:")
    for name, value in served_mock_exports(args.api, app, args.host, args.port).items():
        print(f"export {name}={shlex.quote(value)}")
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def cmd_mock_faults(args: argparse.Namespace) -> int:
    from conformance.mocks import mock_faults

    try:
        faults = mock_faults(args.api)
    except LookupError as exc:
        print(f"conformance mock faults: {exc}", file=sys.stderr)
        return 2
    width = max(map(len, faults), default=0)
    for name, fault in faults.items():
        print(f"{name:<{width}}  {fault.description}")
        print(f"{'':<{width}}  breaks: {', '.join(sorted(fault.breaks))}")
    return 0


def cmd_webhook_listen(args: argparse.Namespace) -> int:
    import time

    from conformance.contracts import load_contract
    from conformance.report import RunResult
    from conformance.webhooks import ServedReceiver, WebhookReceiver
    from conformance.webhooks.listen import DeliveryJudge

    contract = load_contract(args.api)
    headers = dict(h.split(":", 1) for h in args.expect_header)
    judge = DeliveryJudge(contract, {k.strip(): v.strip() for k, v in headers.items()})
    receiver = WebhookReceiver()
    served = ServedReceiver(receiver, port=args.port, host=args.host).start()
    started, seen = RunResult.now(), 0
    out = Path(args.report_dir)
    print(f"# listening for {args.api} webhooks on {served.url} (any path); Ctrl-C to stop")
    try:
        deadline = time.monotonic() + args.seconds if args.seconds else None
        while deadline is None or time.monotonic() < deadline:
            for delivery in receiver.deliveries[seen:]:
                result = judge.judge(delivery)
                print(f"{result.verdict}: {result.test}" + (f" — {result.reason}" if result.reason else ""))
                seen += 1
                judge.write(out, started)
            if args.count and seen >= args.count:
                break
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        served.stop()
    judge.write(out, started)
    return 0 if all(r.verdict != "fail" for r in judge.results) else 1


def _read_run(command: str, path: str) -> Any:
    from conformance.report import RunResult

    source = Path(path)
    try:
        return RunResult.from_dict(json.loads(source.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        print(f"conformance {command}: cannot read {source}: {exc}", file=sys.stderr)
        return None


DEFAULT_REPORT = "reports/conformance.json"


def _report_path(given: str | None) -> str:
    """The report to read: as given; else reports/conformance.json here, or else the checkout's
    (where `conformance run` writes it, whatever the working directory)."""
    if given:
        return given
    here = Path(DEFAULT_REPORT)
    if here.is_file():
        return str(here)
    checkout = _repo_root() / DEFAULT_REPORT
    return str(checkout if checkout.is_file() else here)


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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("conformance")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "unknown"


def _run_epilog() -> str:
    from conformance.plugin._options import OPTIONS, PYTEST_OPTIONS

    width = max([len(o.usage) for o in OPTIONS] + [len(flag) for flag, _ in PYTEST_OPTIONS]) + 2
    lines = ["plugin options (passed to pytest; also `pytest suites --help`, group 'contract conformance'):"]
    lines += [f"  {o.usage:<{width}}{o.help}" + (f" [ini: {o.ini}]" if o.ini else "") for o in OPTIONS]
    lines += ["", "pytest options often used with it:"]
    lines += [f"  {flag:<{width}}{text}" for flag, text in PYTEST_OPTIONS]
    lines += [
        "",
        "exit status: the gate's verdict over the run's conformance.json — 0 passed (SHOULD failures are",
        "listed, not gating, unless --fail-on-should), 1 failed (an unwaived MUST failure, a regression",
        "against --baseline, an expired waiver), 2 usage error or no verdict (nothing ran, collection",
        "errors, interrupted). --pytest-exit-code returns pytest's own code instead.",
        "",
        "reports: the main job (every suite and API) writes reports/; a partial run (--api, -k, --lf,",
        "--mock-fault, a path inside suites/, -x) writes reports/partial/ unless --report-dir is given.",
    ]
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose epilog may be computed only when help is shown (`epilog_factory`):
    the run epilog lists the plugin's options, and importing the plugin before pytest starts would
    keep pytest from rewriting its plugins' asserts."""

    epilog_factory: Any = None

    def format_help(self) -> str:
        if self.epilog_factory is not None:
            self.epilog = self.epilog_factory()
        return super().format_help()


def _add_run(sub: Any) -> None:
    run = sub.add_parser(
        "run",
        help="run all suites (default: against the built-in mocks) and write reports/; exit = the gate's",
        description="Run the suites under pytest and exit with the gate's verdict. Arguments it does not "
        "know go to pytest, e.g. `conformance run --api cartoncloud -k locking`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.epilog_factory = _run_epilog
    run.add_argument(
        "--report-dir",
        default=None,
        metavar="DIR",
        help="write the reports here, whatever the run (default: reports/ of this checkout; "
        "reports/partial/ for a partial run)",
    )
    run.add_argument(
        "--pytest-exit-code",
        action="store_true",
        help="exit with pytest's own code (1 on any failed test, SHOULD ones included) instead of the gate's",
    )


def _add_mock(sub: Any, apis: list[str]) -> None:
    mock = sub.add_parser("mock", help="built-in mock servers")
    mock_sub = mock.add_subparsers(dest="mock_command", required=True)
    serve = mock_sub.add_parser("serve", help="serve a mock over HTTP")
    serve.add_argument("--api", required=True, choices=apis)
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--fault", action="append", default=[], help="switch on a fault (repeatable)")
    serve.add_argument("--log-level", default="warning")
    faults = mock_sub.add_parser("faults", help="list a mock's fault switches")
    faults.add_argument("--api", required=True, choices=apis)


def _add_webhook(sub: Any, apis: list[str]) -> None:
    webhook = sub.add_parser("webhook", help="webhooks of live targets")
    webhook_sub = webhook.add_subparsers(dest="webhook_command", required=True)
    listen = webhook_sub.add_parser("listen", help="receive deliveries and judge each against the contract")
    listen.add_argument("--api", required=True, choices=apis)
    listen.add_argument("--port", type=int, default=8780)
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument(
        "--expect-header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="a custom header every delivery must carry (repeatable)",
    )
    listen.add_argument("--report-dir", default="reports/webhooks")
    listen.add_argument("--count", type=int, default=0, help="stop after this many deliveries")
    listen.add_argument("--seconds", type=float, default=0, help="stop after this long")


REPORT_HELP = (
    f"a run's conformance.json (default: {DEFAULT_REPORT} in the working directory, else this checkout's)"
)


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


def build_parser() -> argparse.ArgumentParser:
    """The parser; each subcommand is added by its own `_add_*` function (add new ones the same way)."""
    parser = argparse.ArgumentParser(
        prog="conformance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"conformance {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    apis = available_apis()
    _add_run(sub)
    _add_mock(sub, apis)
    _add_webhook(sub, apis)
    _add_report(sub)
    _add_gate(sub)
    _add_diff(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, extra = build_parser().parse_known_args(argv)
    if args.command == "run":
        args.argv = argv[argv.index("run") + 1 :] if "run" in argv else []
        return cmd_run(args, extra)
    if extra:
        print(f"conformance: unrecognised arguments: {' '.join(extra)}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "mock":
        return cmd_mock_serve(args) if args.mock_command == "serve" else cmd_mock_faults(args)
    if args.command == "webhook":
        return cmd_webhook_listen(args)
    if args.command == "gate":
        return cmd_gate(args)
    if args.command == "diff":
        return cmd_diff(args)
    return cmd_report(args)


if __name__ == "__main__":
    raise SystemExit(main())
