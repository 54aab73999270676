"""`conformance run`: the main job (every suite against the built-in mocks), exiting with the gate."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.cli._common import EXIT_USAGE, _repo_root


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
    argv = [str(suites), "--rootdir", str(root), *_on_every_core(extra, suites), *extra]
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


# pytest arguments after which the run keeps pytest's own process model (serial, or the user's -n):
# how to run, or a selection of cases (starting the workers would cost more than it saves)
_OWN_PROCESS_MODEL = (
    *("-n", "--numprocesses", "--dist", "-p", "--pdb", "--trace", "-x", "--exitfirst"),
    *("-k", "-m", "--lf", "--last-failed", "--sw", "--stepwise", "--deselect"),
)


def _on_every_core(extra: Sequence[str], suites: Path) -> list[str]:
    """The main job runs on every core (pytest-xdist `-n auto`, work stealing: the property suite's
    items last up to half a minute, the rest milliseconds, and a worker takes them first): on 2 cores
    it takes 37 s against 60 s serially (docs/PERFORMANCE.md). Not when pytest is told how to run
    (`-n N`, `-n 0` for serial, `-p …`, `--pdb`, `-x`) or given a selection (`-k`, `-m`, `--lf`, a
    path or node id), nor on a single core, nor without xdist."""
    import importlib.util
    import os

    if (os.cpu_count() or 1) < 2 or importlib.util.find_spec("xdist") is None:
        return []
    for argument in extra:
        name = argument.split("=", 1)[0]
        if name in _OWN_PROCESS_MODEL or (name[:2] in ("-n", "-k", "-m", "-p") and len(name) > 2):
            return []
        path = Path(argument.split("::", 1)[0]).resolve()
        if not argument.startswith("-") and (path == suites or suites in path.parents):
            return []  # a path or node id inside suites/
    return ["-n", "auto", "--dist", "worksteal"]


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
