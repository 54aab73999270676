"""Each OriginTrace persona really chooses otherwise where the documents are silent: the persona
matrix (tests/test_personas.py) only means something if every persona differs from the default."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock, mock_personas

KEYS = "/api/keys"
FULL_KEY = {"name": "ci", "scopes": ["read"], "expires_in_days": 30, "rate_limit_per_hour": 50}


def _mock(persona: str | None = None) -> tuple[Any, httpx.Client]:
    app = create_mock("origintrace", persona=persona)
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    config = app.demo_config()
    client.headers["Authorization"] = f"Bearer {config['API_KEY']}"
    cookie, _, session = config["SESSION_COOKIE"].partition("=")
    client.cookies.set(cookie, session)
    return app, client


def _client(persona: str | None = None) -> httpx.Client:
    return _mock(persona)[1]


def test_every_persona_has_a_test_here():
    assert set(mock_personas("origintrace")) == {
        "strict-create",
        "other-data",
        "lenient",
        "strict-numbers",
        "chatty",
        "slow",
    }


def test_strict_create_requires_every_documented_field_of_a_new_key():
    bare = {"name": "ci"}
    created = _client().post(KEYS, json=bare)
    assert created.status_code == 200 and created.json()["key"]["scopes"] == ["read"]
    strict = _client("strict-create")
    refused = strict.post(KEYS, json=bare)
    assert refused.status_code == 400
    assert refused.json() == {"error": "Missing fields: scopes, expires_in_days, rate_limit_per_hour"}
    partial = strict.post(KEYS, json={**bare, "scopes": ["read"], "rate_limit_per_hour": 5})
    assert partial.status_code == 400 and partial.json() == {"error": "Missing fields: expires_in_days"}
    full = strict.post(KEYS, json=FULL_KEY)
    assert full.status_code == 200 and full.json()["key"]["rate_limit_per_hour"] == 50


def _seeded(client: httpx.Client, resource: str) -> list[dict[str, Any]]:
    seeded = client.post("/__mock__/seed", json={"resource": resource, "count": 3})
    assert seeded.status_code == 200
    listed = client.get(f"/api/v1/{resource}")
    assert listed.status_code == 200 and listed.json()["meta"]["total"] == 3
    return listed.json()["data"]


@pytest.mark.parametrize(
    ("resource", "fields"),
    [
        ("farms", ("farmer_name", "area_hectares", "commodity")),
        ("batches", ("farm_id", "total_weight")),
        ("shipments", ("shipment_code", "destination_country", "total_items")),
    ],
)
def test_other_data_seeds_records_with_other_ids_names_and_amounts(resource, fields):
    default, other = _seeded(_client(), resource), _seeded(_client("other-data"), resource)
    assert not {r["id"] for r in default} & {r["id"] for r in other}
    assert {r["id"] for r in other} == {"9001", "9002", "9003"}
    for field in fields:
        assert not {r[field] for r in default} & {r.get(field) for r in other}, field


def test_lenient_reads_a_null_as_absent_and_numbers_sent_as_strings():
    default, lenient = _client(), _client("lenient")
    nulled = {"name": "ci", "expires_in_days": None, "scopes": None}
    refused = default.post(KEYS, json=nulled)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "scopes, expires_in_days and rate_limit_per_hour may be omitted, not null"
    }
    accepted = lenient.post(KEYS, json=nulled)
    assert accepted.status_code == 200
    assert accepted.json()["key"]["expires_at"] is None and accepted.json()["key"]["scopes"] == ["read"]
    texts = {"name": "ci", "rate_limit_per_hour": "50", "expires_in_days": "2"}
    assert default.post(KEYS, json=texts).status_code == 400
    coerced = lenient.post(KEYS, json=texts).json()["key"]
    assert coerced["rate_limit_per_hour"] == 50 and coerced["expires_at"] == "2026-01-03T00:00:00Z"
    listed = lenient.get(KEYS).json()["keys"]
    assert 50 in [k["rate_limit_per_hour"] for k in listed]  # stored as an integer
    query = {"limit": "10.0", "offset": " 0"}
    bad = default.get("/api/v1/farms", params=query)
    assert bad.status_code == 400 and "limit" in bad.json()["error"]
    read = lenient.get("/api/v1/farms", params=query)
    assert read.status_code == 200 and read.json()["meta"] == {"total": 0, "limit": 10, "offset": 0}


@pytest.mark.parametrize(("persona", "status"), [(None, 200), ("strict-numbers", 400)])
def test_strict_numbers_refuses_an_integral_float_rate_limit(persona, status):
    client = _client(persona)
    answer = client.post(KEYS, json={"name": "ci", "rate_limit_per_hour": 50.0})
    assert answer.status_code == status
    if status == 200:
        assert answer.json()["key"]["rate_limit_per_hour"] == 50
    else:
        assert answer.json() == {"error": "rate_limit_per_hour must be a positive integer"}
    assert client.post(KEYS, json={"name": "ci", "rate_limit_per_hour": 50}).status_code == 200


def test_chatty_rewords_free_messages_keeps_pinned_ones_and_adds_fields_and_headers():
    (_, default), (app, chatty) = _mock(), _mock("chatty")
    free = default.get("/api/v1/farms?limit=0").json()["error"]
    assert free == "limit must be at least 1, got 0"
    reworded = chatty.get("/api/v1/farms?limit=0")
    assert reworded.status_code == 400 and reworded.json()["error"] != free
    assert chatty.get("/api/v1/nowhere").json()["error"] != default.get("/api/v1/nowhere").json()["error"]
    stranger = {"Authorization": "Bearer nope"}
    assert chatty.get("/api/v1/farms", headers=stranger).json()["error"] == "Invalid or expired API key"
    noscope = {"Authorization": f"Bearer {app.demo_config()['NOSCOPE_API_KEY']}"}
    refused = chatty.get("/api/v1/farms", headers=noscope)
    assert refused.json()["error"] == "Insufficient scope. Required: read"
    secret = chatty.post(KEYS, json={"name": "one an hour", "rate_limit_per_hour": 1}).json()["secret"]
    one = {"Authorization": f"Bearer {secret}"}
    assert chatty.get("/api/v1/farms", headers=one).status_code == 200
    limited = chatty.get("/api/v1/farms", headers=one)
    assert limited.status_code == 429
    assert limited.json()["error"] == "Rate limit exceeded" and limited.json()["retry_after"] == 3600
    listed = chatty.get("/api/v1/farms")
    assert listed.json()["servedBy"] == "persona" and "_links" in listed.json()
    assert listed.headers["X-Served-By"] == "origintrace-mock (chatty)" and "X-Request-Id" in listed.headers
    assert listed.headers["X-RateLimit-Remaining"]  # the documented headers stay
    plain = default.get("/api/v1/farms")
    assert "servedBy" not in plain.json() and "X-Served-By" not in plain.headers


def test_slow_answers_take_time_on_the_mock_clock():
    for persona in (None, "slow"):
        app, client = _mock(persona)
        before = app.clock.now()
        assert client.get("/api/v1/farms").status_code == 200
        assert client.get(KEYS).status_code == 200
        per_answer = app.SLOW_SECONDS if persona else 0.0
        assert app.clock.now() - before == pytest.approx(2 * per_answer)
    assert pytest.approx(0.3) == app.SLOW_SECONDS  # as the description says
