"""Every benchmark script runs, in its smoke mode (`--quick`: one run, tiny sizes, seconds), and
writes its figures as JSON — so the scripts cannot rot. No timing is asserted here: the speed
goals live in benchmarks/ and docs/PERFORMANCE.md only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

BENCHMARKS = REPO / "benchmarks"
SCRIPTS = [
    "bench_main_job",
    "bench_clock",
    "bench_property",
    "bench_mocks",
    "bench_scale",
    "bench_report",
    "bench_selfcheck",
]


def test_every_benchmark_script_is_smoke_tested():
    on_disk = {p.stem for p in BENCHMARKS.glob("bench_*.py")} - {"bench_suites"}
    assert on_disk == set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_in_quick_mode(script, tmp_path):
    if script == "bench_mocks" and (
        shutil.which("wrk") is None or not (BENCHMARKS / "node_modules" / ".bin" / "prism").exists()
    ):
        pytest.skip("wrk or Prism missing: `python benchmarks/bench_mocks.py` installs both once")
    out = tmp_path / f"{script}.json"
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py"), "--quick", "--output", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(out.read_text())
    assert data["quick"] is True
    assert data["figures"], "no figures written"
    assert data["machine"]["nproc"] >= 1
    assert f"figures written to {out}" in proc.stdout
