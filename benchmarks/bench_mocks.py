"""Mock throughput and latency over HTTP, side by side with Stoplight Prism mocking the same
contract: one read and one write operation per API, each driven by `wrk` (one thread, a fixed
number of keep-alive connections, a fixed duration; every write body unique) against

- our mock, served as `conformance mock serve` serves it (uvicorn, one process, access log off;
  benchmarks/_serve.py --unlimited: the rate limiters raised out of reach, since Prism has none
  and a load generator would otherwise measure 429s), and
- `prism mock contracts/<api>/openapi.yaml` (@stoplight/prism-cli 5.14.2, benchmarks/package.json;
  static examples, request validation on, as Prism runs by default).

Both are checked first with one request (2xx expected from each) and warmed up for a second
(not counted); wrk's count of non-2xx answers is reported. Runs alternate between the two
servers, so drifting load hits both alike.

Set-up (done here when missing): `apt-get install -y wrk` (root), `npm ci --prefix benchmarks`.

    python benchmarks/bench_mocks.py [--runs 5] [--duration 3] [--connections 10] [--api ID] [--quick]

Target (where we stand): every mock >= 2x Prism's requests/s on the same operation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from _common import (
    LOOPBACK,
    REPO,
    Report,
    base_parser,
    finish,
    free_port,
    median,
    served_mock,
    served_setup,
    table,
    wait_for_port,
)

APIS = ["agcatalog", "cartoncloud", "cropster", "grafterr", "origintrace"]
BENCH = REPO / "benchmarks"
PRISM = BENCH / "node_modules" / ".bin" / "prism"
UNIQUE = "__UNIQUE__"
TARGET_RATIO = 2.0


@dataclass
class Call:
    """One operation as wrk sends it: method, path below the base URL, headers, a body template
    (UNIQUE replaced per request)."""

    operation: str
    method: str
    path: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def body_text(self, unique: str) -> str | None:
        return None if self.body is None else json.dumps(self.body).replace(UNIQUE, unique)


def example(contract: Any, operation: str, values: dict[str, str]) -> Any:
    """The operation's documented request example, its templates filled ({unique} left for wrk)."""
    text = json.dumps(contract.operation(operation).request_example)
    text = text.replace("{unique}", UNIQUE)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return json.loads(text)


def calls(api: str, setup: dict[str, Any], http: httpx.Client) -> dict[str, Call]:
    """The read and the write of `api`; a read of one entity first creates it on our mock."""
    sys.path.insert(0, str(REPO / "src"))
    from conformance.contracts import load_contract

    contract = load_contract(api)
    cfg = setup["config"]
    base = setup["base_url"]
    values = {k: v for k, v in cfg.items() if k.endswith("_ID")}
    json_ct = {"Content-Type": "application/json"}

    def create(call: Call, pointer: str) -> str:
        call.headers = {**setup["headers"], **call.headers}
        response = http.request(
            call.method, base + call.path, content=call.body_text(uuid.uuid4().hex), headers=call.headers
        )
        response.raise_for_status()
        node: Any = response.json()
        for part in pointer.strip("/").split("/"):
            node = node[part]
        return str(node)

    if api == "agcatalog":
        write = Call(
            "createProduct", "POST", "/v2/catalog/products", example(contract, "createProduct", values)
        )
        write.headers = json_ct
        product = create(write, "/id")
        read = Call("getProduct", "GET", f"/v2/catalog/products/{product}")
    elif api == "cartoncloud":
        tenant = cfg["TENANT_ID"]
        write = Call(
            "createInboundOrder",
            "POST",
            f"/tenants/{tenant}/inbound-orders",
            example(contract, "createInboundOrder", values),
            json_ct,
        )
        order = create(write, "/id")
        read = Call("getInboundOrder", "GET", f"/tenants/{tenant}/inbound-orders/{order}")
    elif api == "cropster":
        write = Call(
            "importGreenLot",
            "POST",
            "/inventory.green.importGreenLot",
            example(contract, "importGreenLot", values),
            json_ct,
        )
        read = Call(
            "listGreenLots",
            "POST",
            "/inventory.green.listGreenLots",
            example(contract, "listGreenLots", values),
            json_ct,
        )
    elif api == "grafterr":
        write = Call(
            "createOrder", "POST", "/v1/order/create", example(contract, "createOrder", values), json_ct
        )
        read = Call("readMenu", "GET", "/v1/menu/read")
    elif api == "origintrace":
        body = example(contract, "createApiKey", values)
        body["name"] = f"bench {UNIQUE}"
        cookie = {"Cookie": cfg["SESSION_COOKIE"]}
        write = Call("createApiKey", "POST", "/api/keys", body, {**json_ct, **cookie})
        read = Call("listBatches", "GET", "/api/v1/batches")
    else:
        raise SystemExit(f"no read/write operations chosen for {api}")
    for call in (read, write):
        call.headers = {**setup["headers"], **call.headers}
        if api == "origintrace" and call is write:
            call.headers.pop("authorization", None)  # key management takes the admin session only
    return {"read": read, "write": write}


