"""Each Cropster persona really chooses otherwise where the documents are silent: the persona
matrix (tests/test_personas.py) only means something if every persona differs from the default."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock, mock_personas
from conformance.mocks.cropster import DEFAULT_CREDENTIALS

RPC = "/rpc/v1/inventory.green."
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": DEFAULT_CREDENTIALS["CLIENT_ID"],
    "client_secret": DEFAULT_CREDENTIALS["CLIENT_SECRET"],
}
PRICE = {"amount": 4.5, "currency": "USD"}


def _mock(persona: str | None = None) -> tuple[Any, httpx.Client]:
    app = create_mock("cropster", persona=persona)
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    token = client.post("/oauth2/token", data=TOKEN_FORM)
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return app, client


def _lot(app: Any, **data: Any) -> dict[str, Any]:
    home = app.demo_config()["FIXTURE_LOCATION_ID"]
    return {
        "data": {"name": "Yirga", "weight": {"amount": 60, "unit": "KG"}, "location": {"id": home}} | data
    }


def _list(client: httpx.Client, params: Any) -> httpx.Response:
    return client.post(RPC + "listGreenLots", json={"params": params})


def test_every_persona_has_a_test_here():
    assert set(mock_personas("cropster")) == {
        "strict-create",
        "counted-tokens",
        "other-data",
        "lenient",
        "strict-numbers",
        "chatty",
        "slow",
        "tight",
    }


def test_strict_create_requires_the_optional_price_ico_number_and_external_id():
    app, client = _mock()
    assert client.post(RPC + "importGreenLot", json=_lot(app)).status_code == 200
    app, strict = _mock("strict-create")
    ico = {"price": PRICE, "icoNumber": "010-0001"}
    for given, missing in (({}, "price"), ({"price": PRICE}, "icoNumber"), (ico, "externalId")):
        refused = strict.post(RPC + "importGreenLot", json=_lot(app, **given))
        assert refused.status_code == 422
        assert refused.json()["error"] == {
            "code": "missing_parameter",
            "message": f"The attribute {missing} is required",
        }
    full = _lot(app, **ico, externalId="ext-1")
    created = strict.post(RPC + "importGreenLot", json=full)
    assert created.status_code == 200 and created.json()["result"]["greenLot"]["externalId"] == "ext-1"


def test_other_data_has_other_locations_and_seeded_lots():
    default_app, _ = _mock()
    other_app, other = _mock("other-data")
    mine, theirs = default_app.demo_config(), other_app.demo_config()
    keys = ("FIXTURE_LOCATION_ID", "FIXTURE_DESTINATION_LOCATION_ID")
    assert not {mine[k] for k in keys} & {theirs[k] for k in keys}
    assert not {v for loc in other_app.locations for v in loc.values()} & {
        v for loc in default_app.locations for v in loc.values()
    }
    refused = other.post(RPC + "importGreenLot", json=_lot(default_app))  # the default's location
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "resource_not_found"
    assert other.post(RPC + "importGreenLot", json=_lot(other_app)).status_code == 200
    seeded = []
    for persona in (None, "other-data"):
        _, client = _mock(persona)
        assert client.post("/__mock__/seed", json={"resource": "green_lots", "count": 3}).status_code == 200
        seeded.append(_list(client, {}).json()["result"]["greenLots"])
    assert len(seeded[0]) == len(seeded[1]) == 3

    def facts(lots: list[dict[str, Any]]) -> set[Any]:
        return {x for lot in lots for x in (lot["id"], lot["name"], lot["location"]["id"])} | {
            (lot["weight"]["amount"], lot["weight"]["unit"]) for lot in lots
        }

    assert not facts(seeded[0]) & facts(seeded[1])


def test_lenient_drops_a_null_optional_member_and_coerces_a_number_sent_as_a_string():
    _, default = _mock()
    _, lenient = _mock("lenient")
    for params in ({"pagination": None}, {"filter": None}):
        refused = _list(default, params)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_parameter"
        assert _list(lenient, params).status_code == 200
    weight = {"amount": "12.5", "unit": "KG"}
    assert _list(default, {"pagination": {"limit": "5"}}).status_code == 400
    assert _list(lenient, {"pagination": {"limit": "5"}}).status_code == 200
    app, _ = _mock()
    assert default.post(RPC + "importGreenLot", json=_lot(app, weight=weight)).status_code == 400
    created = lenient.post(RPC + "importGreenLot", json=_lot(app, weight=weight))
    assert created.status_code == 200
    assert created.json()["result"]["greenLot"]["weight"] == {"amount": 12.5, "unit": "KG"}
    listed = _list(lenient, {}).json()["result"]["greenLots"]
    assert listed[0]["weight"]["amount"] == 12.5  # stored as a number


@pytest.mark.parametrize(("persona", "status"), [(None, 200), ("strict-numbers", 400)])
def test_strict_numbers_refuses_an_integral_float_limit(persona, status):
    _, client = _mock(persona)
    answer = _list(client, {"pagination": {"limit": 5.0}})
    assert answer.status_code == status
    assert _list(client, {"pagination": {"limit": 5}}).status_code == 200
    if status == 400:
        assert answer.json()["error"] == {
            "code": "invalid_parameter",
            "message": "params.pagination.limit must be an integer",
        }


def test_chatty_rewords_messages_keeps_codes_and_adds_fields_and_headers():
    _, default = _mock()
    _, chatty = _mock("chatty")
    bad = {"pagination": {"limit": 0}}
    plain, reworded = _list(default, bad).json(), _list(chatty, bad).json()
    assert plain["error"]["message"] == "params.pagination.limit must be between 1 and 100"
    assert reworded["error"]["code"] == plain["error"]["code"] == "invalid_parameter"
    assert reworded["error"]["message"] != plain["error"]["message"] and reworded["ok"] is False
    listed = _list(chatty, {})
    assert listed.json()["servedBy"] == "persona" and "_links" in listed.json()
    assert listed.headers["X-Served-By"] == "cropster-mock (chatty)" and "X-Request-Id" in listed.headers
    assert "servedBy" not in _list(default, {}).json()
    assert "X-Served-By" not in _list(default, {}).headers


def test_slow_answers_take_time_on_the_mock_clock():
    for persona in (None, "slow"):
        app, client = _mock(persona)
        before = app.clock.now()
        assert _list(client, {}).status_code == 200
        per_answer = app.SLOW_SECONDS if persona else 0.0
        assert app.clock.now() - before == pytest.approx(per_answer)
    assert pytest.approx(0.3) == app.SLOW_SECONDS  # as the description says


def _fits(client: httpx.Client, call: Any) -> int:
    """How many calls pass before the first 429, on a frozen clock."""
    for n in range(40):
        answer = call(client)
        if answer.status_code == 429:
            assert answer.json()["error"]["code"] == "too_many_requests"
            return n
        assert answer.status_code == 200, answer.text
    return 40


def _listing(client: httpx.Client) -> httpx.Response:
    return _list(client, {})


def _token(client: httpx.Client) -> httpx.Response:
    return client.post("/oauth2/token", data=TOKEN_FORM)


def test_counted_tokens_spend_the_bucket_the_default_leaves_alone():
    _, default = _mock()  # one token call already made
    assert _fits(default, _token) == 40  # the token endpoint is never limited
    assert _fits(default, _listing) == 10  # the burst, untouched by 41 token calls
    _, counted = _mock("counted-tokens")
    assert _fits(counted, _listing) == 9  # the first token call took one of the 10
    _, counted = _mock("counted-tokens")
    assert _fits(counted, _token) == 9


def test_tight_allows_a_burst_of_3_refilled_at_1_per_second():
    app, default = _mock()
    assert _fits(default, _listing) == 10
    app.clock.advance(1)
    assert _fits(default, _listing) == 5
    app, tight = _mock("tight")
    assert _fits(tight, _listing) == 2  # 3, one spent on the token call
    app.clock.advance(1)
    assert _fits(tight, _listing) == 1
