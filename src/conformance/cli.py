"""The `conformance` command.

conformance run [PYTEST ARGS...]          all suites against the built-in mocks -> reports/
conformance mock serve --api ID --port N  serve a mock over HTTP; prints the export lines
                       [--seed FILE]      ... starting with the data a seed file names
conformance mock faults --api ID          list a mock's documented fault switches
conformance report --from FILE            rebuild the reports from a conformance.json
conformance gate [--baseline FILE]        exit 1 on an unwaived MUST failure, a regression against
                                          the baseline, or an expired waiver
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


def cmd_run(args: argparse.Namespace, extra: Sequence[str]) -> int:
    import pytest

    root = _repo_root()
    suites = root / "suites"
    if not suites.is_dir():
        print(f"conformance run: no suites directory at {suites}", file=sys.stderr)
        return 2
    report_dir = Path(args.report_dir).resolve() if args.report_dir else root / "reports"
    argv = [str(suites), "--rootdir", str(root), "--report-dir", str(report_dir), *extra]
    code = int(pytest.main(argv))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("conformance run: no test ran — check --api and -k", file=sys.stderr)
    return code


def cmd_mock_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from conformance.mocks import create_mock
    from conformance.mocks.blocks.clock import VirtualClock
    from conformance.mocks.blocks.errors import MockHTTPError
    from conformance.targets import served_mock_exports

    try:
        app = create_mock(args.api, faults=args.fault, clock=VirtualClock(follow_real_time=True))
        for path in args.seed:
            app.seed_baseline(_seed_requests(Path(path)))
    except (LookupError, ValueError, ContractError, OSError) as exc:
        print(f"conformance mock serve: {exc}", file=sys.stderr)
        return 2
    except MockHTTPError as exc:
        print(f"conformance mock serve: a seed request was refused: {exc.body}", file=sys.stderr)
        return 2
    print(
        f"# {args.api} mock on http://{args.host}:{args.port} "
        f"(faults: {', '.join(args.fault) or 'none'}; seeded from: {', '.join(args.seed) or 'nothing'}); "
        "control plane at /__mock__/"
    )
    print("# eval these lines in the shell that runs the live suites:")
    for name, value in served_mock_exports(args.api, app, args.host, args.port).items():
        print(f"export {name}={shlex.quote(value)}")
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def _seed_requests(path: Path) -> list[dict[str, Any]]:
    """A seed file (JSON or YAML): a list of control-plane seed requests, `{"seed": [...]}`, or one
    request (`{"resource": ..., "items": [...]}`). ValueError names the file and what is wrong."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: neither JSON nor YAML ({exc})") from None
    if isinstance(data, dict) and "seed" in data:
        data = data["seed"]
    requests = [data] if isinstance(data, dict) else data
    if not isinstance(requests, list) or not all(isinstance(r, dict) and "resource" in r for r in requests):
        example = '{"resource": "customers", "items": [...]}'
        raise ValueError(f"{path}: expected a list of seed requests like {example}")
    return requests


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


def cmd_report(args: argparse.Namespace) -> int:
    from conformance.report.gate import diff
    from conformance.report.writers import write_all

    run = _read_run("report", args.source)
    if run is None:
        return 2
    if args.baseline:
        baseline = _read_run("report", args.baseline)
        if baseline is None:
            return 2
        run.baseline = diff(run, baseline).to_dict(args.baseline)
    out = Path(args.output or Path(args.source).parent)
    out.mkdir(parents=True, exist_ok=True)
    print(write_all(run, out)[-1])
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    import datetime as dt

    from conformance.report.gate import evaluate

    run = _read_run("gate", args.report)
    if run is None:
        return 2
    baseline = None
    if args.baseline:
        baseline = _read_run("gate", args.baseline)
        if baseline is None:
            return 2
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        print(f"conformance gate: --today {args.today!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    result = evaluate(run, baseline, today)
    print(
        f"# gate over {args.report} ({run.target}: {', '.join(run.apis)})"
        + (f" against {args.baseline}" if args.baseline else "")
        + f", today {today}"
    )
    for line in result.lines():
        print(line)
    return 0 if result.passed else 1


def cmd_diff(args: argparse.Namespace) -> int:
    from conformance.report.compare import compare

    before, after = _read_run("diff", args.before), _read_run("diff", args.after)
    if before is None or after is None:
        return 2
    comparison = compare(before, after)
    for line in comparison.lines():
        print(line)
    return 0 if comparison.identical else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="run all suites (default: against the built-in mocks) and write reports/",
        description="Extra arguments go to pytest, e.g. --api cartoncloud -k locking.",
    )
    run.add_argument("--report-dir", default=None, help="default: reports/ of this checkout")
    mock = sub.add_parser("mock", help="built-in mock servers")
    mock_sub = mock.add_subparsers(dest="mock_command", required=True)
    serve = mock_sub.add_parser("serve", help="serve a mock over HTTP")
    apis = available_apis()
    serve.add_argument("--api", required=True, choices=apis)
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--fault", action="append", default=[], help="switch on a fault (repeatable)")
    serve.add_argument(
        "--seed",
        action="append",
        default=[],
        metavar="FILE",
        help="JSON or YAML seed requests (as POST /__mock__/seed takes), loaded at start and on every reset",
    )
    serve.add_argument("--log-level", default="warning")
    faults = mock_sub.add_parser("faults", help="list a mock's fault switches")
    faults.add_argument("--api", required=True, choices=apis)
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
    report = sub.add_parser("report", help="rebuild the HTML report from conformance.json")
    report.add_argument("--from", dest="source", default="reports/conformance.json")
    report.add_argument("--output", default=None, help="directory (default: beside the JSON)")
    report.add_argument("--baseline", default=None, help="an earlier conformance.json to diff against")
    gate = sub.add_parser(
        "gate",
        help="the CI gate over a run's conformance.json",
        description="Fails (exit 1) on an unwaived MUST failure, on a regression against the baseline "
        "(a case that passed there and fails now), or on an expired waiver (profile deviations). "
        "Exit 2: a file could not be read.",
    )
    gate.add_argument("--report", default="reports/conformance.json", help="the run to judge")
    gate.add_argument("--baseline", default=None, help="an earlier conformance.json (e.g. from main)")
    gate.add_argument("--today", default=None, help="YYYY-MM-DD waivers are judged against (default: today)")
    diff = sub.add_parser(
        "diff",
        help="compare two runs' verdicts case by case (exit 1 when a shared case differs)",
        description="A case of BEFORE that AFTER splits into one case per profile item is compared "
        "with its parts taken together. Exit 0: every shared case has the same verdict; 1: some differ; "
        "2: a file could not be read.",
    )
    diff.add_argument("before", help="the earlier conformance.json")
    diff.add_argument("after", help="the later conformance.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = build_parser().parse_known_args(argv)
    if args.command == "run":
        return cmd_run(args, extra)
    if extra:
        print(f"conformance: unrecognised arguments: {' '.join(extra)}", file=sys.stderr)
        return 2
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
