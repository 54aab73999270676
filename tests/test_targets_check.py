"""`conformance targets check` validates a live configuration without writing: against a served
mock every API is ok; with a variable missing it names the variable and exits 2."""

from __future__ import annotations

import pytest

from conformance.cli import main
from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports


@pytest.fixture
def served(serve, monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("CONFORMANCE_") and name != "CONFORMANCE_CONTRACTS_DIR":
            monkeypatch.delenv(name)
    seen: list[tuple[str, str]] = []

    def start(api):
        app = create_mock(api, clock=VirtualClock(follow_real_time=True))

        async def recording(scope, receive, send):
            if scope["type"] == "http":
                seen.append((scope["method"], scope["path"]))
            await app(scope, receive, send)

        port = serve(recording).port
        for name, value in served_mock_exports(api, app, "127.0.0.1", port).items():
            monkeypatch.setenv(name, value)
        return seen

    return start


@pytest.mark.parametrize("api", ["cartoncloud", "cropster", "origintrace", "agcatalog", "grafterr"])
def test_a_served_mock_checks_ok_and_nothing_is_written(served, capsys, api):
    seen = served(api)
    assert main(["targets", "check", "--api", api]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok       {api}: ")
    from conformance.contracts import load_contract

    contract = load_contract(api)
    token_path = (
        contract.operation(contract.profile.operations.token).path
        if contract.profile.operations.token
        else ""
    )
    reads = [(m, p) for m, p in seen if not p.startswith("/__mock__")]
    assert reads and all(m == "GET" or p.endswith(token_path) or "list" in p for m, p in reads), reads


def test_a_missing_variable_is_named_and_exits_2(served, capsys, monkeypatch):
    served("cartoncloud")
    monkeypatch.delenv("CONFORMANCE_CARTONCLOUD_TENANT_ID")
    assert main(["targets", "check", "--api", "cartoncloud"]) == 2
    out = capsys.readouterr().out
    assert "missing  cartoncloud" in out and "CONFORMANCE_CARTONCLOUD_TENANT_ID" in out


def test_a_refused_credential_exits_1(served, capsys, monkeypatch):
    served("cropster")
    monkeypatch.setenv("CONFORMANCE_CROPSTER_CLIENT_SECRET", "wrong-secret-value")
    assert main(["targets", "check", "--api", "cropster"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("refused  cropster") and "wrong-secret-value" not in out