LUA = """
local counter = 0
local prefix = "%(prefix)s"
local template = %(template)s
wrk.method = "%(method)s"
%(headers)s
request = function()
  counter = counter + 1
  local body = nil
  if template ~= nil then
    body = string.gsub(template, "%(unique)s", prefix .. "-" .. counter)
  end
  return wrk.format(nil, "%(path)s", nil, body)
end
"""


def lua_script(call: Call, path: str) -> str:
    template = "nil" if call.body is None else "[==[" + json.dumps(call.body) + "]==]"
    headers = "\n".join(f'wrk.headers["{k}"] = [==[{v}]==]' for k, v in call.headers.items())
    return LUA % {
        "prefix": uuid.uuid4().hex[:12],
        "template": template,
        "method": call.method,
        "headers": headers,
        "unique": UNIQUE.replace("_", "%_"),
        "path": path,
    }


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, call: Call, path: str, duration: float, connections: int) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(call, path))
    try:
        proc = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency", "-s", script.name, url],
            capture_output=True,
            text=True,
            timeout=duration + 60,
        )
    finally:
        os.unlink(script.name)
    out = proc.stdout
    if proc.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {out}\n{proc.stderr}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(x) for x in errors.groups()) if errors else 0,
    )


def ensure_tools(notes: list[str]) -> None:
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            raise SystemExit("wrk is missing: apt-get install -y wrk (as root)")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        notes.append("installed wrk with apt-get")
    if not PRISM.exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], check=True, capture_output=True
        )
        notes.append("installed Prism with npm ci --prefix benchmarks")
    version = subprocess.run([str(PRISM), "--version"], capture_output=True, text=True).stdout.strip()
    notes.append(f"wrk: {subprocess.run(['wrk', '-v'], capture_output=True, text=True).stdout.split()[1]}")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    notes.append(f"prism: {version}; node: {node}")


@contextlib.contextmanager
def prism(api: str) -> Iterator[int]:
    port = free_port()
    cmd = [
        str(PRISM),
        "mock",
        str(REPO / "contracts" / api / "openapi.yaml"),
        "-h",
        LOOPBACK,
        "-p",
        str(port),
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, 60, proc)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prism_path(http: httpx.Client, port: int, base_url: str, call: Call) -> str:
    """The path Prism answers `call` on with a 2xx: the contract path with or without the server
    URL's base path (Prism matches paths as the document writes them)."""
    base_path = httpx.URL(base_url).path.rstrip("/")
    candidates = [call.path, base_path + call.path] if base_path else [call.path]
    seen = []
    for path in candidates:
        r = http.request(
            call.method,
            f"http://{LOOPBACK}:{port}{path}",
            content=call.body_text("probe"),
            headers=call.headers,
        )
        if r.is_success:
            return path
        seen.append(f"{path}: HTTP {r.status_code} {r.text[:300]}")
    raise RuntimeError(f"Prism answered no 2xx for {call.operation}: {seen}")


