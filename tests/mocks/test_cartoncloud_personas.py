"""Each CartonCloud persona really chooses otherwise where the documents are silent: the persona
matrix (tests/test_personas.py) only means something if every persona differs from the default."""

from __future__ import annotations

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock
from conformance.mocks.cartoncloud import DEFAULT_CREDENTIALS, TENANT_ID

ORDER = {
    "references": {"customer": "R-1"},
    "customer": {"references": {"code": "C123456"}},
    "details": {"urgent": True},
    "items": [{"details": {"product": {"references": {"code": "SKU123"}}}, "measures": {"quantity": 1}}],
}
INBOUND = f"/tenants/{TENANT_ID}/inbound-orders"


def _client(persona: str | None = None) -> httpx.Client:
    client = httpx.Client(
        transport=SyncASGITransport(create_mock("cartoncloud", persona=persona)), base_url="http://mock"
    )
    token = client.post(
        "/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
    ).json()["access_token"]
    client.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {token}"})
    return client


def test_strict_create_requires_a_date_the_seed_lists_as_optional():
    assert _client().post(INBOUND, json=ORDER).status_code == 201
    refused = _client("strict-create").post(INBOUND, json=ORDER)
    assert refused.status_code == 422
    assert refused.json() == [{"field": "/details/arrivalDate", "message": "arrivalDate is required"}]
    dated = {**ORDER, "details": {"urgent": True, "arrivalDate": "2026-12-24"}}
    assert _client("strict-create").post(INBOUND, json=dated).status_code == 201


def test_other_data_has_none_of_the_default_customers_or_products():
    default = {c["name"] for c in _client().get(f"/tenants/{TENANT_ID}/customers").json()}
    other = _client("other-data")
    names = {c["name"] for c in other.get(f"/tenants/{TENANT_ID}/customers").json()}
    assert names and not names & default
    assert other.post(INBOUND, json=ORDER).status_code == 422  # C123456 / SKU123 do not exist there
    kiwi = {
        **ORDER,
        "customer": {"references": {"code": "KK-001"}},
        "items": [{"details": {"product": {"references": {"code": "FWB-1K"}}}, "measures": {"quantity": 1}}],
    }
    assert other.post(INBOUND, json=kiwi).status_code == 201


def test_lenient_accepts_null_for_an_optional_field_and_a_boolean_as_a_string():
    body = {**ORDER, "warehouse": None, "details": {"urgent": "true"}}
    assert _client().post(INBOUND, json=body).status_code == 422
    created = _client("lenient").post(INBOUND, json=body)
    assert created.status_code == 201 and created.json()["details"]["urgent"] is True


@pytest.mark.parametrize(("persona", "status"), [(None, 201), ("strict-numbers", 422)])
def test_strict_numbers_refuses_an_integral_float_where_an_integer_is_expected(persona, status):
    run = {"type": "STOCK_ON_HAND", "parameters": {"pageSize": 100.0, "customer": ORDER["customer"]}}
    assert _client(persona).post(f"/tenants/{TENANT_ID}/report-runs", json=run).status_code == status


def _found(client: httpx.Client, text: str) -> int:
    condition = {
        "type": "TextComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/customer/name"},
        "value": {"type": "ValueField", "value": text},
        "method": "EQUAL_TO",
    }
    found = client.post(
        f"{INBOUND}/search", json={"condition": {"type": "AndCondition", "conditions": [condition]}}
    )
    assert found.status_code == 200, found.text
    return len(found.json())


def test_caseless_search_ignores_letter_case():
    for persona, expected in ((None, 0), ("caseless", 1)):
        client = _client(persona)
        assert client.post(INBOUND, json=ORDER).status_code == 201
        assert _found(client, "Customer A") == 1
        assert _found(client, "CUSTOMER a") == expected


def test_chatty_rewords_free_messages_keeps_pinned_ones_and_adds_fields_and_headers():
    default, chatty = _client(), _client("chatty")
    missing = {k: v for k, v in ORDER.items() if k != "customer"}
    assert default.post(INBOUND, json=missing).json() == [
        {"field": "/customer", "message": "customer is required"}
    ]
    reworded = chatty.post(INBOUND, json=missing).json()
    assert reworded[0]["field"] == "/customer" and reworded[0]["message"] != "customer is required"
    assert "/customer" in reworded[0]["message"] or reworded[0]["message"].startswith("The request")
    bare = {"condition": {"type": "TextComparisonCondition"}}
    assert chatty.post(f"{INBOUND}/search", json=bare).json()[0]["message"] == "Missing field: conditions"
    put = chatty.put(f"{INBOUND}/search", json={})
    assert "not supported" in put.json()[0]["message"]  # the seed's own 405 wording stays
    created = chatty.post(INBOUND, json=ORDER)
    assert "servedBy" in created.json() and "X-Served-By" in created.headers


def test_slow_answers_take_time_on_the_mock_clock():
    app = create_mock("cartoncloud", persona="slow")
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    before = app.clock.now()
    client.get("/uaa/userinfo")
    assert app.clock.now() - before == pytest.approx(app.SLOW_SECONDS)
