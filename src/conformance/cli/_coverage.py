"""`conformance coverage`: per API, the documented statements (`statements:` of each profile), which
are checked (a rule enforces it and a mock fault is declared to break its check), which are not
applicable and why, and which have no check; `--markdown FILE` writes the audit table
(docs/AUDIT.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def cmd_coverage(args: argparse.Namespace) -> int:
    from conformance.audit import coverage, render_markdown, render_text
    from conformance.contracts import available_apis

    reports = [coverage(api) for api in (args.api or available_apis())]
    text = (
        json.dumps({r.api: [s.to_dict() for s in r.statements] for r in reports}, indent=2)
        if args.json
        else render_text(reports, verbose=args.verbose)
    )
    try:
        print(text)
    except BrokenPipeError:  # `conformance coverage | head`
        sys.stderr.close()
    if args.markdown:
        Path(args.markdown).write_text(render_markdown(reports), encoding="utf-8")
        print(f"conformance coverage: wrote {args.markdown}", file=sys.stderr)
    open_ = [s for r in reports for s in r.statements if s.status in ("unshown", "unchecked")]
    return 1 if open_ and args.strict else 0


def _add_coverage(sub: Any, apis: Sequence[str]) -> None:
    cov = sub.add_parser(
        "coverage",
        help="the documented statements per API: checked, not applicable (why), no check",
        description=__doc__,
    )
    cov.add_argument("--api", action="append", choices=apis, help="only this API (repeatable)")
    cov.add_argument("--markdown", metavar="FILE", help="also write the audit table as Markdown")
    cov.add_argument("--json", action="store_true", help="print the coverage as JSON")
    cov.add_argument(
        "-v", "--verbose", action="store_true", help="every statement, with its checks and faults"
    )
    cov.add_argument("--strict", action="store_true", help="exit 1 while a statement is unshown or unchecked")