def main() -> int:
    parser = base_parser(__doc__)
    parser.add_argument("--api", action="append", default=[])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk run (default 3)")
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    duration = 1.0 if args.quick else args.duration
    apis = args.api or (["grafterr"] if args.quick else APIS)
    report = Report("mocks", quick=args.quick)
    ensure_tools(report.notes)
    results: dict[str, dict[str, dict[str, list[WrkResult]]]] = defaultdict(lambda: defaultdict(dict))
    for api in apis:
        with served_mock(api, unlimited=True) as (port, exports), prism(api) as prism_port:
            setup = served_setup(api, exports)
            with httpx.Client(timeout=10) as http:
                ops = calls(api, setup, http)
                ours_base = setup["base_url"]
                paths = {}
                for kind, call in ops.items():
                    r = http.request(
                        call.method,
                        ours_base + call.path,
                        content=call.body_text("probe"),
                        headers=call.headers,
                    )
                    if not r.is_success:
                        raise RuntimeError(
                            f"our {api} mock: {call.operation} -> HTTP {r.status_code} {r.text[:300]}"
                        )
                    paths[kind] = prism_path(http, prism_port, ours_base, call)
            ours_path = httpx.URL(ours_base).path.rstrip("/")
            for kind, call in ops.items():
                results[api][kind] = {"mock": [], "prism": []}
                # a warm-up second each, not counted (Node's JIT, Python's caches)
                wrk(f"http://{LOOPBACK}:{port}", call, ours_path + call.path, 1.0, args.connections)
                wrk(f"http://{LOOPBACK}:{prism_port}", call, paths[kind], 1.0, args.connections)
                for _ in range(runs):
                    results[api][kind]["mock"].append(
                        wrk(
                            f"http://{LOOPBACK}:{port}",
                            call,
                            ours_path + call.path,
                            duration,
                            args.connections,
                        )
                    )
                    results[api][kind]["prism"].append(
                        wrk(f"http://{LOOPBACK}:{prism_port}", call, paths[kind], duration, args.connections)
                    )
                report.figures.setdefault(api, {})[kind] = {
                    "operation": call.operation,
                    "method": call.method,
                    "path": call.path,
                    **{
                        server: {
                            "rps": [round(r.rps, 1) for r in rs],
                            "rps_median": round(median([r.rps for r in rs]), 1),
                            "p50_ms_median": round(median([r.p50_ms for r in rs]), 2),
                            "p99_ms_median": round(median([r.p99_ms for r in rs]), 2),
                            "requests": sum(r.requests for r in rs),
                            "non_2xx": sum(r.non_2xx for r in rs),
                            "socket_errors": sum(r.errors for r in rs),
                        }
                        for server, rs in results[api][kind].items()
                    },
                }
                fig = report.figures[api][kind]
                fig["ratio_rps"] = round(fig["mock"]["rps_median"] / fig["prism"]["rps_median"], 2)
    rows = []
    for api in apis:
        for kind in ("read", "write"):
            f = report.figures[api][kind]
            m, p = f["mock"], f["prism"]
            rows.append(
                [
                    f"{api} {kind}",
                    f"{f['method']} {f['operation']}",
                    m["rps_median"],
                    m["p50_ms_median"],
                    m["p99_ms_median"],
                    m["non_2xx"],
                    p["rps_median"],
                    p["p50_ms_median"],
                    p["p99_ms_median"],
                    p["non_2xx"],
                    f"{f['ratio_rps']:.2f}x",
                ]
            )
            if not args.quick:
                report.target(
                    f"{api} {kind} ({f['operation']})",
                    f">= {TARGET_RATIO:g}x Prism req/s",
                    f["ratio_rps"],
                    f["ratio_rps"] >= TARGET_RATIO,
                )
    table(
        [
            "api op",
            "operation",
            "mock req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "prism req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "mock/prism",
        ],
        rows,
    )
    report.figures["settings"] = {
        "runs": runs,
        "duration_s": duration,
        "connections": args.connections,
        "wrk_threads": 1,
    }
    finish(report, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
