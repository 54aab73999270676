"""The CartonCloud mock's search grammar and reference data: the contract, the profile and the mock
name the same fields, methods and statuses; no body makes search answer anything but 200 or the
vendor's 400 array; the reference data comes from one data set that a variant can replace."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.client import SyncASGITransport
from conformance.contracts import load_contract
from conformance.mocks import create_mock
from conformance.mocks.cartoncloud import DEFAULT_CREDENTIALS, DEFAULT_DATA, TENANT_ID, CartonCloudMock
from conformance.mocks.cartoncloud._constants import CONSIGNMENT_STATUSES, INBOUND_STATUSES, OUTBOUND_STATUSES
from conformance.mocks.cartoncloud._grammar import COMPARISONS, SEARCH_KEYS, SEARCH_POINTERS

CONTRACT = load_contract("cartoncloud")
SCHEMAS = CONTRACT.openapi["components"]["schemas"]
NAMES = {
    "inbound-orders": "InboundOrder",
    "outbound-orders": "OutboundOrder",
    "warehouse-products": "WarehouseProduct",
    "consignments": "Consignment",
}
OPERATIONS = {
    "inbound-orders": "searchInboundOrders",
    "outbound-orders": "searchOutboundOrders",
    "warehouse-products": "searchWarehouseProducts",
    "consignments": "searchConsignments",
}


def _client(app=None) -> httpx.Client:
    app = app or create_mock("cartoncloud")
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    token = client.post(
        "/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
    ).json()["access_token"]
    client.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {token}"})
    return client


@pytest.mark.parametrize("resource", list(NAMES))
def test_contract_search_schemas_name_the_mocks_fields(resource):
    field = SCHEMAS[f"{NAMES[resource]}SearchField"]
    forms = field.get("oneOf", [field])
    pointers = forms[0]["properties"]["pointer"]["enum"]
    keys = forms[1]["properties"]["value"]["enum"] if len(forms) > 1 else []
    assert pointers == list(SEARCH_POINTERS[resource])
    assert keys == list(SEARCH_KEYS[resource])


@pytest.mark.parametrize("resource", list(NAMES))
def test_profile_search_fields_are_the_mocks(resource):
    (operation,) = [o for o in CONTRACT.profile.search.operations if o.operation == OPERATIONS[resource]]
    assert {f.pointer: f.location for f in operation.fields} == SEARCH_POINTERS[resource]
    assert {f.key: f.pointer for f in operation.fields if f.key} == SEARCH_KEYS[resource]


def test_contract_profile_and_mock_agree_on_methods_and_statuses():
    text = SCHEMAS["SearchTextMethod"]["enum"]
    ordered = SCHEMAS["SearchOrderedMethod"]["enum"]
    assert COMPARISONS["TextComparisonCondition"][1] == tuple(text)
    assert COMPARISONS["NumericComparisonCondition"][1] == tuple(ordered)
    grammar = CONTRACT.profile.search.grammar
    assert {c.type: tuple(c.methods) for c in grammar.comparisons} == {
        t: m for t, (_, m) in COMPARISONS.items()
    }
    assert SCHEMAS["InboundOrderInput"]["properties"]["status"]["enum"] == list(INBOUND_STATUSES)
    assert SCHEMAS["OutboundOrderInput"]["properties"]["status"]["enum"] == list(OUTBOUND_STATUSES)
    assert SCHEMAS["ConsignmentInput"]["properties"]["status"]["enum"] == list(CONSIGNMENT_STATUSES)
    assert "AWAITING" not in OUTBOUND_STATUSES + INBOUND_STATUSES


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
WORDS = st.sampled_from(
    ["AndCondition", "OrCondition", *COMPARISONS, "JsonField", "ValueField", "/status", "x"]
)
CONDITION = st.recursive(
    st.fixed_dictionaries(
        {"type": WORDS},
        optional={
            "field": st.fixed_dictionaries({"type": WORDS, "pointer": WORDS | JSON, "value": JSON}),
            "value": st.fixed_dictionaries({"type": WORDS}, optional={"value": JSON}),
            "method": st.sampled_from(["EQUAL_TO", "GREATER_THAN", "CONTAINS"]) | JSON,
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {"type": WORDS}, optional={"conditions": st.lists(inner, max_size=3) | JSON}
    ),
    max_leaves=8,
)
CLIENT = _client()


@given(condition=CONDITION | JSON, resource=st.sampled_from(list(NAMES)))
def test_no_search_body_makes_the_mock_answer_other_than_200_or_a_400_array(condition, resource):
    answer = CLIENT.post(f"/tenants/{TENANT_ID}/{resource}/search", json={"condition": condition})
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert all(set(e) == {"message"} and isinstance(e["message"], str) for e in answer.json())
        assert "{'" not in answer.text


def test_a_body_nested_too_deeply_is_a_400_not_a_crash():
    for body in (b"[" * 100_000, b'{"a":' * 300 + b"1" + b"}" * 300):
        answer = CLIENT.post(
            f"/tenants/{TENANT_ID}/inbound-orders", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400 and "nested deeper" in answer.json()[0]["message"]


KIWI = "11111111-1111-4111-8111-111111111111"


class OtherData(CartonCloudMock):
    """A variant that starts from another data set (what a persona does): nothing else changes."""

    DATA_SET = {
        "customers": [{"id": KIWI, "name": "Kiwi Kitchens", "references": {"code": "KK1"}}],
        "warehouses": [{"name": "Auckland DC"}],
        "products": [{"name": "Flat White Beans", "references": {"code": "FWB"}, "customer": {"id": KIWI}}],
        "stock": [{"product": "FWB", "warehouse": "Auckland DC", "quantity": 7}],
        "charges": [],
    }


def test_reference_data_comes_from_one_data_set_a_variant_replaces():
    client = _client(OtherData())
    customers = client.get(f"/tenants/{TENANT_ID}/customers").json()
    assert [(c["id"], c["name"]) for c in customers] == [
        ("11111111-1111-4111-8111-111111111111", "Kiwi Kitchens")
    ]
    order = {
        "references": {"customer": "R"},
        "customer": {"name": "Kiwi Kitchens"},
        "items": [{"details": {"product": {"references": {"code": "FWB"}}}, "measures": {"quantity": 1}}],
    }
    created = client.post(f"/tenants/{TENANT_ID}/inbound-orders", json=order).json()
    assert (created["warehouse"]["name"], created["items"][0]["details"]["product"]["name"]) == (
        "Auckland DC",
        "Flat White Beans",
    )
    assert (
        client.post(
            f"/tenants/{TENANT_ID}/inbound-orders", json={**order, "customer": {"name": "Customer A"}}
        ).status_code
        == 422
    )
    assert DEFAULT_DATA["customers"][0]["name"] == "Customer A"  # the default set is untouched


def test_products_created_through_the_api_are_reference_data_at_once():
    client = _client()
    product = {
        "references": {"code": "NEW-1"},
        "name": "New",
        "customer": {"references": {"code": "C123456"}},
    }
    made = client.post(f"/tenants/{TENANT_ID}/warehouse-products", json=product).json()
    order = {
        "references": {"customer": "R"},
        "customer": {"references": {"code": "C123456"}},
        "items": [{"details": {"product": {"references": {"code": "NEW-1"}}}, "measures": {"quantity": 2}}],
    }
    created = client.post(f"/tenants/{TENANT_ID}/inbound-orders", json=order).json()
    assert created["items"][0]["details"]["product"]["id"] == made["id"]
    found = client.post(
        f"/tenants/{TENANT_ID}/warehouse-products/search",
        json={"condition": {"type": "AndCondition", "conditions": [
            {"type": "TextComparisonCondition", "field": {"type": "JsonField", "pointer": "/code"},
             "value": {"type": "ValueField", "value": "NEW-1"}, "method": "EQUAL_TO"}]}},
    ).json()  # fmt: skip
    assert [p["id"] for p in found] == [made["id"]]


def test_control_plane_status_changes_are_vendor_statuses_and_stamp_milestones():
    app = create_mock("cartoncloud")
    client = _client(app)
    (eid,) = client.post("/__mock__/seed", json={"resource": "outbound-orders", "count": 1}).json()["ids"]
    refused = client.post(
        "/__mock__/status", json={"resource": "outbound-orders", "id": eid, "status": "AWAITING"}
    )
    assert refused.status_code == 400 and "not a outbound-orders status" in refused.json()["error"]
    app.clock.advance(60)
    moved = client.post(
        "/__mock__/status", json={"resource": "outbound-orders", "id": eid, "status": "PACKED"}
    ).json()
    stamps = moved["entity"]["timestamps"]
    assert stamps["packed"] == stamps["modified"] and stamps["modified"] != stamps["created"]
