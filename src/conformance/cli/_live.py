"""`conformance targets check` and `conformance webhook listen`: live targets."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import httpx

from conformance.contracts import ContractError, available_apis


def cmd_targets_check(args: argparse.Namespace) -> int:
    """Validate live configurations without writing: variables present, a token obtainable, a
    harmless read answered. Exit 0 all good, 1 a target refused, 2 a variable missing."""
    from conformance.client import Recorder, TokenError
    from conformance.contracts import load_contract
    from conformance.drive import fill_path_params
    from conformance.targets import TargetConfigError, live_config, live_target

    apis = args.api or available_apis()
    missing, refused = False, False
    for api in apis:
        contract = load_contract(api)
        try:
            config = live_config(contract, allow_production=args.allow_production)
        except TargetConfigError as exc:
            print(f"missing  {api}: {exc}")
            missing = True
            continue
        target = live_target(contract, config, allow_writes=False)
        client = target.client(Recorder(target.redactor), polite=False)
        try:
            notes = []
            if contract.profile.auth.kind != "api_key_bearer":
                _, issued = client.fetch_token()
                notes.append(f"token issued (HTTP {issued.status})")
            op = contract.profile.auth.probe_operation
            answer = client.call(op, path_params=fill_path_params(client, op, {}), **_read_body(client, op))
            notes.append(f"{op} answered HTTP {answer.status}")
            ok = answer.ok
        except (TokenError, httpx.HTTPError, ContractError) as exc:
            notes, ok = [f"{type(exc).__name__}: {target.redactor.text(str(exc))}"], False
        finally:
            client.close()
            target.close()
        refused |= not ok
        where = config["BASE_URL"] + (f" ({'served mock' if target.control else 'no control plane'})")
        print(f"{'ok' if ok else 'refused':<8} {api}: {where}: {'; '.join(notes)}")
    return 2 if missing else 1 if refused else 0


def _read_body(client: Any, operation_id: str) -> dict[str, Any]:
    from conformance.drive import example_body

    return example_body(client, operation_id)


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


def _add_targets(sub: Any, apis: list[str]) -> None:
    targets = sub.add_parser("targets", help="live targets (CONFORMANCE_<API>_* variables)")
    targets_sub = targets.add_subparsers(dest="targets_command", required=True)
    check = targets_sub.add_parser(
        "check",
        help="validate live configurations, writing nothing",
        description="For each API: the variables are present, a token can be obtained, a harmless read "
        "is answered. Nothing is written. Exit 0: all good; 1: a target refused; 2: a variable is missing.",
    )
    check.add_argument("--api", action="append", default=[], choices=apis, help="repeatable; default all")
    check.add_argument("--allow-production", action="store_true", help="allow the vendors' production hosts")


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
