"""The OriginTrace mock: every `/api/v1/…` request is authenticated before routing (CONTRACT-DECISIONS,
origintrace, revised: the vendor's middleware), so an unknown path says 401 to a stranger and 404
only to a caller with a valid key."""

from __future__ import annotations

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock


@pytest.fixture
def app_and_key():
    app = create_mock("origintrace")
    return httpx.Client(transport=SyncASGITransport(app), base_url="http://mock"), app.credentials["API_KEY"]


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/batches/extra", "/api/v1/"])
def test_unknown_api_v1_path_without_a_valid_key_is_401(app_and_key, path):
    client, _ = app_and_key
    for headers in ({}, {"Authorization": "Bearer not-a-key"}):
        response = client.get(path, headers=headers)
        assert (response.status_code, response.json()) == (401, {"error": "Invalid or expired API key"})


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/batches/extra", "/api/v1/"])
def test_unknown_api_v1_path_with_a_valid_key_is_404_error_object(app_and_key, path):
    client, key = app_and_key
    response = client.get(path, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_wrong_method_on_a_route_is_authenticated_first(app_and_key):
    client, key = app_and_key
    assert client.post("/api/v1/batches").status_code == 401
    allowed = client.post("/api/v1/batches", headers={"Authorization": f"Bearer {key}"})
    assert (allowed.status_code, allowed.headers["allow"]) == (405, "GET")


def test_known_route_still_lists_with_a_valid_key(app_and_key):
    client, key = app_and_key
    response = client.get("/api/v1/farms", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.json()["meta"]["total"] == 0


def test_paths_outside_api_v1_are_404_without_authentication(app_and_key):
    client, _ = app_and_key
    assert client.get("/nope").status_code == 404
