"""Markdown tables of the figures in benchmarks/results/*.json (the last full run of each
benchmark), for docs/PERFORMANCE.md. Prints to stdout; reads nothing else.

    python benchmarks/summarise.py [--results benchmarks/results]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from _common import RESULTS


def md(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def when(data: dict[str, Any]) -> str:
    m = data["machine"]
    return (
        f"`{data['command']}` — {data['started']} to {data['finished']}; load average before "
        f"{m['loadavg']}, after {m['loadavg_after']}; CPU loop {m.get('cpu_loop_ms', '(not measured)')} ms"
    )


def main_job(d: dict[str, Any]) -> str:
    f = d["figures"]
    modes = [k for k in ("default", "serial", "-n 2") if k in f]
    out = [
        md(
            ["mode", "command", "cases", "wall, median of runs (s)", "runs (s)", "peak RSS median (MiB)"],
            [
                [
                    m,
                    f"`{f[m]['command']}`",
                    f[m]["cases"],
                    f[m]["wall_median_s"],
                    f[m]["wall_s"],
                    f[m]["peak_rss_median_mib"],
                ]
                for m in modes
            ],
        )
    ]
    if "slowest_cases" in f:
        out.append(
            md(
                ["ten slowest cases (serial, median s)", "s"],
                [[f"`{s['nodeid']}`", s["median_s"]] for s in f["slowest_cases"]],
            )
        )
        out.append(
            md(["file", "case time (s)"], [[f"`{k}`", v] for k, v in f["case_time_by_file_s"].items()])
        )
    return "\n\n".join(out)


def clock(d: dict[str, Any]) -> str:
    f = d["figures"]
    rows = [
        [
            api,
            v["case_time_median_s"],
            v["virtual_seconds_advanced"],
            v["profile"]["expiry_wait_s"],
            v["profile"]["recovery_wait_s"],
            v["real_clock_unavoidable_s"],
        ]
        for api, v in f["per_api"].items()
    ]
    rows.append(
        [
            "**all**",
            f["suite_time_median_s"],
            f["virtual_seconds_advanced_median"],
            "",
            "",
            f["real_clock_unavoidable_s"],
        ]
    )
    return md(
        [
            "api",
            "suite time (s)",
            "virtual s advanced",
            "expiry wait (s)",
            "window wait (s)",
            "real-clock waits (s)",
        ],
        rows,
    ) + (
        f"\n\n{f['cases']} cases; pytest wall (start-up + collection) median {f['wall_median_s']} s "
        f"(runs {f['wall_s']}); suite time runs {f['suite_time_s']}."
    )


def prop(d: dict[str, Any]) -> str:
    f = d["figures"]
    rows = [
        [
            api,
            v["suite_cases"],
            v["suite_time_s"],
            v["suite_cases_per_s_median"],
            v["st_cases"],
            v["st_own_time_s"],
            v["st_cases_per_s_median"],
            f"{v['ratio_suite_over_st']}x",
        ]
        for api, v in f["per_api"].items()
    ]
    a = f["all_apis"]
    return md(
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
    ) + (
        f"\n\nAll APIs, process wall: suite {a['suite_cases_per_s_wall_median']} cases/s (one pytest, runs "
        f"{a['suite_wall_s']} s), st run {a['st_cases_per_s_wall_median']} cases/s (a process per API, runs "
        f"{a['st_wall_total_s']} s): {a['ratio_wall']}x."
    )


def mocks(d: dict[str, Any]) -> str:
    rows = []
    for api, ops in d["figures"].items():
        if api == "settings":
            continue
        for kind, f in ops.items():
            m, p = f["mock"], f["prism"]
            rows.append(
                [
                    api,
                    kind,
                    f"{f['method']} {f['operation']}",
                    m["rps_median"],
                    m["p50_ms_median"],
                    m["p99_ms_median"],
                    m["non_2xx"],
                    p["rps_median"],
                    p["p50_ms_median"],
                    p["p99_ms_median"],
                    p["non_2xx"],
                    f"**{f['ratio_rps']}x**",
                ]
            )
    s = d["figures"]["settings"]
    return md(
        [
            "api",
            "",
            "operation",
            "mock req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "Prism req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "mock/Prism",
        ],
        rows,
    ) + (
        f"\n\nwrk: {s['wrk_threads']} thread, {s['connections']} connections, {s['duration_s']} s per run, "
        f"{s['runs']} runs per server and operation (medians)."
    )


def scale(d: dict[str, Any]) -> str:
    rows, mem = [], []
    for api, f in d["figures"]["pagination"].items():
        for size, v in f["sizes"].items():
            rows.append(
                [
                    api,
                    f["style"],
                    f"{int(size):,}",
                    v["pages_per_walk"],
                    "yes" if v["complete"] else "no",
                    v["median_page_ms"],
                    v["full_walk_s_estimate"],
                ]
            )
        rows.append([api, "**drift 1k→max**", "", "", "", f"**{f['drift_first_to_last']:+.0%}**", ""])
    for api, m in d["figures"]["memory"].items():
        mem.append(
            [
                api,
                f"{m['entities']:,}",
                m["rss_before_mib"],
                m["rss_after_mib"],
                m["delta_mib"],
                m["bytes_per_entity"],
                m["seed_s"],
            ]
        )
    return (
        md(
            ["api", "style", "entities", "pages walked", "complete", "median ms/page", "full walk (s, est.)"],
            rows,
        )
        + "\n\n"
        + md(
            [
                "api",
                "entities",
                "RSS before (MiB)",
                "RSS after (MiB)",
                "delta (MiB)",
                "bytes/entity",
                "seeding (s)",
            ],
            mem,
        )
    )


def report(d: dict[str, Any]) -> str:
    f = d["figures"]
    return (
        md(
            [
                "cases",
                "HTML (MB)",
                "`conformance report` (s)",
                "render_html (s)",
                "Chromium load (s)",
                "matrix visible (s)",
                "report peak RSS (MiB)",
            ],
            [
                [
                    f"{f['cases']:,}",
                    round(f["html_bytes"] / 1e6, 1),
                    f["conformance_report_wall_median_s"],
                    f["render_html_median_s"],
                    f["chromium_load_median_s"],
                    f["chromium_matrix_visible_median_s"],
                    f["conformance_report_peak_rss_mib"],
                ]
            ],
        )
        + "\n\n"
        + md(["file", "bytes"], [[k, f"{v:,}"] for k, v in f["output_bytes"].items()])
    )


def selfcheck(d: dict[str, Any]) -> str:
    f = d["figures"]
    if not f.get("available"):
        return "not available: this checkout has no `conformance selfcheck` yet."
    return md(
        ["mode", "command", "wall median (s)", "runs (s)", "peak RSS (MiB)"],
        [
            [m, f"`{f[m]['command']}`", f[m]["wall_median_s"], f[m]["wall_s"], f[m]["peak_rss_median_mib"]]
            for m in ("serial", "-n 2")
        ],
    )


def targets(all_data: list[dict[str, Any]]) -> str:
    rows = []
    for d in all_data:
        for t in d["targets"]:
            met = "n/a" if t["met"] is None else ("met" if t["met"] else "**missed**")
            rows.append([t["target"], t["goal"], t["value"], met, t["detail"]])
    return md(["target", "goal", "where we stand", "", "detail"], rows)


SECTIONS = {
    "main_job": main_job,
    "clock": clock,
    "property": prop,
    "mocks": mocks,
    "scale": scale,
    "report": report,
    "selfcheck": selfcheck,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    found = []
    for name, render in SECTIONS.items():
        path = args.results / f"{name}.json"
        if not path.exists():
            print(f"## {name}\n\n(no results: run benchmarks/bench_{name}.py)\n")
            continue
        data = json.loads(path.read_text())
        found.append(data)
        print(f"## {name}\n\n{when(data)}\n\n{render(data)}\n")
        for note in data["notes"]:
            print(f"- {note}")
        print()
    print("## targets\n\n" + targets(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
