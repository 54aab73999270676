"""Mocks register themselves: the built-in ones and a `mock.py` beside a contract are found
without any list naming them."""

from __future__ import annotations

import asyncio
import textwrap

import httpx
import pytest

from conformance.contracts import available_apis
from conformance.mocks import (
    DuplicateMock,
    MockApp,
    NoMock,
    available_mocks,
    create_mock,
    mock_class,
    mock_faults,
    registry,
)

TOY_MOCK = """
from __future__ import annotations

from conformance.mocks import Fault, MockApp, fault_table
from conformance.mocks.blocks.errors import json_response


class ToyMock(MockApp):
    api = "toy"
    FAULTS = fault_table(shout=Fault("greets in capitals", breaks="toy_greeting_lowercase"))

    def reset(self):
        self.greeted = 0

    async def handle(self, request):
        self.greeted += 1
        text = f"hello #{self.greeted} at {request.url.path}"
        return json_response({"greeting": text.upper() if self.fault("shout") else text})

    def demo_config(self):
        return {}
"""


@pytest.fixture(autouse=True)
def fresh_discovery():
    registry._reset_for_tests()
    yield
    registry._reset_for_tests()


def _contract(root, api, mock_source):
    directory = root / api
    directory.mkdir(parents=True)
    (directory / "openapi.yaml").write_text("openapi: 3.1.0\n")
    (directory / "profile.yaml").write_text(f"api: {api}\n")
    (directory / "mock.py").write_text(textwrap.dedent(mock_source))
    return directory


def _get(app, path):
    async def go():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as http:
            return await http.get(path)

    return asyncio.run(go())


def test_the_built_in_mocks_serve_every_contract_of_the_repository():
    assert set(available_apis()) <= set(available_mocks())
    for api in available_mocks():
        assert mock_class(api).api == api


def test_a_mock_beside_a_contract_is_discovered_and_serves(tmp_path, monkeypatch):
    _contract(tmp_path / "contracts", "toy", TOY_MOCK)
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "contracts"))
    assert "toy" in available_mocks()
    assert {"cartoncloud", "toy"} <= set(available_mocks())
    assert mock_faults("toy")["shout"].breaks == {"toy_greeting_lowercase"}

    app = create_mock("toy")
    response = _get(app, "/hi")
    assert (response.status_code, response.json()) == (200, {"greeting": "hello #1 at /hi"})
    loud = create_mock("toy", faults=["shout"])
    assert _get(loud, "/hi").json() == {"greeting": "HELLO #1 AT /HI"}
    assert _get(loud, "/__mock__").json()["available_faults"] == {"shout": "greets in capitals"}


def test_another_contracts_dir_forgets_the_previous_ones_mocks(tmp_path, monkeypatch):
    _contract(tmp_path / "a", "toy", TOY_MOCK)
    (tmp_path / "b").mkdir()
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "a"))
    assert "toy" in available_mocks()
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "b"))
    with pytest.raises(NoMock, match=r"no mock for API 'toy'\. Mocks exist for: agcatalog, cartoncloud"):
        mock_class("toy")
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "a"))
    assert create_mock("toy").api == "toy"  # the same file imports again without a duplicate


def test_a_mock_py_without_its_contract_files_is_not_imported(tmp_path, monkeypatch):
    directory = tmp_path / "contracts" / "toy"
    directory.mkdir(parents=True)
    (directory / "mock.py").write_text(TOY_MOCK)
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "contracts"))
    assert "toy" not in available_mocks()


def test_two_mocks_for_one_api_is_an_error_naming_both(tmp_path, monkeypatch):
    _contract(tmp_path / "contracts", "cartoncloud", TOY_MOCK.replace('api = "toy"', 'api = "cartoncloud"'))
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "contracts"))
    with pytest.raises(
        DuplicateMock, match=r"'cartoncloud': conformance\.mocks\.cartoncloud.*CartonCloudMock and "
    ):
        available_mocks()
    monkeypatch.delenv("CONFORMANCE_CONTRACTS_DIR")
    assert mock_class("cartoncloud").__name__ == "CartonCloudMock"  # the built-in one is untouched


def test_a_mock_py_that_fails_to_import_names_its_file(tmp_path, monkeypatch):
    _contract(tmp_path / "contracts", "toy", TOY_MOCK + "\nraise RuntimeError('broken toy')\n")
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(tmp_path / "contracts"))
    with pytest.raises(RuntimeError, match="broken toy") as excinfo:
        available_mocks()
    assert any(str(tmp_path / "contracts" / "toy" / "mock.py") in note for note in excinfo.value.__notes__)
    monkeypatch.delenv("CONFORMANCE_CONTRACTS_DIR")
    assert "toy" not in available_mocks()  # the half-imported class did not stay registered


def test_a_subclass_that_sets_api_registers_and_one_that_does_not_stays_out():
    class Variant(mock_class("grafterr")):  # type: ignore[misc]
        pass

    assert mock_class("grafterr") is not Variant
    with pytest.raises(DuplicateMock, match=r"'grafterr'.*GrafterrMock and .*<locals>\.Copy;"):

        class Copy(MockApp):
            api = "grafterr"


def test_faults_must_be_typed():
    with pytest.raises(TypeError, match=r"FAULTS\['x'\]: expected a Fault, got str"):

        class Untyped(MockApp):
            api = "untyped"
            FAULTS = {"x": "a plain description"}  # type: ignore[dict-item]

    assert "untyped" not in available_mocks()


def test_unknown_api_lists_the_mocks_that_exist():
    with pytest.raises(
        NoMock, match="no mock for API 'nope'. Mocks exist for: agcatalog, cartoncloud, cropster"
    ):
        create_mock("nope")
