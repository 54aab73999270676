"""`conformance selfcheck`: is every check real? The suites run against each clean mock (all must
pass) and against every declared fault of every mock (each must make the checks it declares fail);
a progress line per run, the surviving faults first, then the kill matrix (fault x capability: the
checks that caught it) and the kill rate per API and capability; reports/selfcheck.json, and the
conformance report (when reports/ holds one) rebuilt to show the kill rates.

Bounded for CI: a fault runs only its API's suites and, of those, the tests that can see it (its
`select`, else the cases of its checks' capabilities; the property suite only for schema checks,
the model-based suites only for stateful ones),
with the deterministic Hypothesis profile, in a pool of worker processes (`-n`, default: the CPUs).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from conformance.cli._common import EXIT_USAGE, _repo_root
from conformance.cli._selfcheck_run import Job, run_job, worker_init

CLEAN_COST = {"cartoncloud": 60.0, "agcatalog": 20.0, "cropster": 12.0, "origintrace": 10.0, "grafterr": 8.0}


@functools.cache
def _index(api: str) -> Any:
    from conformance.audit.coverage import RuleIndex
    from conformance.contracts import load_contract

    return RuleIndex(load_contract(api))


def _expected(api: str, declared: Any) -> dict[str, set[str]]:
    """Each check a fault declares, with the rules it must fail on (empty: any of its rules)."""
    index = _index(api)
    named = index.named(declared)
    return {check: named & index.judged_by.get(check, set()) for check in declared.breaks}


def plan(apis: Sequence[str], chosen: Sequence[str], extra: Sequence[str], clean: bool) -> list[Job]:
    from conformance.checks import REGISTRY
    from conformance.mocks import mock_faults

    jobs = (
        [Job(api, None, cost=CLEAN_COST.get(api, 10.0), extra=list(extra)) for api in apis] if clean else []
    )
    for api in apis:
        for name, fault in mock_faults(api).items():
            if chosen and name not in chosen and f"{api}:{name}" not in chosen:
                continue
            schema = any(REGISTRY[c].capability == "schema" for c in fault.breaks if c in REGISTRY)
            capabilities = sorted({REGISTRY[c].capability for c in fault.breaks if c in REGISTRY})
            jobs.append(
                Job(
                    api,
                    name,
                    capabilities=[] if fault.select else capabilities,
                    select=fault.select,
                    properties=schema,
                    models="stateful" in capabilities,
                    extra=list(extra),
                    cost=(1.0 if fault.select else 2.5)
                    + (CLEAN_COST.get(api, 10.0) * 0.6 if schema else 0.0),
                )
            )
    return jobs


def _failed_checks(results: list[dict[str, Any]]) -> list[Any]:
    from conformance.report.selfcheck import FailedCheck

    return [
        FailedCheck(c["name"], c["capability"], c["rule_key"])
        for r in results
        for c in r.get("checks", [])
        if c.get("verdict") == "fail"
    ]


def judge(job: Job, outcome: dict[str, Any]) -> Any:
    from conformance.checks import REGISTRY
    from conformance.mocks import mock_faults
    from conformance.report.selfcheck import CleanOutcome, FaultOutcome, FaultStatus, judge_fault

    results = outcome["results"]
    if job.fault is None:
        counts: dict[str, int] = {}
        for r in results:
            counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
        failed = [r.get("case_id") or r["nodeid"] for r in results if r["verdict"] in ("fail", "error")]
        return CleanOutcome(job.api, counts, failed, round(outcome["seconds"], 2), outcome["exit_code"])
    declared = mock_faults(job.api)[job.fault]
    expected = _expected(job.api, declared)
    failed = _failed_checks(results)
    status: FaultStatus
    if outcome["exit_code"] not in (0, 1):
        status, missing = "error", sorted(expected)
    else:
        status, missing = judge_fault(expected, failed)
    return FaultOutcome(
        api=job.api,
        fault=job.fault,
        description=declared.description,
        declared=sorted(declared.breaks),
        declared_rules=sorted(declared.rules),
        capabilities=sorted({REGISTRY[c].capability for c in declared.breaks if c in REGISTRY}),
        status=status,
        failed=failed,
        missing=missing,
        seconds=round(outcome["seconds"], 2),
        exit_code=outcome["exit_code"],
        note=outcome["note"],
    )


def _progress(done: int, total: int, item: Any) -> str:
    from conformance.report.selfcheck import CleanOutcome

    if isinstance(item, CleanOutcome):
        state = "green" if item.green else "RED"
        detail = ", ".join(f"{v} {k}" for k, v in sorted(item.counts.items()))
        if item.failed:
            detail += f"; failing: {', '.join(item.failed[:3])}"
        name = f"{item.api} (clean mock)"
    else:
        state = item.status if item.status == "killed" else item.status.upper()
        caught = sorted({f.name for f in item.failed})
        detail = (
            ("caught by " + ", ".join(caught[:4]) + (" …" if len(caught) > 4 else ""))
            if caught
            else "no check failed"
        )
        if item.missing:
            detail += f"; expected too: {', '.join(item.missing)}"
        if item.note:
            detail += f" ({item.note})"
        name = item.name
    return f"[{done:>{len(str(total))}}/{total}] {state:<8} {name:<46} {item.seconds:6.1f} s  {detail}"


def render(check: Any) -> list[str]:
    """Survivors first, then the kill matrix and the kill rate per API and capability."""
    lines = ["", "==== conformance selfcheck ===="]
    red = [c for c in check.clean if not c.green]
    for c in red:
        lines.append(f"CLEAN MOCK NOT GREEN: {c.api}: {', '.join(c.failed[:5]) or f'exit {c.exit_code}'}")
    survivors = check.survivors()
    lines.append(f"surviving faults: {len(survivors)}")
    for f in survivors:
        lines.append(f"  {f.status.upper():<8} {f.name}: {f.description}")
        lines.append(f"           declared: {', '.join(f.declared)}; not failing: {', '.join(f.missing)}")
    caps = check.capabilities()
    lines += ["", "kill matrix (fault x capability: the checks that failed)"]
    for f in sorted(check.faults, key=lambda f: (f.status == "killed", f.api, f.fault)):
        row = f.caught_by()
        caught = "; ".join(
            f"{cap}: {', '.join(row[cap])}" for cap in caps + sorted(set(row) - set(caps)) if cap in row
        )
        lines.append(f"  {f.status:<8} {f.name:<46} {caught or '—'}")
    lines += ["", "kill rate (killed/faults, by the capability of the checks a fault declares)"]
    header = f"  {'API':<12}" + "".join(f"{c[:10]:>12}" for c in caps) + f"{'all':>12}"
    lines.append(header)
    for api in check.apis:
        cells: list[str] = []
        for cap in caps:
            killed, total = check.kill_rate(api, cap)
            cells.append(f"{killed}/{total}" if total else "-")
        killed, total = check.kill_rate(api)
        lines.append(f"  {api:<12}" + "".join(f"{c:>12}" for c in cells) + f"{f'{killed}/{total}':>12}")
    killed, total = check.kill_rate()
    rate = f"{100.0 * killed / total:.1f} %" if total else "-"
    green = sum(1 for c in check.clean if c.green)
    lines.append("")
    verdict = "PASSED" if check.passed else "FAILED"
    lines.append(
        f"conformance selfcheck: {verdict} — clean mocks {green}/{len(check.clean)} green, "
        f"{killed}/{total} faults killed ({rate}), {check.seconds:.0f} s with {check.workers} worker(s)"
    )
    return lines


def _rebuild_report(report_dir: Path) -> Path | None:
    """Rebuild the conformance report beside the self-check, so it shows the kill rates."""
    from conformance.cli._common import _read_run
    from conformance.report import write_all

    source = report_dir / "conformance.json"
    if not source.is_file():
        return None
    run = _read_run("selfcheck", str(source))
    if run is None:
        return None
    return write_all(run, report_dir)[-1]


def cmd_selfcheck(args: argparse.Namespace, extra: Sequence[str]) -> int:
    from conformance.mocks import available_mocks, mock_faults
    from conformance.report.model import RunResult
    from conformance.report.selfcheck import SelfCheck

    known = available_mocks()
    apis = args.api or known
    unknown = [a for a in apis if a not in known]
    if unknown:
        print(
            f"conformance selfcheck: no mock for {', '.join(unknown)}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    faults = [f for spec in args.fault for f in spec.split(",") if f]
    names = {n for a in apis for n in mock_faults(a)} | {f"{a}:{n}" for a in apis for n in mock_faults(a)}
    bad = [f for f in faults if f not in names]
    if bad:
        print(
            f"conformance selfcheck: unknown fault(s) {', '.join(bad)} (see conformance mock faults)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    root = _repo_root()
    jobs = sorted(plan(apis, faults, extra, clean=not args.no_clean), key=lambda j: -j.cost)
    workers = max(1, args.workers or os.cpu_count() or 1)
    report_dir = Path(args.report_dir or root / "reports").resolve()
    scratch = Path(tempfile.mkdtemp(prefix="conformance-selfcheck-"))
    check = SelfCheck(
        started=RunResult.now(),
        workers=workers,
        apis=list(apis),
        command="conformance selfcheck " + " ".join(sys.argv[2:]),
    )
    logs = report_dir / "selfcheck-logs"
    cleans = sum(1 for j in jobs if j.fault is None)
    print(
        f"conformance selfcheck: {len(jobs)} runs ({cleans} clean mocks, {len(jobs) - cleans} faults) "
        f"on {workers} worker(s); logs in {logs}"
    )
    shutil.rmtree(logs, ignore_errors=True)
    started = time.monotonic()
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), initializer=worker_init, initargs=(str(logs),)
        ) as pool:
            futures = {
                pool.submit(run_job, job, str(root), str(scratch / f"{i:04d}")): job
                for i, job in enumerate(jobs)
            }
            for future in as_completed(futures):
                job = futures[future]
                item = judge(job, future.result())
                (check.clean if job.fault is None else check.faults).append(item)
                done += 1
                print(_progress(done, len(jobs), item), flush=True)
    except KeyboardInterrupt:
        print("conformance selfcheck: interrupted", file=sys.stderr)
        return EXIT_USAGE
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    check.seconds = round(time.monotonic() - started, 1)
    check.finished = RunResult.now()
    check.clean.sort(key=lambda c: c.api)
    check.faults.sort(key=lambda f: (f.api, f.fault))
    print("\n".join(render(check)))
    written = check.write(report_dir)
    print(f"conformance selfcheck: {written}")
    html = _rebuild_report(report_dir)
    if html is not None:
        print(f"conformance report (with the kill rates): {html}")
    return 0 if check.passed else 1


def _add_selfcheck(sub: Any, apis: Sequence[str]) -> None:
    selfcheck = sub.add_parser(
        "selfcheck",
        help="the suites against the clean mocks and against every fault: is every check real?",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    selfcheck.add_argument("--api", action="append", choices=apis, help="only this API (repeatable)")
    selfcheck.add_argument(
        "--fault", action="append", default=[], metavar="[API:]NAME", help="only this fault (repeatable)"
    )
    selfcheck.add_argument(
        "-n", "--workers", type=int, default=None, help="worker processes (default: the CPUs)"
    )
    selfcheck.add_argument(
        "--report-dir", default=None, metavar="DIR", help="where selfcheck.json goes (default: reports/)"
    )
    selfcheck.add_argument("--no-clean", action="store_true", help="skip the clean-mock runs (faults only)")
