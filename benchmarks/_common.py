"""Shared by the benchmark scripts: the machine, medians, peak memory of a process tree, free
loopback ports, the JSON result file and the printed table. Not a test helper: speed goals live
in the scripts' own output, never in an assertion."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
LOOPBACK = "127.0.0.1"


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def cpu_loop_ms(runs: int = 5) -> float:
    """The host's pure-Python speed on one core: the fastest of `runs` timings of one fixed loop
    (10^6 iterations). Hosts of one kind differ (the fourth pass's took 1.5x the third's time for
    the same main job): a figure is comparable with another host's only next to this one."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        _loop(1_000_000)
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def machine() -> dict[str, Any]:
    """What the figures were measured on (load average sampled now)."""
    mem_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": loadavg(),
        "cpu_loop_ms": cpu_loop_ms(),
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def base_parser(doc: str | None, *, runs: int = 5) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--runs", type=int, default=runs, help=f"repetitions; the median is reported (default {runs})"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke mode: 1 run, tiny sizes, seconds (tests/test_benchmarks.py)",
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="the JSON file (default benchmarks/results/NAME.json)"
    )
    return parser


def free_port() -> int:
    from conformance.core.asgi import free_port as loopback_port

    return loopback_port(LOOPBACK)


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen[Any] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {LOOPBACK}:{port} after {timeout:g} s")


def _tree_rss_kib(root: int) -> int:
    """RSS of `root` and all its descendants (from /proc), in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        ppid = 0
        for line in status.splitlines():
            if line.startswith("PPid:"):
                ppid = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Measured:
    wall: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mib: float  # the largest sum of the process tree's RSS seen (sampled every 50 ms)


def run_measured(
    cmd: Sequence[str], *, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 900
) -> Measured:
    """Run `cmd`, timing it and sampling the RSS of its whole process tree (xdist workers too)."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        if proc.poll() is None:
            proc.kill()
    return Measured(time.perf_counter() - started, proc.returncode, out, err, round(peak / 1024, 1))


@contextlib.contextmanager
def server(
    cmd: Sequence[str], port: int, *, cwd: Path = REPO, timeout: float = 60.0
) -> Iterator[subprocess.Popen[Any]]:
    """A server process listening on 127.0.0.1:`port` for the duration of the block."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, timeout, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Report:
    """One benchmark's figures: written as JSON and printed as a table."""

    name: str
    command: str = field(default_factory=lambda: " ".join([Path(sys.executable).name, *sys.argv]))
    quick: bool = False
    started: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    machine_before: dict[str, Any] = field(default_factory=machine)
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def target(self, name: str, goal: str, value: float | None, met: bool | None, detail: str = "") -> None:
        self.targets.append({"target": name, "goal": goal, "value": value, "met": met, "detail": detail})

    def write(self, output: Path | None) -> Path:
        path = output or RESULTS / (f"{self.name}.quick.json" if self.quick else f"{self.name}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "benchmark": self.name,
            "command": self.command,
            "quick": self.quick,
            "started": self.started,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {**self.machine_before, "loadavg_after": loadavg()},
            "figures": self.figures,
            "targets": self.targets,
            "notes": self.notes,
        }
        path.write_text(json.dumps(data, indent=2) + "\n")
        return path

    def print_targets(self) -> None:
        if not self.targets:
            return
        rows = [
            [
                t["target"],
                t["goal"],
                "" if t["value"] is None else f"{t['value']:g}",
                _met(t["met"]),
                t["detail"],
            ]
            for t in self.targets
        ]
        table(["target", "goal", "value", "where we stand", "detail"], rows)


def _met(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "MISSED")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain-text table on stdout."""
    cells = [[str(h) for h in headers], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def finish(report: Report, output: Path | None) -> None:
    report.print_targets()
    for note in report.notes:
        print(f"note: {note}")
    machine_now = loadavg()
    print(
        f"machine: {report.machine_before['nproc']} cores, {report.machine_before['memory_gib']} GiB, "
        f"Python {report.machine_before['python']}, CPU loop {report.machine_before.get('cpu_loop_ms')} ms; "
        f"load average before {report.machine_before['loadavg']}, "
        f"after {machine_now}"
    )
    path = report.write(output)
    print(f"figures written to {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


@contextlib.contextmanager
def served_mock(api: str, *, unlimited: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
    """`benchmarks/_serve.py` on a free port: (port, the CONFORMANCE_<API>_* exports)."""
    port = free_port()
    cmd = [sys.executable, str(REPO / "benchmarks" / "_serve.py"), "--api", api, "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, *(["--unlimited"] if unlimited else [])],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{api} mock did not start: {proc.stderr.read() if proc.stderr else ''}")
        wait_for_port(port, 30, proc)
        yield port, json.loads(line)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def served_setup(api: str, exports: dict[str, str]) -> dict[str, Any]:
    """What a tool needs to call the served mock: the base URL, the contract's required headers
    and the default identity's credentials (a token fetched the harness's own way), the path
    parameters the profile fixes (tenant, organisation), and the operations served from another
    host (never called: loopback only)."""
    import httpx

    sys.path.insert(0, str(REPO / "src"))
    from conformance.contracts import load_contract
    from conformance.targets import live_config, live_target

    contract = load_contract(api)
    config = live_config(contract, exports)
    target = live_target(contract, config, allow_writes=True)
    with httpx.Client(auth=target.auth_for(), timeout=10) as http:
        sent = http.get(config["BASE_URL"] + "/__benchmark_probe__").request
    creds = {k: sent.headers[k] for k in ("authorization", "x-api-key") if k in sent.headers}
    return {
        "base_url": config["BASE_URL"],
        "headers": {**contract.required_headers(), **creds},
        "path_values": target.path_values(),
        "other_host_operations": sorted(op for op, spec in contract.operations.items() if spec.server),
        "config": config,
    }
