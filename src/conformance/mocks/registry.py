"""Which mock serves which contract id; built lazily so importing one mock never imports all."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

from conformance.mocks.blocks.app import MockApp
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.faults import Fault

MOCKS: dict[str, str] = {
    "cartoncloud": "conformance.mocks.cartoncloud:CartonCloudMock",
    "cropster": "conformance.mocks.cropster:CropsterMock",
    "origintrace": "conformance.mocks.origintrace:OriginTraceMock",
    "agcatalog": "conformance.mocks.agcatalog:AgCatalogMock",
    "grafterr": "conformance.mocks.grafterr:GrafterrMock",
}


class NoMock(LookupError):
    def __init__(self, api: str) -> None:
        super().__init__(f"no mock for API {api!r}. Mocks exist for: {', '.join(sorted(MOCKS))}")


def mock_class(api: str) -> type[MockApp]:
    try:
        module_name, _, attr = MOCKS[api].partition(":")
    except KeyError:
        raise NoMock(api) from None
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, MockApp)):
        raise TypeError(f"{MOCKS[api]} is not a MockApp")
    return cls


def mock_faults(api: str) -> Mapping[str, Fault]:
    return mock_class(api).FAULTS


def create_mock(
    api: str,
    *,
    faults: Iterable[str] = (),
    clock: VirtualClock | None = None,
    credentials: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> MockApp:
    cls = mock_class(api)
    if credentials is not None:
        kwargs["credentials"] = credentials
    return cls(faults=faults, clock=clock, **kwargs)
