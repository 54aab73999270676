"""Client-side tests: request shapes taken from the vendor's docs and from real integrations, sent
with plain httpx to a CartonCloud mock served over HTTP (no harness client, no ASGI shortcut).
The mock's clock follows real time; tests move it through the control plane, never by sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.cartoncloud import DEFAULT_CREDENTIALS, TENANT_ID
from tests.conftest import ServedApp


@dataclass
class Served:
    """A served CartonCloud mock as an integration sees it: a root URL, a tenant, a token."""

    root: str
    http: httpx.Client  # Accept-Version and the bearer token already set
    control: httpx.Client
    plain: httpx.Client  # no headers of its own

    @property
    def tenant(self) -> str:
        return f"/tenants/{TENANT_ID}"

    def advance(self, seconds: float) -> None:
        assert self.control.post("/clock/advance", json={"seconds": seconds}).status_code == 200

    def new_token(self) -> None:
        """A fresh token (after the clock moved past the old one's expires_in, as a client would)."""
        self.http.headers["Authorization"] = f"Bearer {token(self.root, self.plain)}"

    def seed(self, resource: str, **payload: Any) -> list[str]:
        answer = self.control.post("/seed", json={"resource": resource, **payload})
        assert answer.status_code == 200, answer.text
        return list(answer.json()["ids"])

    def search(self, resource: str, body: Any, **params: Any) -> httpx.Response:
        return self.http.post(f"{self.tenant}/{resource}/search", json=body, params=params)

    def search_all(
        self, resource: str, condition: dict[str, Any] | None, size: int = 7
    ) -> list[dict[str, Any]]:
        """Every page of a search, the way the vendor's integrations walk it (page/size, Total-Pages)."""
        found, page, pages = [], 1, 1
        body = {} if condition is None else {"condition": condition}
        while page <= pages:
            answer = self.search(resource, body, page=page, size=size)
            assert answer.status_code == 200, answer.text
            found += answer.json()
            pages = int(answer.headers["Total-Pages"])
            page += 1
        return found


def token(root: str, http: httpx.Client | None = None) -> str:
    post = http.post if http is not None else httpx.post
    answer = post(
        f"{root}/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
        headers={"Accept-Version": "1"},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, httpx.Client, httpx.Client, httpx.Client]]:
    """One served mock per module, and its clients (a server or a client per test costs more
    than the tests themselves)."""
    with ServedApp(create_mock("cartoncloud", clock=VirtualClock(follow_real_time=True))) as app:
        root = f"http://127.0.0.1:{app.port}"
        with (
            httpx.Client(base_url=root) as http,
            httpx.Client(base_url=root + "/__mock__") as control,
            httpx.Client() as plain,
        ):
            yield root, http, control, plain


@pytest.fixture
def cc(served: tuple[str, httpx.Client, httpx.Client, httpx.Client]) -> Served:
    """The served mock, reset: every test starts from the default data set with a fresh token."""
    root, http, control, plain = served
    assert control.post("/reset").status_code == 200
    http.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {token(root, plain)}"})
    return Served(root, http, control, plain)
