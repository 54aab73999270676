"""Each Grafterr persona really chooses otherwise where the documents are silent: the persona
matrix (tests/test_personas.py) only means something if every persona differs from the default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock, mock_personas
from conformance.mocks.grafterr import DEFAULT_CREDENTIALS

TOKEN = {"client_id": DEFAULT_CREDENTIALS["CLIENT_ID"], "client_secret": DEFAULT_CREDENTIALS["CLIENT_SECRET"]}
MENU = {"business_detail": {"business_id": 5, "vat_type": "including", "country_id": 44}}
TAXES = [{"plu": "T-1", "name": "VAT", "tax_number": "IN-18"}]
ORDER = {
    "business-details": {"business-id": 5},
    "total-with-tax": 12.5,
    "order": {"details": {"order_id": "A-1", "order_type": "delivery", "order_status": "new"}},
}


def _mock(persona: str | None = None) -> tuple[Any, httpx.Client]:
    app = create_mock("grafterr", persona=persona)
    client = httpx.Client(
        transport=SyncASGITransport(app),
        base_url="http://mock/dev",
        headers={"x-api-key": DEFAULT_CREDENTIALS["API_KEY"]},
    )
    token = client.post("/v1/auth/token", json=TOKEN)
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['data']['access_token']}"
    return app, client


def _client(persona: str | None = None) -> httpx.Client:
    return _mock(persona)[1]


def _menu(client: httpx.Client) -> dict[str, Any]:
    read = client.get("/v1/menu/read")
    assert read.status_code == 200, read.text
    return read.json()["menu_data"]  # type: ignore[no-any-return]


def test_every_persona_has_a_test_here():
    assert set(mock_personas("grafterr")) == {
        "strict-create",
        "other-data",
        "lenient",
        "strict-numbers",
        "chatty",
        "slow",
        "free-tokens",
    }


def test_strict_create_requires_the_optional_tax_list_and_customer():
    default = _client()
    assert default.post("/v1/menu/create", json=MENU).status_code == 200
    assert default.post("/v1/order/create", json=ORDER).status_code == 200
    strict = _client("strict-create")
    for path, body, field in (("/v1/menu/create", MENU, "tax_list"), ("/v1/order/create", ORDER, "customer")):
        refused = strict.post(path, json=body)
        assert refused.status_code == 400
        assert refused.json() == {
            "status": 400,
            "message": "Validation failed",
            "errors": [{"field": field, "message": f"{field} is required"}],
        }
    assert strict.post("/v1/menu/create", json={**MENU, "tax_list": TAXES}).status_code == 200
    created = strict.post("/v1/order/create", json={**ORDER, "customer": {"name": "Ada"}})
    assert created.status_code == 200 and created.json()["data"] == {"order_id": "A-1"}


def test_other_data_starts_with_a_menu_of_its_own():
    assert _menu(_client()) == {}
    other = _client("other-data")
    seeded = _menu(other)
    assert (
        seeded["business_detail"]["business_id"] == 7301
        and seeded["business_detail"]["vat_type"] == "excluding"
    )
    assert seeded["tax_list"][0]["name"] == "VAT 20"
    assert other.post("/v1/menu/create", json=MENU).status_code == 200
    assert _menu(other) == MENU  # ours replaces it as the latest


def test_lenient_drops_a_null_optional_member_and_coerces_numbers_sent_as_strings():
    default, lenient = _client(), _client("lenient")
    nulled = {**MENU, "tax_list": None}
    refused = default.post("/v1/menu/create", json=nulled)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "tax_list"
    assert lenient.post("/v1/menu/create", json=nulled).status_code == 200
    assert "tax_list" not in _menu(lenient)
    texts = {"business_detail": {"business_id": "12", "vat_type": "excluding", "country_id": "44"}}
    refused = default.post("/v1/menu/create", json=texts)
    assert refused.status_code == 400
    assert {e["field"] for e in refused.json()["errors"]} == {
        "business_detail/business_id",
        "business_detail/country_id",
    }
    assert lenient.post("/v1/menu/create", json=texts).status_code == 200
    assert _menu(lenient)["business_detail"] == {"business_id": 12, "vat_type": "excluding", "country_id": 44}
    order = {**ORDER, "total-with-tax": "12.50", "business-details": {"business-id": "5"}}
    assert default.post("/v1/order/create", json=order).status_code == 400
    assert lenient.post("/v1/order/create", json=order).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [(None, 200), ("strict-numbers", 400)])
def test_strict_numbers_refuses_integral_floats_for_integers(persona, status):
    client = _client(persona)
    floats = {"business_detail": {**MENU["business_detail"], "business_id": 5.0}}
    answer = client.post("/v1/menu/create", json=floats)
    assert answer.status_code == status
    if status == 400:
        assert [e["field"] for e in answer.json()["errors"]] == ["business_detail/business_id"]
    order = {**ORDER, "business-details": {"business-id": 5.0}}
    assert client.post("/v1/order/create", json=order).status_code == status
    details = {**ORDER["order"]["details"], "order_id": "A-2"}
    number = {**ORDER, "total-with-tax": 12.0, "order": {"details": details}}  # a number, not an integer
    assert client.post("/v1/order/create", json=number).status_code == 200


def test_chatty_rewords_free_messages_keeps_pinned_ones_and_adds_fields_and_headers():
    (_, default), (app, chatty) = _mock(), _mock("chatty")
    bad = {"business_detail": {**MENU["business_detail"], "vat_type": "both"}}
    plain, reworded = (
        default.post("/v1/menu/create", json=bad).json(),
        chatty.post("/v1/menu/create", json=bad),
    )
    assert plain["message"] == "Validation failed"
    body = reworded.json()
    assert reworded.status_code == 400 and body["status"] == 400 and body["message"] != "Validation failed"
    assert body["errors"][0]["field"] == plain["errors"][0]["field"] == "business_detail/vat_type"
    assert body["errors"][0]["message"] != plain["errors"][0]["message"]
    assert default.put("/v1/menu/read").json() == {"message": "Method Not Allowed"}
    assert chatty.put("/v1/menu/read").json()["message"] != "Method Not Allowed"
    assert chatty.get("/v1/nowhere").json()["message"] == "Missing Authentication Token"
    assert chatty.get("/v1/menu/read", headers={"x-api-key": "nope"}).json()["message"] == "Forbidden"
    assert (
        chatty.get("/v1/menu/read", headers={"Authorization": "Bearer x"}).json()["message"] == "Unauthorized"
    )
    app.clock.advance(1)  # a fresh second: 10 reads pass, the 11th is refused
    answers = [chatty.get("/v1/menu/read") for _ in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert answers[-1].json()["message"] == "Too Many Requests"
    ok = answers[0]
    assert ok.status_code == 200 and ok.json()["servedBy"] == "persona" and "_links" in ok.json()
    assert ok.headers["X-Served-By"] == "grafterr-mock (chatty)" and "X-Request-Id" in ok.headers
    plain_ok = default.get("/v1/menu/read")
    assert "servedBy" not in plain_ok.json() and "X-Served-By" not in plain_ok.headers


def test_slow_answers_take_time_on_the_mock_clock():
    for persona in (None, "slow"):
        app, client = _mock(persona)
        before = app.clock.now()
        assert client.get("/v1/menu/read").status_code == 200
        assert client.post("/v1/menu/create", json=MENU).status_code == 200
        per_answer = app.SLOW_SECONDS if persona else 0.0
        assert app.clock.now() - before == pytest.approx(2 * per_answer)
    assert pytest.approx(0.3) == app.SLOW_SECONDS  # as the description says


def _fits(client: httpx.Client, call: Callable[[httpx.Client], httpx.Response]) -> int:
    """How many calls pass before the first 429, on a frozen clock."""
    for n in range(40):
        answer = call(client)
        if answer.status_code == 429:
            assert answer.json() == {"message": "Too Many Requests"}
            return n
        assert answer.status_code == 200, answer.text
    return 40


def _read(client: httpx.Client) -> httpx.Response:
    return client.get("/v1/menu/read")


def _token(client: httpx.Client) -> httpx.Response:
    return client.post("/v1/auth/token", json=TOKEN)


def test_free_tokens_leave_the_per_second_limit_to_the_other_calls():
    _, default = _mock()  # one token call already made
    assert _fits(default, _read) == 9  # the default counts it: 10 per second in all
    _, default = _mock()
    assert _fits(default, _token) == 9
    _, free = _mock("free-tokens")
    assert _fits(free, _token) == 40  # never limited
    assert _fits(free, _read) == 10  # the whole 10 per second, untouched by 41 token calls
