"""Run the main job N times (default 10) and compare every run's verdicts with the first, case by
case (`conformance diff`): the determinism check of issue 14. Exit 0 when every run gave identical
verdicts per case id, 1 otherwise; prints one line per run and the differences.

    python scripts/repeat_main_job.py [--runs N] [--out DIR]

Each run writes DIR/run-<i>/ (default DIR: reports/repeat). CI=true is set, as in `.ci/run`, so
the runs use the derandomized `ci` Hypothesis profile."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "repeat")
    args = parser.parse_args(argv)
    env = {**os.environ, "CI": "true"}
    first: Path | None = None
    identical = True
    for i in range(1, args.runs + 1):
        out = args.out / f"run-{i}"
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "conformance.cli", "run", "--report-dir", str(out), "-q"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.monotonic() - started
        if first is None:
            first = out / "conformance.json"
            print(
                f"run {i}: exit {run.returncode} in {seconds:.0f} s ({run.stdout.strip().splitlines()[-2]})"
            )
            continue
        diff = subprocess.run(
            [sys.executable, "-m", "conformance.cli", "diff", str(first), str(out / "conformance.json")],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        summary = diff.stdout.strip().splitlines()[-1] if diff.stdout.strip() else diff.stderr.strip()
        print(f"run {i}: exit {run.returncode} in {seconds:.0f} s; against run 1: {summary}")
        if diff.returncode != 0 or "0 only before, 0 only after" not in summary:
            identical = False
            print(diff.stdout)
    print("identical verdicts in every run" if identical else "VERDICTS DIFFER between runs")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
