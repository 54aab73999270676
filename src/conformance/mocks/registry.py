"""Which mock serves which contract id, discovered rather than listed.

A mock is a `MockApp` subclass that sets `api`; defining it registers it. Discovery imports, on
first use, every module and package of `conformance.mocks` (except `blocks`) and, for each
contract of the contracts directory, `<contracts_dir>/<api>/mock.py` when there is one. A new
API is therefore its contract files plus one mock module, and no list here changes.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from conformance.contracts import available_apis, default_contracts_dir
from conformance.mocks.blocks.app import MockApp, _unregister, registered_mocks
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.faults import Fault
from conformance.mocks.blocks.personas import Persona

__all__ = [
    "NoMock",
    "available_mocks",
    "create_mock",
    "mock_class",
    "mock_faults",
    "mock_personas",
]

_PACKAGE = "conformance.mocks"
_SKIPPED = frozenset({"blocks", "registry"})
_CONTRACT_MOCKS = "_conformance_contract_mock"  # module-name prefix of <contracts_dir>/<api>/mock.py


class NoMock(LookupError):
    def __init__(self, api: str, known: Iterable[str]) -> None:
        super().__init__(f"no mock for API {api!r}. Mocks exist for: {', '.join(sorted(known)) or 'none'}")
        self.api = api


class _Discovery:
    """What has been imported: the built-in mocks once, the contract-dir mocks per directory."""

    def __init__(self) -> None:
        self.builtin_done = False
        self.contracts_dir: Path | None = None
        self.contract_modules: list[str] = []

    def ensure(self) -> None:
        if not self.builtin_done:
            package = importlib.import_module(_PACKAGE)
            for info in pkgutil.iter_modules(package.__path__):
                if info.name not in _SKIPPED:
                    importlib.import_module(f"{_PACKAGE}.{info.name}")
            self.builtin_done = True
        root = default_contracts_dir().resolve()
        if root != self.contracts_dir:
            self.forget_contract_mocks()
            for api in _apis_with_mock(root):
                self.contract_modules.append(_import_contract_mock(root, api))
            self.contracts_dir = root

    def forget_contract_mocks(self) -> None:
        for name in self.contract_modules:
            _forget_module(name)
        self.contract_modules = []
        self.contracts_dir = None


_discovery = _Discovery()


def _apis_with_mock(root: Path) -> list[str]:
    return [api for api in available_apis(root) if (root / api / "mock.py").is_file()]


def _import_contract_mock(root: Path, api: str) -> str:
    path = root / api / "mock.py"
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    name = f"{_CONTRACT_MOCKS}_{api}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the mock {path}", path=str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look classes up by their module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        _forget_module(name)
        exc.add_note(f"while importing the mock of contract {api!r}: {path}")
        raise
    return name


def _forget_module(name: str) -> None:
    sys.modules.pop(name, None)
    for cls in registered_mocks().values():
        if cls.__module__ == name:
            _unregister(cls)


def _registered() -> dict[str, type[MockApp]]:
    _discovery.ensure()
    return registered_mocks()


def _reset_for_tests() -> None:
    """Forget the mocks imported from a contracts directory, so the next lookup discovers again."""
    _discovery.forget_contract_mocks()


def available_mocks() -> list[str]:
    """The contract ids that have a mock, sorted."""
    return sorted(_registered())


def mock_class(api: str) -> type[MockApp]:
    mocks = _registered()
    try:
        return mocks[api]
    except KeyError:
        raise NoMock(api, mocks) from None


def mock_faults(api: str) -> Mapping[str, Fault]:
    """The faults the mock of `api` declares, by name."""
    return mock_class(api).FAULTS


def mock_personas(api: str) -> Mapping[str, Persona]:
    """The personas the mock of `api` can run as, by name."""
    return mock_class(api).PERSONAS


def create_mock(
    api: str,
    *,
    faults: Iterable[str] = (),
    clock: VirtualClock | None = None,
    credentials: Mapping[str, str] | None = None,
    persona: str | None = None,
    **kwargs: Any,
) -> MockApp:
    cls = mock_class(api)
    if persona is not None:
        kwargs["persona"] = persona
    if credentials is not None:
        kwargs["credentials"] = credentials
    return cls(faults=faults, clock=clock, **kwargs)
