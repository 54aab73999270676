"""The report writer on a 10 000-case run: the HTML's size, the time to write the reports, and the
time Chromium takes to open the HTML from disk.

The run is made, not waited for: one real main job (`conformance run`: the five APIs, its mix of
cases and evidence) whose cases are repeated, each copy with its own node id, until there are
10 000. Then, --runs times each:
`conformance report --from big.json` (the whole process: JSON, JUnit, Allure results, HAR, HTML),
the HTML alone (`render_html` in-process), and Chromium (Debian's /usr/bin/chromium through
Playwright, headless, every non-file request refused) opening it: navigation start to the
load event, and to the matrix being on screen.

    python benchmarks/bench_report.py [--runs 5] [--cases 10000] [--quick]
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, Report, base_parser, finish, median, run_measured, table

sys.path.insert(0, str(REPO / "src"))

CHROMIUM = Path(os.environ.get("CONFORMANCE_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def base_run(out: Path, quick: bool) -> dict:
    conformance = str(Path(sys.executable).with_name("conformance"))
    select = ["--api", "grafterr", "-k", "auth"] if quick else []
    cmd = [conformance, "run", "--hypothesis-profile", "ci", "--report-dir", str(out), *select]
    measured = run_measured(cmd)
    if measured.returncode not in (0, 1):
        print(measured.stdout[-3000:], measured.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"conformance run exited {measured.returncode}")
    return json.loads((out / "conformance.json").read_text())


def scaled(run: dict, cases: int) -> dict:
    base = run["results"]
    results = []
    for i in range(cases):
        r = copy.deepcopy(base[i % len(base)])
        copy_no = i // len(base)
        if copy_no:
            for key in ("nodeid", "case_id"):
                if r.get(key):
                    r[key] = f"{r[key]}[copy-{copy_no}]"
        results.append(r)
    big = {**run, "results": results}
    big.pop("summary", None)  # recomputed from the results
    return big


def open_in_chromium(html: Path, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith("file:") else route.abort()
                    ),
                )
                page = context.new_page()
                started = time.perf_counter()
                page.goto(html.as_uri(), wait_until="load", timeout=300_000)
                loaded = time.perf_counter() - started
                page.wait_for_selector("#matrix", state="visible", timeout=300_000)
                visible = time.perf_counter() - started
                nav = page.evaluate(
                    "() => { const t = performance.getEntriesByType('navigation')[0];"
                    " return {dcl: t.domContentLoadedEventEnd, load: t.loadEventEnd}; }"
                )
                timings.append(
                    {
                        "goto_load_s": round(loaded, 3),
                        "matrix_visible_s": round(visible, 3),
                        "dom_content_loaded_ms": round(nav["dcl"], 1),
                        "load_event_ms": round(nav["load"], 1),
                    }
                )
                context.close()
        finally:
            browser.close()
    return timings


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument(
        "--base-run",
        type=Path,
        default=None,
        help="a main job's conformance.json to scale up (default: run the main job here; "
        "bench_main_job.py keeps its last one in benchmarks/results/main_job.conformance.json)",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    cases = 300 if args.quick else args.cases
    report = Report("report", quick=args.quick)
    from conformance.report.model import RunResult
    from conformance.report.writers import render_html

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        tmp_path = Path(tmp)
        if args.base_run:
            run = json.loads(args.base_run.read_text())
            report.notes.append(f"cases scaled up from {args.base_run}")
        else:
            run = base_run(tmp_path / "base", args.quick)
        big = scaled(run, cases)
        source = tmp_path / "big" / "conformance.json"
        source.parent.mkdir()
        source.write_text(json.dumps(big))
        conformance = str(Path(sys.executable).with_name("conformance"))
        cli_walls, peaks, render_s = [], [], []
        for i in range(runs):
            out = tmp_path / f"out{i}"
            measured = run_measured([conformance, "report", "--from", str(source), "--output", str(out)])
            if measured.returncode != 0:
                print(measured.stdout[-2000:], measured.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"conformance report exited {measured.returncode}")
            cli_walls.append(measured.wall)
            peaks.append(measured.peak_rss_mib)
        model = RunResult.from_dict(json.loads(source.read_text()))
        for _ in range(runs):
            started = time.perf_counter()
            html_text = render_html(model)
            render_s.append(time.perf_counter() - started)
        html = tmp_path / "out0" / "conformance.html"
        sizes = {p.name: p.stat().st_size for p in (tmp_path / "out0").iterdir() if p.is_file()}
        allure = sum(p.stat().st_size for p in (tmp_path / "out0" / "allure-results").iterdir())
        if CHROMIUM.exists():
            browser = open_in_chromium(html, runs)
        else:
            browser = []
            report.notes.append(f"no Chromium at {CHROMIUM}: the open time was not measured")
    report.figures = {
        "cases": len(big["results"]),
        "base_run_cases": len(run["results"]),
        "html_bytes": sizes.get("conformance.html"),
        "html_chars_rendered": len(html_text),
        "output_bytes": {**sizes, "allure-results/ (all files)": allure},
        "conformance_report_wall_s": [round(w, 2) for w in cli_walls],
        "conformance_report_wall_median_s": round(median(cli_walls), 2),
        "conformance_report_peak_rss_mib": peaks,
        "render_html_s": [round(s, 2) for s in render_s],
        "render_html_median_s": round(median(render_s), 2),
        "chromium": browser,
        "chromium_load_median_s": round(median([b["goto_load_s"] for b in browser]), 2) if browser else None,
        "chromium_matrix_visible_median_s": round(median([b["matrix_visible_s"] for b in browser]), 2)
        if browser
        else None,
    }
    f = report.figures
    table(
        [
            "report on a run of",
            "HTML size (MB)",
            "conformance report (s)",
            "render_html (s)",
            "Chromium: load event (s)",
            "matrix visible (s)",
            "peak RSS (MiB)",
        ],
        [
            [
                f"{f['cases']:,} cases",
                round(f["html_bytes"] / 1e6, 1),
                f["conformance_report_wall_median_s"],
                f["render_html_median_s"],
                f["chromium_load_median_s"],
                f["chromium_matrix_visible_median_s"],
                median(peaks),
            ]
        ],
    )
    table(["file", "bytes"], [[k, f"{v:,}"] for k, v in f["output_bytes"].items()])
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
