"""The property suite (suites/properties: schemathesis inside pytest, the in-process mocks) in
generated cases per second, side by side with the schemathesis CLI (`st run`) on the same
contract against the same mock served over HTTP (benchmarks/_serve.py --unlimited: the rate
limiters raised out of reach, or `st run` would measure 429s).

Both sides: the ci example budget (25 examples per operation and phase), the phases examples and
fuzzing (coverage left out: it multiplies cases and time alike, and the run must stay bounded; the
stateful phase is off in `st run` and `test_stateful_links` is left out of the suite), every check
but one (`st run -c all --exclude-checks ignored_auth --continue-on-failure`: ignored_auth sends
each case again without and with wrong credentials and schemathesis counts those probes among its
"N generated" — 219 of CartonCloud's 845 were such child cases in its NDJSON report — while the
suite judges its own MUST/SHOULD rules per case and probes each operation once without
credentials, not counted as a case), deterministic generation. Cases: the suite's = its calls of
`_send` (benchmarks/_casemeter.py), `st run`'s = its "N generated". Time: the suite's = the sum of
its cases' durations per API (conformance.json), and the pytest process's wall for all APIs
together; `st run`'s = its own reported duration, and its process wall.

    python benchmarks/bench_property.py [--runs 5] [--api ID ...] [--quick]

Target (where we stand): in-process >= 1.0x the CLI's cases/s.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import REPO, Report, base_parser, finish, median, run_measured, served_mock, served_setup, table

APIS = ["agcatalog", "cartoncloud", "cropster", "grafterr", "origintrace"]
GENERATED = re.compile(r"(\d+) generated")
ST_TIME = re.compile(r"in ([\d.]+)s =+\s*$", re.M)


PHASES = "examples,fuzzing"  # coverage multiplies the cases and the time alike: left out, bounded


def run_suite(apis: list[str], profile: str) -> tuple[float, dict[str, int], dict[str, float], int]:
    with tempfile.TemporaryDirectory(prefix="bench-prop-") as out:
        meter = Path(out) / "cases.json"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "suites/properties",
            "-k",
            "test_operation_conforms",  # the per-operation phases; st run's stateful phase is off too
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "-p",
            "_casemeter",
            "--report-dir",
            out,
            "--hypothesis-profile",
            profile,
            "--property-phases",
            PHASES,
            "--hypothesis-seed",
            "0",
            *[a for api in apis for a in ("--api", api)],
        ]
        env = {**os.environ, "PYTHONPATH": str(REPO / "benchmarks"), "BENCH_CASES_OUT": str(meter)}
        measured = run_measured(cmd, env=env)
        if measured.returncode not in (0, 1):
            print(measured.stdout[-3000:], measured.stderr[-2000:], file=sys.stderr)
            raise SystemExit(f"pytest exited {measured.returncode}")
        cases = json.loads(meter.read_text())["by_api"]
        results = json.loads((Path(out) / "conformance.json").read_text())["results"]
    time_by_api: dict[str, float] = defaultdict(float)
    for r in results:
        time_by_api[r["api"]] += r["duration"]
    return measured.wall, cases, dict(time_by_api), measured.returncode


def run_st(api: str, max_examples: int) -> tuple[float, float, int]:
    with served_mock(api, unlimited=True) as (_port, exports):
        setup = served_setup(api, exports)
        with tempfile.TemporaryDirectory(prefix="bench-st-") as tmp:
            config = Path(tmp) / "schemathesis.toml"
            lines = [
                "[parameters]",
                *[f'"path.{k}" = {json.dumps(v)}' for k, v in setup["path_values"].items()],
            ]
            config.write_text("\n".join(lines) + "\n")
            st = str(Path(sys.executable).with_name("st"))
            cmd = [
                st,
                "--config-file",
                str(config),
                "run",
                str(REPO / "contracts" / api / "openapi.yaml"),
                "--url",
                setup["base_url"],
                "--max-examples",
                str(max_examples),
                "--phases",
                PHASES,
                "-c",
                "all",
                # its no-credential probes are counted among its "N generated" (child cases: 219 of
                # CartonCloud's 845); the suite's probe (once per operation) is not a generated case
                "--exclude-checks",
                "ignored_auth",
                "--continue-on-failure",
                "--generation-deterministic",
                "--no-color",
                *[a for k, v in setup["headers"].items() for a in ("-H", f"{k}: {v}")],
                *[a for op in setup["other_host_operations"] for a in ("--exclude-operation-id", op)],
            ]
            measured = run_measured(cmd, cwd=Path(tmp), env={**os.environ, "NO_COLOR": "1"})
    generated = GENERATED.search(measured.stdout)
    own = ST_TIME.search(measured.stdout)
    if generated is None or own is None:
        print(measured.stdout[-3000:], measured.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"st run on {api}: no case count in its output (exit {measured.returncode})")
    return measured.wall, float(own.group(1)), int(generated.group(1))


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument("--api", action="append", default=[])
    parser.add_argument(
        "--profile",
        choices=["ci", "live"],
        default="ci",
        help="the suite's Hypothesis profile (ci: 25 examples; live: 10); st run gets as many",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    apis = args.api or (["grafterr"] if args.quick else APIS)
    profile = "live" if args.quick else args.profile
    max_examples = {"ci": 25, "live": 10}[profile]
    report = Report("property", quick=args.quick)
    suite_walls, st_walls_total = [], []
    suite_cases: dict[str, list[int]] = defaultdict(list)
    suite_time: dict[str, list[float]] = defaultdict(list)
    st_cases: dict[str, list[int]] = defaultdict(list)
    st_time: dict[str, list[float]] = defaultdict(list)
    st_wall: dict[str, list[float]] = defaultdict(list)
    gate_codes = []
    for _ in range(runs):
        wall, cases, times, code = run_suite(apis, profile)
        suite_walls.append(wall)
        gate_codes.append(code)
        for api in apis:
            suite_cases[api].append(cases.get(api, 0))
            suite_time[api].append(times.get(api, 0.0))
        total = 0.0
        for api in apis:
            w, own, n = run_st(api, max_examples)
            st_wall[api].append(w)
            st_time[api].append(own)
            st_cases[api].append(n)
            total += w
        st_walls_total.append(total)
    rows = []
    for api in apis:
        ours = median([c / t for c, t in zip(suite_cases[api], suite_time[api], strict=True) if t])
        theirs = median([c / t for c, t in zip(st_cases[api], st_time[api], strict=True) if t])
        theirs_wall = median([c / t for c, t in zip(st_cases[api], st_wall[api], strict=True) if t])
        ratio = ours / theirs if theirs else float("nan")
        report.figures.setdefault("per_api", {})[api] = {
            "suite_cases": suite_cases[api],
            "suite_time_s": [round(t, 2) for t in suite_time[api]],
            "suite_cases_per_s_median": round(ours, 1),
            "st_cases": st_cases[api],
            "st_own_time_s": st_time[api],
            "st_wall_s": [round(t, 2) for t in st_wall[api]],
            "st_cases_per_s_median": round(theirs, 1),
            "st_cases_per_s_wall_median": round(theirs_wall, 1),
            "ratio_suite_over_st": round(ratio, 2),
        }
        rows.append(
            [
                api,
                median(suite_cases[api]),
                round(median(suite_time[api]), 2),
                round(ours, 1),
                median(st_cases[api]),
                round(median(st_time[api]), 2),
                round(theirs, 1),
                f"{ratio:.2f}x",
            ]
        )
    table(
        [
            "api",
            "suite cases",
            "suite time (s)",
            "suite cases/s",
            "st cases",
            "st time (s)",
            "st cases/s",
            "ratio",
        ],
        rows,
    )
    all_ours = median([sum(suite_cases[a][i] for a in apis) / suite_walls[i] for i in range(runs)])
    all_theirs = median([sum(st_cases[a][i] for a in apis) / st_walls_total[i] for i in range(runs)])
    report.figures["all_apis"] = {
        "suite_wall_s": [round(w, 2) for w in suite_walls],
        "suite_cases_per_s_wall_median": round(all_ours, 1),
        "st_wall_total_s": [round(w, 2) for w in st_walls_total],
        "st_cases_per_s_wall_median": round(all_theirs, 1),
        "ratio_wall": round(all_ours / all_theirs, 2) if all_theirs else None,
        "pytest_exit_codes": gate_codes,
        "hypothesis_profile": profile,
        "st_max_examples": max_examples,
    }
    table(
        ["all APIs, process wall (start-up included)", "cases/s median"],
        [
            ["suite (one pytest process)", round(all_ours, 1)],
            ["st run (one process per API)", round(all_theirs, 1)],
            ["ratio", f"{all_ours / all_theirs:.2f}x" if all_theirs else "-"],
        ],
    )
    if not args.quick:
        for api in apis:
            ratio = report.figures["per_api"][api]["ratio_suite_over_st"]
            report.target(f"property {api}", ">= 1.0x st run cases/s", ratio, ratio >= 1.0)
        ratio = report.figures["all_apis"]["ratio_wall"]
        report.target(
            "property, all APIs (wall)", ">= 1.0x st run cases/s", ratio, bool(ratio and ratio >= 1.0)
        )
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
