"""`conformance mock serve | faults | personas`: the built-in mocks over HTTP, and what they can be."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from conformance.contracts import ContractError


def cmd_mock_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from conformance.mocks import create_mock
    from conformance.mocks.blocks.clock import VirtualClock
    from conformance.mocks.blocks.errors import MockHTTPError
    from conformance.targets import served_mock_exports

    try:
        headers = dict(_header(h) for h in args.webhook_header)
        app = create_mock(
            args.api,
            faults=args.fault,
            clock=VirtualClock(follow_real_time=True),
            persona=args.persona,
            token_ttl=args.token_ttl,
            webhooks=[{"url": url, "headers": headers} for url in args.webhook],
        )
        for path in args.seed:
            app.seed_baseline(_seed_requests(Path(path)))
    except (LookupError, ValueError, ContractError, OSError) as exc:
        print(f"conformance mock serve: {exc}", file=sys.stderr)
        return 2
    except MockHTTPError as exc:
        print(f"conformance mock serve: a seed request was refused: {exc.body}", file=sys.stderr)
        return 2
    notes = [f"faults: {', '.join(args.fault) or 'none'}", f"persona: {args.persona or 'none'}"]
    if args.seed:
        notes.append(f"seeded from: {', '.join(args.seed)}")
    if args.token_ttl:
        notes.append(f"tokens live {args.token_ttl} s")
    if args.webhook:
        notes.append(f"webhooks to {', '.join(args.webhook)}")
    print(
        f"# {args.api} mock on http://{args.host}:{args.port} ({'; '.join(notes)}); "
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


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise ValueError(f"--webhook-header {text!r}: expected NAME:VALUE")
    return name.strip(), value.strip()


def cmd_mock_personas(args: argparse.Namespace) -> int:
    from conformance.mocks import mock_personas

    personas = mock_personas(args.api)
    width = max(map(len, personas), default=0)
    for name, persona in personas.items():
        note = "" if persona.conformant else "  (not conformant: polite-traffic tests only)"
        print(f"{name:<{width}}  {persona.description}{note}")
        print(f"{'':<{width}}  traits: {', '.join(sorted(persona.traits))}")
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


def _add_mock(sub: Any, apis: list[str]) -> None:
    mock = sub.add_parser("mock", help="built-in mock servers")
    mock_sub = mock.add_subparsers(dest="mock_command", required=True)
    serve = mock_sub.add_parser("serve", help="serve a mock over HTTP")
    serve.add_argument("--api", required=True, choices=apis)
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--fault", action="append", default=[], help="switch on a fault (repeatable)")
    serve.add_argument(
        "--persona", default=None, metavar="NAME", help="serve a persona (`conformance mock personas`)"
    )
    serve.add_argument(
        "--token-ttl", type=int, default=None, metavar="SECONDS", help="issue tokens that live this long"
    )
    serve.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL",
        help="deliver every webhook event here from the start (repeatable; as a vendor would be set up)",
    )
    serve.add_argument(
        "--webhook-header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="a custom header the --webhook deliveries carry (repeatable)",
    )
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
    personas = mock_sub.add_parser("personas", help="list a mock's personas")
    personas.add_argument("--api", required=True, choices=apis)
