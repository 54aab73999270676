"""The `conformance` command.

conformance run [PYTEST ARGS...]          all suites against the built-in mocks -> reports/;
                                          exits with the gate's verdict (0 pass, 1 fail, 2 usage)
conformance mock serve --api ID --port N  serve a mock over HTTP; prints the export lines
                       [--seed FILE]      ... starting with the data a seed file names
conformance mock faults --api ID          list a mock's documented fault switches
conformance mock personas --api ID        list a mock's personas (variants where the docs are silent)
conformance targets check [--api ID]      validate live configurations, writing nothing
conformance report --from FILE            rebuild the reports from a conformance.json
conformance gate [--baseline FILE]        exit 1 on an unwaived MUST failure, a regression against
                                          the baseline, or an expired waiver (--fail-on-should:
                                          on a SHOULD failure too)
conformance webhook listen --api ID       judge a live vendor's webhook deliveries
conformance diff BEFORE AFTER             compare two runs' verdicts case by case
conformance selfcheck [--api ID] [--fault [API:]NAME] [-n N] [-- PYTEST ARGS]
                                          every suite against the clean mocks and every fault:
                                          the kill matrix -> reports/selfcheck.json
conformance coverage [--api ID] [--markdown FILE]
                                          the documented statements: checked, n/a and why, none
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from conformance.cli._common import EXIT_USAGE, _version
from conformance.cli._coverage import _add_coverage, cmd_coverage
from conformance.cli._live import _add_targets, _add_webhook, cmd_targets_check, cmd_webhook_listen
from conformance.cli._mocks import _add_mock, cmd_mock_faults, cmd_mock_personas, cmd_mock_serve
from conformance.cli._reports import _add_diff, _add_gate, _add_report, cmd_diff, cmd_gate, cmd_report
from conformance.cli._run import _add_run, cmd_run
from conformance.cli._selfcheck import _add_selfcheck, cmd_selfcheck
from conformance.contracts import available_apis
from conformance.core.cache import cache_dir


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose epilog may be computed only when help is shown (`epilog_factory`):
    the run epilog lists the plugin's options, and importing the plugin before pytest starts would
    keep pytest from rewriting its plugins' asserts."""

    epilog_factory: Any = None

    def format_help(self) -> str:
        if self.epilog_factory is not None:
            self.epilog = self.epilog_factory()
        return super().format_help()


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
    _add_targets(sub, apis)
    _add_webhook(sub, apis)
    _add_report(sub)
    _add_gate(sub)
    _add_diff(sub)
    _add_selfcheck(sub, apis)
    _add_coverage(sub, apis)
    return parser


def entry() -> int:
    """The console script (and `python -m conformance.cli`). It re-executes itself once, before
    anything is generated, when the environment needs one of two settings (`_process_env`)."""
    settings = _process_env(os.environ)
    if settings:
        os.environ.update(settings)
        os.execv(sys.executable, [sys.executable, "-m", "conformance.cli", *sys.argv[1:]])
    return main()


def _process_env(environ: Mapping[str, str]) -> dict[str, str]:
    """What `conformance` sets for itself and every process it starts (pytest's workers, the
    self-check's runs), where the caller did not:

    - PYTHONHASHSEED=0: generated examples depend on Python's string hashing too (set iteration
      order inside the generators), so the same Hypothesis seed reproduces a run only under the
      same PYTHONHASHSEED;
    - PYTHONPYCACHEPREFIX, when PYTHONDONTWRITEBYTECODE forbids bytecode beside the sources: pytest
      rewrites the asserts of every module of its plugins' packages (schemathesis, hypothesis, ours:
      about 400) and would compile them again in every process, seconds each (docs/PERFORMANCE.md,
      "Start-up"); the bytecode goes to a cache of ours outside every source tree instead
      (`core.cache.cache_dir()`/pycache: CONFORMANCE_CACHE_DIR moves it, "off" leaves bytecode
      unwritten). A PYTHONPYCACHEPREFIX of the caller's is kept."""
    settings = {}
    if "PYTHONHASHSEED" not in environ:
        settings["PYTHONHASHSEED"] = "0"
    cache = cache_dir(environ)
    if environ.get("PYTHONDONTWRITEBYTECODE") and "PYTHONPYCACHEPREFIX" not in environ and cache:
        settings["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
        settings["PYTHONDONTWRITEBYTECODE"] = ""  # empty: unset for Python, and for our children
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, extra = build_parser().parse_known_args(argv)
    if args.command == "run":
        args.argv = argv[argv.index("run") + 1 :] if "run" in argv else []
        return cmd_run(args, extra)
    if args.command == "selfcheck":
        if "--" in argv:  # argparse keeps `--` and what follows among the unknown arguments
            extra = [*extra[: extra.index("--")], *argv[argv.index("--") + 1 :]]
        return cmd_selfcheck(args, extra)
    if extra:
        print(f"conformance: unrecognised arguments: {' '.join(extra)}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "mock":
        commands = {"serve": cmd_mock_serve, "faults": cmd_mock_faults, "personas": cmd_mock_personas}
        return commands[args.mock_command](args)
    if args.command == "webhook":
        return cmd_webhook_listen(args)
    if args.command == "targets":
        return cmd_targets_check(args)
    if args.command == "gate":
        return cmd_gate(args)
    if args.command == "diff":
        return cmd_diff(args)
    if args.command == "coverage":
        return cmd_coverage(args)
    return cmd_report(args)
