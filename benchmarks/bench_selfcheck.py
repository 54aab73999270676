"""`conformance selfcheck` (every mock fault of the catalogue run against the suites, the clean
mocks too) wall time and peak memory, serial (`-n 1`) and `-n 2`. Reports go to a temporary
directory (`--report-dir`).

Where this checkout's `conformance` has no `selfcheck` command yet, it says "not available",
writes that to its JSON and exits 0.

    python benchmarks/bench_selfcheck.py [--runs 5] [--timeout 1200] [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _common import Report, base_parser, finish, median, run_measured, table


def available(conformance: str) -> bool:
    proc = subprocess.run([conformance, "selfcheck", "--help"], capture_output=True, text=True)
    return proc.returncode == 0


def quick_selection(conformance: str) -> list[str]:
    """One API and one of its faults: seconds, not the catalogue."""
    faults = subprocess.run(
        [conformance, "mock", "faults", "--api", "grafterr"], capture_output=True, text=True, check=True
    ).stdout.split()
    return ["--api", "grafterr", *(["--fault", faults[0]] if faults else [])]


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per selfcheck run at most")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    report = Report("selfcheck", quick=args.quick)
    conformance = str(Path(sys.executable).with_name("conformance"))
    if not available(conformance):
        report.figures = {"available": False}
        report.notes.append("conformance selfcheck: not available in this checkout (no such command yet)")
        print("conformance selfcheck: not available (this checkout's `conformance` has no selfcheck command)")
        finish(report, args.output)
        return 0
    select = quick_selection(conformance) if args.quick else []
    rows = []
    report.figures = {"available": True}
    for mode, workers in (("serial", "1"), ("-n 2", "2")):
        walls, peaks, codes = [], [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="bench-selfcheck-") as out:
                cmd = [conformance, "selfcheck", "-n", workers, "--report-dir", out, *select]
                measured = run_measured(cmd, timeout=args.timeout)
            if measured.returncode == 2:
                print(measured.stdout[-2000:], measured.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"conformance selfcheck refused {' '.join(cmd[1:])} (exit 2)")
            walls.append(measured.wall)
            peaks.append(measured.peak_rss_mib)
            codes.append(measured.returncode)
        report.figures[mode] = {
            "command": " ".join(["conformance", "selfcheck", "-n", workers, *select]),
            "wall_s": [round(w, 1) for w in walls],
            "wall_median_s": round(median(walls), 1),
            "peak_rss_median_mib": round(median(peaks), 1),
            "exit_codes": codes,
        }
        rows.append([mode, runs, round(median(walls), 1), round(median(peaks), 1), codes])
    table(["mode", "runs", "wall median (s)", "peak RSS median (MiB)", "exit codes"], rows)
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
