"""The rate-limit and token/key-expiry suites on the mocks' virtual clock, next to the real time a
real-clock probe would need.

For each run: the wall time of the pytest process (interpreter start and collection included), the
suites' own time (the sum of the selected cases' durations in conformance.json), and the seconds
the suites moved the mocks' clocks (`benchmarks/_clockmeter.py` counts every `ControlPlane.advance`:
pacing, token lifetimes, windows) -- each of them a wait on a real clock. Next to it, from the
profiles alone, the waits no real-clock run can avoid: per API, the token (or key) lifetime + 1 s
(`auth.rules.expired_token.lifetime_seconds`) and one rate-limit window + 1 s
(`rate_limit.window_seconds`, test_recovers_after_window).

    python benchmarks/bench_clock.py [--runs 5] [--quick]

Target (where we stand): rate-limit + expiry suites <= 2 s.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import REPO, Report, base_parser, finish, median, run_measured, table

TARGET_SECONDS = 2.0
SELECT = "rate_limit or expired_token or too_many_requests or rate_limited"


def profile_waits() -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(REPO / "src"))
    from conformance.contracts import available_apis, load_contract

    waits: dict[str, dict[str, float]] = {}
    for api in available_apis():
        profile = load_contract(api).profile
        expired = getattr(profile.auth.rules, "expired_token", None)
        lifetime = getattr(expired, "lifetime_seconds", None)
        rate = profile.rate_limit
        waits[api] = {
            "token_or_key_lifetime_s": float(lifetime or 0),
            "expiry_wait_s": float(lifetime + 1) if lifetime else 0.0,
            "rate_limit_window_s": float(rate.window_seconds) if rate else 0.0,
            "recovery_wait_s": float(rate.window_seconds + 1) if rate else 0.0,
        }
    return waits


def main() -> int:
    parser = base_parser(__doc__)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    report = Report("clock", quick=args.quick)
    walls, suite_times, advanced_totals = [], [], []
    per_api_case: dict[str, list[float]] = defaultdict(list)
    per_api_virtual: dict[str, float] = {}
    cases = 0
    apis = ["--api", "cropster"] if args.quick else []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-clock-") as out:
            meter = Path(out) / "advanced.json"
            cmd = [
                sys.executable,
                "-m",
                "pytest",
                "suites/conformance",
                "-q",
                "-n",
                "0",
                "-p",
                "no:cacheprovider",
                "-p",
                "_clockmeter",
                "--report-dir",
                out,
                "--hypothesis-profile",
                "ci",
                "-k",
                SELECT,
                *apis,
            ]
            env = {**os.environ, "PYTHONPATH": str(REPO / "benchmarks"), "BENCH_CLOCK_OUT": str(meter)}
            measured = run_measured(cmd, env=env)
            if measured.returncode != 0:
                print(measured.stdout[-3000:], measured.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"pytest exited {measured.returncode}")
            results = json.loads((Path(out) / "conformance.json").read_text())["results"]
            advanced = json.loads(meter.read_text())
        cases = len(results)
        walls.append(measured.wall)
        suite_times.append(sum(r["duration"] for r in results))
        advanced_totals.append(sum(advanced.values()))
        sums: dict[str, float] = defaultdict(float)
        for r in results:
            sums[r["api"]] += r["duration"]
        for api, value in sums.items():
            per_api_case[api].append(value)
        per_api_virtual = defaultdict(float)
        for nodeid, seconds in advanced.items():
            api = nodeid.rsplit("[", 1)[-1].split(":", 1)[0] if "[" in nodeid else "(fixtures)"
            per_api_virtual[api] += seconds
    waits = profile_waits()
    rows = []
    for api in sorted(per_api_case):
        w = waits.get(api, {})
        unavoidable = w.get("expiry_wait_s", 0) + w.get("recovery_wait_s", 0)
        rows.append(
            [api, round(median(per_api_case[api]), 3), round(per_api_virtual.get(api, 0.0), 1), unavoidable]
        )
        report.figures.setdefault("per_api", {})[api] = {
            "case_time_median_s": round(median(per_api_case[api]), 4),
            "virtual_seconds_advanced": round(per_api_virtual.get(api, 0.0), 1),
            "profile": w,
            "real_clock_unavoidable_s": unavoidable,
        }
    table(
        [
            "api",
            "suite time on the virtual clock (s)",
            "virtual seconds advanced",
            "real-clock waits from the profile (s)",
        ],
        rows,
    )
    virtual = median(advanced_totals)
    unavoidable_total = sum(r[3] for r in rows)
    suite = median(suite_times)
    report.figures.update(
        {
            "selection": f"suites/conformance -k '{SELECT}'",
            "runs": runs,
            "cases": cases,
            "wall_s": [round(w, 2) for w in walls],
            "wall_median_s": round(median(walls), 2),
            "suite_time_s": [round(t, 3) for t in suite_times],
            "suite_time_median_s": round(suite, 3),
            "virtual_seconds_advanced_median": round(virtual, 1),
            "real_clock_unavoidable_s": unavoidable_total,
            "speedup_vs_virtual_seconds": round(virtual / suite, 0) if suite else None,
            "speedup_vs_unavoidable_waits": round(unavoidable_total / suite, 0) if suite else None,
        }
    )
    table(
        ["", "median", "runs"],
        [
            ["pytest wall (start + collection included) (s)", round(median(walls), 2), runs],
            ["suite time, sum of case durations (s)", round(suite, 3), runs],
            ["virtual seconds the suites advanced", round(virtual, 1), runs],
            ["real-clock waits the profiles force (s)", unavoidable_total, "-"],
            [
                f"ratio: real-clock waits / suite time ({cases} cases)",
                f"{unavoidable_total / suite:,.0f}x" if suite else "-",
                "-",
            ],
        ],
    )
    if not args.quick:
        report.target(
            "rate-limit + expiry suites",
            f"<= {TARGET_SECONDS:g} s (suite time)",
            round(suite, 3),
            suite <= TARGET_SECONDS,
        )
        wall = median(walls)
        report.target(
            "... as one pytest process",
            f"<= {TARGET_SECONDS:g} s (wall)",
            round(wall, 2),
            wall <= TARGET_SECONDS,
            "interpreter start + collection of 566 tests included",
        )
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
