"""Measure the conformance suites against the in-process mocks: wall time per run and time
per capability (from the durations in conformance.json). Not a timed test: it only reports.

    python benchmarks/bench_suites.py [--runs 3] [--api cartoncloud] [-- extra pytest args]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--api", action="append", default=[])
    parser.add_argument("--suites", default="suites/conformance")
    args, extra = parser.parse_known_args()
    walls: list[float] = []
    totals: list[float] = []
    per_capability: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            cmd = [
                sys.executable,
                "-m",
                "pytest",
                str(REPO / args.suites),
                "-q",
                "-p",
                "no:cacheprovider",
                "--report-dir",
                out,
                "--hypothesis-profile",
                "ci",
                *[a for api in args.api for a in ("--api", api)],
                *extra,
            ]
            started = time.perf_counter()
            proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
            walls.append(time.perf_counter() - started)
            if proc.returncode != 0:
                print(proc.stdout[-2000:], file=sys.stderr)
                return proc.returncode
            report = json.loads((Path(out) / "conformance.json").read_text())
            sums: dict[str, float] = defaultdict(float)
            for result in report["results"]:
                sums[f"{result['api']}:{result['capability']}"] += result["duration"]
            totals.append(sum(r["duration"] for r in report["results"]))
            for key, value in sums.items():
                per_capability[key].append(value)
    print(f"command: {' '.join(sys.argv)}")
    print(
        f"runs: {args.runs}; wall time per run (process start included): "
        f"median {statistics.median(walls):.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s"
    )
    print(
        f"call-phase time of the selected tests (fixtures and collection not included): median "
        f"{statistics.median(totals):.3f} s, max {max(totals):.3f} s over {len(report['results'])} tests"
    )
    print(f"{'api:capability':<28} {'median test time (s)':>22}")
    for key in sorted(per_capability):
        print(f"{key:<28} {statistics.median(per_capability[key]):>22.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
