"""The main job (`conformance run`: every suite, all five APIs, the in-process mocks) serial and
with `-n 2`: wall time and peak memory of the whole process tree (xdist workers included), and
where the time goes (the ten slowest cases, from conformance.json). Each run writes its reports
to a temporary directory, so reports/ is left alone.

    python benchmarks/bench_main_job.py [--runs 5] [--quick]

Target (where we stand, not an assertion): the main job in <= 45 s on 2 cores.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import REPO, RESULTS, Report, base_parser, finish, loadavg, median, run_measured, table

TARGET_SECONDS = 45.0


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument(
        "--modes",
        default="default,serial,-n 2",
        help="comma-separated: default (as the README runs it: -n auto --dist worksteal), serial, '-n 2'",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    report = Report("main_job", quick=args.quick)
    conformance = str(Path(sys.executable).with_name("conformance"))
    # the CI profile (deterministic examples, as .ci/run's CI=true picks); --quick: one small API slice
    select = ["--api", "grafterr", "-k", "auth or transport"] if args.quick else []
    # serial is `-n 0`: `conformance run` alone runs on every core
    modes = {
        m.strip(): {"serial": ["-n", "0"], "default": []}.get(m.strip(), m.strip().split())
        for m in args.modes.split(",")
    }
    durations: dict[str, list[float]] = defaultdict(list)
    for mode, extra in modes.items():
        walls, peaks, loads, cases = [], [], [], 0
        for _ in range(runs):
            out = Path(tempfile.mkdtemp(prefix="bench-main-"))
            try:
                cmd = [
                    conformance,
                    "run",
                    "--report-dir",
                    str(out),
                    "--hypothesis-profile",
                    "ci",
                    *extra,
                    *select,
                ]
                measured = run_measured(cmd, cwd=REPO)
                loads.append(loadavg()[0])
                if measured.returncode not in (0, 1):  # 1 = the gate failed: still a complete run
                    print(measured.stdout[-3000:], measured.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"conformance run exited {measured.returncode}")
                results = json.loads((out / "conformance.json").read_text())["results"]
                if mode == "serial" and not args.quick:  # kept: bench_report.py --base-run reuses it
                    RESULTS.mkdir(parents=True, exist_ok=True)
                    shutil.copy(out / "conformance.json", RESULTS / "main_job.conformance.json")
            finally:
                shutil.rmtree(out, ignore_errors=True)
            walls.append(measured.wall)
            peaks.append(measured.peak_rss_mib)
            cases = len(results)
            if mode == "serial":
                for result in results:
                    durations[result["nodeid"]].append(result["duration"])
        report.figures[mode] = {
            "command": " ".join(["conformance", "run", "--hypothesis-profile", "ci", *extra, *select]),
            "runs": runs,
            "cases": cases,
            "wall_s": [round(w, 2) for w in walls],
            "wall_median_s": round(median(walls), 2),
            "peak_rss_mib": peaks,
            "peak_rss_median_mib": round(median(peaks), 1),
            "loadavg_1min_after_each_run": loads,
        }
    table(
        ["mode", "runs", "cases", "wall median (s)", "wall min-max (s)", "peak RSS median (MiB)"],
        [
            [
                mode,
                f["runs"],
                f["cases"],
                f["wall_median_s"],
                f"{min(f['wall_s'])}-{max(f['wall_s'])}",
                f["peak_rss_median_mib"],
            ]
            for mode, f in report.figures.items()
        ],
    )
    if durations:
        slowest = sorted(durations.items(), key=lambda kv: -median(kv[1]))[:10]
        total = sum(median(v) for v in durations.values())
        report.figures["slowest_cases"] = [
            {"nodeid": nodeid, "median_s": round(median(v), 3)} for nodeid, v in slowest
        ]
        report.figures["case_time_total_s"] = round(total, 2)
        by_capability: dict[str, float] = defaultdict(float)
        for nodeid, v in durations.items():
            by_capability[nodeid.split("::")[0]] += median(v)
        report.figures["case_time_by_file_s"] = {
            k: round(v, 2) for k, v in sorted(by_capability.items(), key=lambda kv: -kv[1])
        }
        table(
            ["ten slowest cases (serial)", "median (s)", "share of case time"],
            [
                [s["nodeid"], s["median_s"], f"{s['median_s'] / total:.0%}"]
                for s in report.figures["slowest_cases"]
            ],
        )
        table(["file", "case time (s)"], list(report.figures["case_time_by_file_s"].items()))
    if "-n 2" in report.figures and not args.quick:
        value = report.figures["-n 2"]["wall_median_s"]
        report.target(
            "main job on 2 cores", f"<= {TARGET_SECONDS:g} s (-n 2)", value, value <= TARGET_SECONDS
        )
    if "serial" in report.figures and not args.quick:
        value = report.figures["serial"]["wall_median_s"]
        report.target(
            "main job serial", f"<= {TARGET_SECONDS:g} s (README: about 45 s)", value, value <= TARGET_SECONDS
        )
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
