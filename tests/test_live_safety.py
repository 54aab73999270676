"""Safe by construction against live targets. A recording server poses as a vendor sandbox (a
served Ag Catalog mock with its control plane hidden, recording every request): no write without
--allow-writes; a production host refused before any request; the ledger deletes exactly what the
run created, also when the run stops at a failure; a pre-existing entity is never touched; a budget
of N stops the run at N requests."""

from __future__ import annotations

import re

import pytest

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report

CONFORMANCE = str(SUITES / "conformance")
CATALOG = str(SUITES / "scenarios" / "agcatalog")
ENTITY = re.compile(r"^/v2/catalog/(products|items|fertilizers)/([0-9a-f-]{36})$")


class Recording:
    """An ASGI wrapper that records (method, path) of every request and hides /__mock__ (a vendor
    sandbox has no control plane)."""

    def __init__(self, app):
        self.app = app
        self.seen: list[tuple[str, str, int]] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].startswith("/__mock__"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})
            return None
        status = {}

        async def recording_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, recording_send)
        self.seen.append((scope["method"], scope["path"], status.get("code", 0)))
        return None


@pytest.fixture
def sandbox(serve, monkeypatch):
    app = create_mock("agcatalog", clock=VirtualClock(follow_real_time=True))
    existing = app.seed({"resource": "products", "count": 1})["ids"][0]  # the sandbox's own data
    recording = Recording(app)
    served = serve(recording)
    for name, value in served_mock_exports("agcatalog", app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    recording.existing = existing
    recording.port = served.port
    return recording


def _run(pytester, *args):
    return pytester.runpytest_subprocess(
        CONFORMANCE, CATALOG, "--target", "live", "--api", "agcatalog",
        "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider", *args,
    )  # fmt: skip


def _writes(seen):
    reads = ("/oauth/token",)
    return [
        (m, p) for m, p, _ in seen if m not in ("GET", "HEAD") and p not in reads and not p.endswith("/ids")
    ]


def test_no_write_without_allow_writes(pytester, sandbox):
    result = _run(pytester)
    assert result.ret == 0, result.stdout.str()[-2000:]
    assert sandbox.seen, "the run sent nothing at all"
    assert _writes(sandbox.seen) == []


def test_production_host_refused_before_any_request(pytester, sandbox, monkeypatch):
    monkeypatch.setenv("CONFORMANCE_AGCATALOG_BASE_URL", "https://api.cropwise.com")  # token URL stays local
    result = _run(pytester, "--allow-writes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*production host 'api.cropwise.com'*--allow-production*"])
    assert sandbox.seen == []


def _created_and_deleted(seen):
    created = {p for m, p, s in seen if m == "POST" and s == 201}
    deleted = {p for m, p, s in seen if m == "DELETE" and ENTITY.match(p)}
    return created, deleted


def test_the_ledger_deletes_exactly_what_the_run_created_even_when_it_stops_at_a_failure(
    pytester, sandbox, monkeypatch
):
    created_ids: list[str] = []
    original = sandbox.app.store.create

    def recording_create(namespace, data, entity_id=None):
        entity = original(namespace, data, entity_id)
        created_ids.append(entity.id)
        return entity

    monkeypatch.setattr(sandbox.app.store, "create", recording_create)
    # a sandbox that breaks a rule: the run fails and stops at the first failure (-x)
    monkeypatch.setattr(sandbox.app, "faults", frozenset({"name_not_freed"}))
    result = _run(pytester, "--allow-writes", "-x")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()[-2000:]
    assert created_ids, "the run created nothing"
    deleted = {ENTITY.match(p)[2] for m, p, _ in sandbox.seen if m == "DELETE" and ENTITY.match(p)}
    assert set(created_ids) <= deleted
    assert sandbox.existing not in deleted
    touched = [(m, p) for m, p, _ in sandbox.seen if sandbox.existing in p and m != "GET"]
    assert touched == []
    events = read_report(pytester.path / "r")["events"]
    assert sum(e["kind"] == "deleted" for e in events) >= len(set(created_ids))


def test_a_budget_of_n_stops_the_run_at_n_requests(pytester, sandbox):
    result = _run(pytester, "--request-budget", "15")
    assert len(sandbox.seen) == 15
    result.stdout.fnmatch_lines(["*the request budget of 15 for agcatalog is spent*"])
    report = read_report(pytester.path / "r")
    assert any("request budget of 15" in r["reason"] for r in report["results"])


GUARDED = """
import pytest

pytestmark = pytest.mark.capability("business")


def test_write_without_its_marker(contract, client, verify):
    body = client.example("createProduct")
    client.call("createProduct", json=body)


def test_change_an_entity_the_run_did_not_create(contract, client, verify):
    client.call("updateProduct", path_params={"product_id": "%s"}, json=client.example("updateProduct"))
"""


@pytest.mark.parametrize("allow_writes", [False, True])
def test_the_guard_refuses_before_sending_even_a_test_that_forgets_its_marker(
    pytester, sandbox, allow_writes
):
    suite = pytester.path / "suites" / "guarded"
    suite.mkdir(parents=True)
    (suite / "test_guarded.py").write_text(GUARDED % sandbox.existing)
    args = ["--allow-writes"] if allow_writes else []
    result = pytester.runpytest_subprocess(
        str(suite), "--target", "live", "--api", "agcatalog", "--report-dir", str(pytester.path / "r"),
        "-p", "no:cacheprovider", *args,
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()[-2000:]
    verdicts = {r["test"]: (r["verdict"], r["reason"]) for r in read_report(pytester.path / "r")["results"]}
    change = verdicts["test_change_an_entity_the_run_did_not_create"]
    if allow_writes:
        assert verdicts["test_write_without_its_marker"][0] == "pass"
        assert change[0] == "skip" and f"{sandbox.existing}, which this run did not create" in change[1]
    else:
        write = verdicts["test_write_without_its_marker"]
        assert write[0] == "skip" and "a live run writes only with --allow-writes" in write[1]
        assert change[0] == "skip" and "a live run writes only with --allow-writes" in change[1]
        assert _writes(sandbox.seen) == []
    assert not [(m, p) for m, p, _ in sandbox.seen if sandbox.existing in p]
