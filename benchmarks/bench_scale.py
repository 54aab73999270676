"""Scale: pagination walks over 1 000, 10 000 and 100 000 seeded entities in each pagination style
(the in-process mock, through httpx's ASGI transport as the suites reach it; the rate limiters
raised out of reach, since a walk is not a rate-limit probe), and the memory of a mock holding
100 000 entities (a fresh process: RSS before and after seeding).

Every walk uses pages of 100 and the API's own page parameters; each page is timed. A walk is
bounded: it stops after --budget seconds (default 20) and says how many pages it walked. A run
walks the list again until it has timed at least --min-pages pages (default 1 000: the pages of
one 100 000 walk), so every size's median is over as many pages and as long a stretch of time:
a 1 000-entity walk is 10 pages, about 20 ms, and its median alone moved by 50 % from one run to
the next on a noisy host. Each size is run --runs times, the median of the runs' medians
reported. "Flat" compares the 100 000-entity median with the 1 000-entity one.

    python benchmarks/bench_scale.py [--runs 5] [--sizes 1000,10000,100000] [--budget 20]
        [--min-pages 1000] [--quick]

Target (where we stand): time per page flat within 20 % from 1 000 to 100 000 entities.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import REPO, Report, base_parser, finish, median, table

sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

PAGE = 100
TARGET_DRIFT = 0.20


@dataclass(frozen=True)
class Style:
    api: str
    style: str
    operation: str
    resource: str  # the seed resource
    chunk: int  # the most one seed request takes


STYLES = [
    Style("cropster", "cursor_body (POST body cursor)", "listGreenLots", "green_lots", 1000),
    Style("agcatalog", "cursor_body (query cursor)", "listProducts", "products", 2000),
    Style("origintrace", "offset_limit", "listBatches", "batches", 2000),
    Style("cartoncloud", "page_number_headers", "searchInboundOrders", "inbound-orders", 1000),
]


def build(api: str) -> tuple[Any, Any, Any]:
    """(target, app, httpx client) of the in-process mock, authenticated as the default identity."""
    import httpx
    from _serve import lift_limits

    from conformance.contracts import load_contract
    from conformance.targets import mock_target

    target = mock_target(load_contract(api))
    app = target.asgi_app
    lift_limits(app)
    client = httpx.Client(transport=target.transport, auth=target.auth_for(), timeout=600)
    client.headers.update(target.contract.required_headers())
    return target, app, client


def seed(app: Any, style: Style, count: int) -> None:
    left = count
    while left > 0:
        n = min(left, style.chunk)
        app.seed({"resource": style.resource, "count": n})
        left -= n


def page_fn(style: Style, target: Any, client: Any) -> Callable[[Any], tuple[int, Any]]:
    """One page request: given the position (cursor, offset or page number), (items, next position)."""
    base = target.base_url
    cfg = target.config
    if style.api == "cropster":

        def fetch(after: Any) -> tuple[int, Any]:
            body = {"params": {"filter": {}, "pagination": {"limit": PAGE, "after": after}}}
            data = client.post(f"{base}/inventory.green.listGreenLots", json=body).raise_for_status().json()
            return len(data["result"]["greenLots"]), data["meta"]["pagination"]["endCursor"]

    elif style.api == "agcatalog":

        def fetch(after: Any) -> tuple[int, Any]:
            params = {"size": PAGE, **({"current_key": after} if after else {})}
            url = f"{base}/v2/catalog/orgs/{cfg['ORG_ID']}/products"
            data = client.get(url, params=params).raise_for_status().json()
            return len(data["content"]), data["pagination"].get("next_key")

    elif style.api == "origintrace":

        def fetch(offset: Any) -> tuple[int, Any]:
            offset = offset or 0
            r = client.get(f"{base}/api/v1/batches", params={"limit": PAGE, "offset": offset})
            data = r.raise_for_status().json()
            n = len(data["data"])
            return n, (offset + n if offset + n < data["meta"]["total"] else None)

    else:

        def fetch(number: Any) -> tuple[int, Any]:
            number = number or 1
            url = f"{base}/tenants/{cfg['TENANT_ID']}/inbound-orders/search"
            r = client.post(
                url,
                params={"pageNumber": number, "pageSize": PAGE},
                json={"condition": {"type": "AndCondition", "conditions": []}},
            )
            r.raise_for_status()
            return len(r.json()), (number + 1 if number < int(r.headers["Total-Pages"]) else None)

    return fetch


def timed_run(fetch: Callable[[Any], tuple[int, Any]], budget: float, min_pages: int) -> dict[str, Any]:
    """Walks until at least `min_pages` pages are timed (or the budget is spent): one run."""
    walks, times = [], []
    started = time.perf_counter()
    while not walks or (len(times) < min_pages and time.perf_counter() - started < budget):
        walks.append(walk(fetch, budget))
        times += walks[-1]["times"]
    return {
        "pages": walks[0]["pages"],
        "walks": len(walks),
        "pages_timed": len(times),
        "complete": all(w["complete"] for w in walks),
        "median_page_ms": median(times) * 1000,
    }


def walk(fetch: Callable[[Any], tuple[int, Any]], budget: float) -> dict[str, Any]:
    times, items, position = [], 0, None
    started = time.perf_counter()
    while True:
        t = time.perf_counter()
        n, position = fetch(position)
        times.append(time.perf_counter() - t)
        items += n
        if position is None or time.perf_counter() - started > budget:
            break
    return {
        "pages": len(times),
        "items": items,
        "complete": position is None,
        "median_page_ms": median(times) * 1000,
        "total_s": sum(times),
        "times": times,
    }


def memory_child(api: str, count: int) -> int:
    """In a fresh process: the mock's RSS before and after `count` entities (printed as JSON)."""

    def rss_kib() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    style = next(s for s in STYLES if s.api == api)
    _target, app, _client = build(api)
    gc.collect()
    before = rss_kib()
    started = time.perf_counter()
    seed(app, style, count)
    seeding = time.perf_counter() - started
    gc.collect()
    after = rss_kib()
    print(json.dumps({"before_kib": before, "after_kib": after, "seed_s": seeding}))
    return 0


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per walk at most (default 20)")
    parser.add_argument("--api", action="append", default=[])
    parser.add_argument(
        "--min-pages", type=int, default=1000, help="pages timed per run, at least (default 1000)"
    )
    parser.add_argument("--memory-child", nargs=2, metavar=("API", "COUNT"), help=argparse_hidden())
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child[0], int(args.memory_child[1]))
    runs = 1 if args.quick else args.runs
    sizes = [200, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    budget = 2.0 if args.quick else args.budget
    min_pages = 1 if args.quick else args.min_pages
    styles = [s for s in STYLES if not args.api or s.api in args.api]
    report = Report("scale", quick=args.quick)
    rows = []
    for style in styles:
        target, app, client = build(style.api)
        fetch = page_fn(style, target, client)
        seeded = 0
        per_size = {}
        for size in sizes:
            started = time.perf_counter()
            seed(app, style, size - seeded)
            seed_s = time.perf_counter() - started
            seeded = size
            walks = [timed_run(fetch, budget, min_pages) for _ in range(runs)]
            per_size[size] = {
                "seed_s": round(seed_s, 2),
                "walks": [{**w, "median_page_ms": round(w["median_page_ms"], 3)} for w in walks],
                "median_page_ms": round(median([w["median_page_ms"] for w in walks]), 3),
                "pages_per_walk": walks[0]["pages"],
                "complete": all(w["complete"] for w in walks),
                "full_walk_s_estimate": round(
                    median([w["median_page_ms"] for w in walks]) / 1000 * -(-size // PAGE), 1
                ),
            }
            p = per_size[size]
            rows.append(
                [
                    style.api,
                    style.style,
                    size,
                    p["pages_per_walk"],
                    "yes" if p["complete"] else "no (budget)",
                    p["median_page_ms"],
                    p["full_walk_s_estimate"],
                ]
            )
        client.close()
        first, last = per_size[sizes[0]]["median_page_ms"], per_size[sizes[-1]]["median_page_ms"]
        drift = last / first - 1 if first else float("nan")
        report.figures.setdefault("pagination", {})[style.api] = {
            "style": style.style,
            "operation": style.operation,
            "page_size": PAGE,
            "sizes": per_size,
            "drift_first_to_last": round(drift, 2),
        }
        if not args.quick:
            report.target(
                f"per-page time flat, {style.api} {style.style}",
                f"within {TARGET_DRIFT:.0%} from {sizes[0]:,} to {sizes[-1]:,}",
                round(drift, 2),
                abs(drift) <= TARGET_DRIFT,
                f"{first:.2f} ms -> {last:.2f} ms per page",
            )
    table(
        [
            "api",
            "style",
            "entities",
            "pages walked",
            "walk complete",
            "median ms/page",
            "full walk (s, est.)",
        ],
        rows,
    )
    count = 2000 if args.quick else 100_000
    mem_rows = []
    for style in styles:
        proc = subprocess.run(
            [sys.executable, __file__, "--memory-child", style.api, str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(proc.stdout.strip().splitlines()[-1])
        delta = (m["after_kib"] - m["before_kib"]) / 1024
        report.figures.setdefault("memory", {})[style.api] = {
            "entities": count,
            "rss_before_mib": round(m["before_kib"] / 1024, 1),
            "rss_after_mib": round(m["after_kib"] / 1024, 1),
            "delta_mib": round(delta, 1),
            "bytes_per_entity": round(delta * 1024 * 1024 / count),
            "seed_s": round(m["seed_s"], 2),
        }
        mem_rows.append(
            [
                style.api,
                style.resource,
                count,
                round(m["before_kib"] / 1024, 1),
                round(m["after_kib"] / 1024, 1),
                round(delta * 1024 * 1024 / count),
                round(m["seed_s"], 2),
            ]
        )
    table(
        ["api", "resource", "entities", "RSS before (MiB)", "RSS after (MiB)", "bytes/entity", "seeding (s)"],
        mem_rows,
    )
    report.figures["settings"] = {"runs": runs, "sizes": sizes, "budget_s": budget, "page_size": PAGE}
    finish(report, args.output)
    return 0


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    raise SystemExit(main())
