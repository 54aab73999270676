#!/usr/bin/env bash
# The full measurement run: every benchmark, one at a time (they measure the machine as much as the
# code), each writing benchmarks/results/<name>.json; then the Markdown tables for docs/PERFORMANCE.md.
#   benchmarks/run_all.sh            (about 40 minutes on the 2-core machine, plus the self-check's
#                                     5 x serial and -n 2: about 2 hours more; SELFCHECK_RUNS=1 takes 1 of each)
set -uo pipefail  # a failing benchmark is logged, the others still run
cd "$(dirname "$0")/.."
py=${PYTHON:-python}
log() { echo "== $(date -u +%H:%M:%S) $* (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }
log bench_mocks;     $py benchmarks/bench_mocks.py --duration 2 || log "FAILED: bench_mocks"
log bench_clock;     $py benchmarks/bench_clock.py || log "FAILED: bench_clock"
log bench_scale;     $py benchmarks/bench_scale.py --budget 8 || log "FAILED: bench_scale"
log bench_main_job;  $py benchmarks/bench_main_job.py || log "FAILED: bench_main_job"
log bench_report;    $py benchmarks/bench_report.py --base-run benchmarks/results/main_job.conformance.json || log "FAILED: bench_report"
log bench_property;  $py benchmarks/bench_property.py || log "FAILED: bench_property"
log bench_selfcheck; $py benchmarks/bench_selfcheck.py ${SELFCHECK_RUNS:+--runs "$SELFCHECK_RUNS"} || log "FAILED: bench_selfcheck"
log done
$py benchmarks/summarise.py > benchmarks/results/summary.md
