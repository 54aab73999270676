"""Each Ag Catalog persona really chooses otherwise where the documents are silent: the persona
matrix (tests/test_personas.py) only means something if every persona differs from the default."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock, mock_personas
from conformance.mocks.agcatalog import DEFAULT_CREDENTIALS, ORG_ID

PRODUCTS, FERTILIZERS = "/v2/catalog/products", "/v2/catalog/fertilizers"
PRODUCT = {"name": "Roundup PowerMax", "indication": "herbicide"}
FERTILIZER = {"name": "Urea 46", "form": "SOLID"}


def _mock(persona: str | None = None) -> tuple[Any, httpx.Client]:
    app = create_mock("agcatalog", persona=persona)
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "read"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
    )
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return app, client


def _client(persona: str | None = None) -> httpx.Client:
    return _mock(persona)[1]


def _listing(client: httpx.Client, org: str, resource: str, **query: str) -> httpx.Response:
    return client.get(f"/v2/catalog/orgs/{org}/{resource}", params=query)


def test_every_persona_has_a_test_here():
    assert set(mock_personas("agcatalog")) == {
        "strict-create",
        "other-data",
        "lenient",
        "chatty",
        "slow",
        "caseless",
    }


def test_strict_create_requires_the_optional_nutrients_but_not_org_id():
    # org_id stays optional even here: the decisions let a client in one organisation omit it
    default = _client()
    assert default.post(FERTILIZERS, json=FERTILIZER).status_code == 201
    strict = _client("strict-create")
    refused = strict.post(FERTILIZERS, json={**FERTILIZER, "org_id": ORG_ID})
    assert refused.status_code == 400 and refused.json()["code"] == "ECFR003"
    assert refused.json()["errors"] == [{"field": "nutrients", "message": "nutrients is required"}]
    created = strict.post(PRODUCTS, json=PRODUCT)
    assert created.status_code == 201 and created.json()["org_id"] == ORG_ID
    full = {**FERTILIZER, "nutrients": {"N": 46}}
    assert strict.post(FERTILIZERS, json=full).status_code == 201


def _seeded(persona: str | None) -> tuple[str, list[dict[str, Any]]]:
    app, client = _mock(persona)
    assert client.post("/__mock__/seed", json={"resource": "fertilizers", "count": 4}).status_code == 200
    org = app.demo_config()["ORG_ID"]
    listed = _listing(client, org, "fertilizers")
    assert listed.status_code == 200 and len(listed.json()["content"]) == 4
    return org, listed.json()["content"]


def test_other_data_has_other_organisations_names_and_amounts():
    default_app, _ = _mock()
    other_app, other = _mock("other-data")
    mine, theirs = default_app.demo_config(), other_app.demo_config()
    assert not {mine["ORG_ID"], mine["OTHER_ORG_ID"]} & {theirs["ORG_ID"], theirs["OTHER_ORG_ID"]}
    foreign = _listing(other, ORG_ID, "products")  # the default's organisation is not there
    assert foreign.status_code == 403 and foreign.json()["code"] == "FORBIDDEN"
    assert other.post(PRODUCTS, json={**PRODUCT, "org_id": ORG_ID}).status_code == 403
    assert other.post(PRODUCTS, json=PRODUCT).json()["org_id"] == theirs["ORG_ID"]
    (org_a, seeded_a), (org_b, seeded_b) = _seeded(None), _seeded("other-data")
    assert org_a != org_b and {e["org_id"] for e in seeded_b} == {org_b}
    assert not {e["id"] for e in seeded_a} & {e["id"] for e in seeded_b}
    prefixes_a = {e["name"].rsplit(" ", 2)[0] for e in seeded_a}
    prefixes_b = {e["name"].rsplit(" ", 2)[0] for e in seeded_b}
    assert prefixes_a == {"Seed fertilizers"} and prefixes_b == {"Sandbox entry"}
    amounts_a = {(k, v) for e in seeded_a for k, v in e["nutrients"].items()}
    amounts_b = {(k, v) for e in seeded_b for k, v in e["nutrients"].items()}
    assert amounts_b and not amounts_a & amounts_b


def test_lenient_reads_null_as_absent_and_coerces_a_percentage_sent_as_a_string():
    default, lenient = _client(), _client("lenient")
    nulled = {**FERTILIZER, "nutrients": None, "id": None}
    refused = default.post(FERTILIZERS, json=nulled)
    assert refused.status_code == 400 and refused.json()["code"] == "ECFR003"
    assert {e["field"] for e in refused.json()["errors"]} == {"nutrients", "id"}
    created = lenient.post(FERTILIZERS, json=nulled)
    assert created.status_code == 201 and created.json()["nutrients"] == {}
    texts = {"name": "UAN 32", "form": "LIQUID", "nutrients": {"N": "32.5"}}
    refused = default.post(FERTILIZERS, json=texts)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "nutrients"
    coerced = lenient.post(FERTILIZERS, json=texts)
    assert coerced.status_code == 201 and coerced.json()["nutrients"] == {"N": 32.5}
    stored = lenient.get(f"{FERTILIZERS}/{coerced.json()['id']}").json()
    assert stored["nutrients"]["N"] == 32.5 and not isinstance(stored["nutrients"]["N"], str)


def test_caseless_name_filter_ignores_letter_case():
    for persona, expected in ((None, 0), ("caseless", 1)):
        client = _client(persona)
        assert client.post(PRODUCTS, json=PRODUCT).status_code == 201
        assert len(_listing(client, ORG_ID, "products", name="Roundup").json()["content"]) == 1
        found = _listing(client, ORG_ID, "products", name="rOUNDUP pOWER")
        assert found.status_code == 200 and len(found.json()["content"]) == expected
        assert _listing(client, ORG_ID, "products", name="Glyph").json()["content"] == []


def test_chatty_rewords_messages_keeps_codes_and_adds_fields_and_headers():
    default, chatty = _client(), _client("chatty")
    missing = {"form": "SOLID"}
    plain, reworded = default.post(FERTILIZERS, json=missing), chatty.post(FERTILIZERS, json=missing)
    assert plain.json()["message"] == "Invalid fertilizer attributes"
    assert plain.json()["errors"] == [{"field": "name", "message": "name is required"}]
    assert reworded.status_code == plain.status_code == 400
    body = reworded.json()
    assert body["code"] == "ECFR003" and body["status"] == 400 and body["path"] == FERTILIZERS
    assert body["message"] != plain.json()["message"]
    assert body["errors"][0]["field"] == "name" and body["errors"][0]["message"] != "name is required"
    created = chatty.post(PRODUCTS, json=PRODUCT)
    assert created.status_code == 201 and created.json()["servedBy"] == "persona"
    assert created.headers["X-Served-By"] == "agcatalog-mock (chatty)" and "X-Request-Id" in created.headers
    listed = _listing(chatty, ORG_ID, "products").json()
    assert listed["_links"] == {"self": {"href": "about:blank"}} and listed["servedBy"] == "persona"
    plain_created = default.post(PRODUCTS, json=PRODUCT)
    assert "servedBy" not in plain_created.json() and "X-Served-By" not in plain_created.headers


def test_slow_answers_take_time_on_the_mock_clock():
    for persona in (None, "slow"):
        app, client = _mock(persona)
        before = app.clock.now()
        assert _listing(client, ORG_ID, "items").status_code == 200
        assert client.post(PRODUCTS, json=PRODUCT).status_code == 201
        per_answer = app.SLOW_SECONDS if persona else 0.0
        assert app.clock.now() - before == pytest.approx(2 * per_answer)
    assert pytest.approx(0.3) == app.SLOW_SECONDS  # as the description says
