"""The CartonCloud resources integrations use (CONTRACT-DECISIONS, cartoncloud, revised), each
request shaped as the vendor's docs and the zapier-cartoncloud integration send it, against the
served mock over HTTP."""

from __future__ import annotations

import datetime as dt

ORDER = {
    "references": {"customer": "PO-1"},
    "customer": {"references": {"code": "C123456"}},
    "warehouse": {"name": "Example Warehouse"},
    "details": {"arrivalDate": "2026-02-01"},
    "items": [{"details": {"product": {"references": {"code": "SKU123"}}}, "measures": {"quantity": 25}}],
}
PRODUCT = {  # the zapier integration's Add Product body
    "scope": "WAREHOUSE",
    "type": "General",
    "references": {"code": "COCI1001"},
    "name": "Cocoa Nibs 1kg",
    "customer": {"id": None},
    "defaultUnitOfMeasure": "CTN",
    "unitOfMeasures": {"CTN": {"baseQty": 12, "weight": 12.5, "barcode": "9300000000017"}},
    "details": {"active": True, "variableWeight": False},
}
PATCH = "application/json-patch+json"


def _customer_a(cc):
    (first,) = [
        c for c in cc.http.get(f"{cc.tenant}/customers").json() if c["references"]["code"] == "C123456"
    ]
    return first


def test_an_inbound_order_is_vendor_shaped(cc):
    answer = cc.http.post(f"{cc.tenant}/inbound-orders", json=ORDER)
    assert answer.status_code == 201
    order = answer.json()
    assert (order["type"], order["status"], order["version"]) == ("INBOUND", "AWAITING_ARRIVAL", 1)
    assert order["customer"] == {k: _customer_a(cc)[k] for k in ("id", "name", "references")}
    assert order["items"][0]["details"]["product"]["name"] == "Product Name"  # resolved from the code
    assert order["warehouse"]["name"] == "Example Warehouse" and "id" in order["warehouse"]
    created = dt.datetime.fromisoformat(order["timestamps"]["created"]["time"])
    assert created.utcoffset() is not None
    assert order["timestamps"]["modified"] == order["timestamps"]["created"]


def test_statuses_and_defaults(cc):
    outbound = {**ORDER, "details": {"deliver": {"address": {"companyName": "Company A"}}}}
    draft = cc.http.post(f"{cc.tenant}/outbound-orders", json=outbound).json()
    assert draft["status"] == "DRAFT"
    named = cc.http.post(
        f"{cc.tenant}/outbound-orders", json={**outbound, "status": "AWAITING_PICK_AND_PACK"}
    )
    assert named.status_code == 201 and named.json()["status"] == "AWAITING_PICK_AND_PACK"
    for status, field in (("REJECTED", "/status"), ("AWAITING", "/status")):
        refused = cc.http.post(f"{cc.tenant}/outbound-orders", json={**outbound, "status": status})
        assert refused.status_code == 422 and refused.json()[0]["field"] == field, (status, refused.text)
    consignment = {"references": {"customer": "C-1"}, "customer": {"name": "Customer A"}}
    assert cc.http.post(f"{cc.tenant}/consignments", json=consignment).json()["status"] == "DRAFT"
    rejected = cc.http.post(
        f"{cc.tenant}/outbound-orders",
        json={
            **outbound,
            "items": [
                {"details": {"product": {"references": {"code": "IC-123"}}}, "measures": {"quantity": 25}}
            ],
        },
    )
    assert rejected.status_code == 228 and rejected.json()["status"] == "REJECTED"
    assert rejected.json()["details"]["errors"] == [
        {"message": "IC-123 x 25 UNITS - Product not found", "isResolved": False}
    ]


def test_an_update_moves_modified_and_keeps_created(cc):
    order = cc.http.post(f"{cc.tenant}/inbound-orders", json={**ORDER, "status": "DRAFT"}).json()
    cc.advance(90)
    updated = cc.http.put(
        f"{cc.tenant}/inbound-orders/{order['id']}",
        json={**ORDER, "status": "RECEIVED"},
        headers={"If-Match": "1"},
    ).json()
    assert (updated["version"], updated["status"]) == (2, "RECEIVED")
    assert updated["timestamps"]["created"] == order["timestamps"]["created"]
    assert updated["timestamps"]["modified"]["time"] > order["timestamps"]["modified"]["time"]


def test_orders_are_deleted_only_in_draft(cc):
    for segment, body in (
        ("inbound-orders", ORDER),
        ("outbound-orders", {**ORDER, "details": {"deliver": {"address": {"companyName": "A"}}}}),
    ):
        draft = cc.http.post(f"{cc.tenant}/{segment}", json={**body, "status": "DRAFT"}).json()
        assert cc.http.delete(f"{cc.tenant}/{segment}/{draft['id']}").status_code == 204
        assert cc.http.get(f"{cc.tenant}/{segment}/{draft['id']}").status_code == 404
        assert cc.http.delete(f"{cc.tenant}/{segment}/{draft['id']}").status_code == 404
        moved = cc.http.post(f"{cc.tenant}/{segment}", json={**body, "status": "DRAFT"}).json()
        cc.control.post("/status", json={"resource": segment, "id": moved["id"], "status": "VERIFIED"
                                          if segment == "inbound-orders" else "PACKED"})  # fmt: skip
        kept = cc.http.delete(f"{cc.tenant}/{segment}/{moved['id']}")
        assert kept.status_code == 422 and kept.json()[0]["field"] == "/status"
        assert cc.http.get(f"{cc.tenant}/{segment}/{moved['id']}").status_code == 200
    assert cc.http.delete(f"{cc.tenant}/consignments/{draft['id']}").status_code == 405


def test_customers_list_get_and_create(cc):
    listed = cc.http.get(f"{cc.tenant}/customers", params={"page": 1, "size": 2})
    assert listed.status_code == 200 and len(listed.json()) == 2
    assert (listed.headers["Total-Elements"], listed.headers["Total-Pages"]) == ("3", "2")
    assert 'rel="next"' in listed.headers["Link"]
    created = cc.http.post(
        f"{cc.tenant}/customers", json={"name": "Steam Chef Store", "references": {"code": "SCS01"}}
    )
    assert created.status_code == 201
    customer = created.json()
    assert cc.http.get(f"{cc.tenant}/customers/{customer['id']}").json() == customer
    again = cc.http.post(f"{cc.tenant}/customers", json={"name": "Other", "references": {"code": "SCS01"}})
    assert again.status_code == 422
    assert again.json()[0]["field"] == "/references/code" and "already exists" in again.json()[0]["message"]
    missing = cc.http.post(f"{cc.tenant}/customers", json={"references": {"code": "NEW"}})
    assert (missing.status_code, missing.json()[0]["field"]) == (422, "/name")
    # an order names the new customer at once, by name
    order = cc.http.post(
        f"{cc.tenant}/inbound-orders", json={**ORDER, "customer": {"name": "Steam Chef Store"}}
    )
    assert order.status_code == 201 and order.json()["customer"]["id"] == customer["id"]


def test_a_warehouse_product_patch_as_the_integration_sends_it(cc):
    body = {**PRODUCT, "customer": {"id": _customer_a(cc)["id"]}}
    created = cc.http.post(f"{cc.tenant}/warehouse-products", json=body, headers={"Accept-Version": "8"})
    assert created.status_code == 201, created.text
    product = created.json()
    url = f"{cc.tenant}/warehouse-products/{product['id']}"
    patch = [
        {"op": "test", "path": "/name", "value": "Cocoa Nibs 1kg"},
        {"op": "replace", "path": "/name", "value": "Cocoa Nibs 2kg"},
        {"op": "replace", "path": "/unitOfMeasures/CTN/weight", "value": 25.0},
        {"op": "add", "path": "/unitOfMeasures/PAL", "value": {"baseQty": 480}},
        {"op": "remove", "path": "/details/variableWeight"},
    ]
    answer = cc.http.patch(url, json=patch, headers={"Content-Type": PATCH})
    assert answer.status_code == 200, answer.text
    patched = answer.json()
    assert (patched["name"], patched["version"]) == ("Cocoa Nibs 2kg", 2)
    assert patched["unitOfMeasures"] == {"CTN": {"baseQty": 12, "weight": 25.0, "barcode": "9300000000017"},
                                         "PAL": {"baseQty": 480}}  # fmt: skip
    assert "variableWeight" not in patched["details"] and cc.http.get(url).json() == patched
    # the integration sends application/json: accepted alike
    plain = cc.http.patch(url, json=[{"op": "replace", "path": "/name", "value": "Cocoa Nibs"}])
    assert plain.status_code == 200 and plain.json()["version"] == 3


def test_a_failed_patch_changes_nothing(cc):
    body = {**PRODUCT, "customer": {"references": {"code": "C123456"}}}
    product = cc.http.post(f"{cc.tenant}/warehouse-products", json=body).json()
    url = f"{cc.tenant}/warehouse-products/{product['id']}"
    for patch, field in (
        (
            [{"op": "replace", "path": "/name", "value": "X"}, {"op": "test", "path": "/name", "value": "Y"}],
            "/name",
        ),
        ([{"op": "remove", "path": "/no/such"}], "/no/such"),
        ([{"op": "replace", "path": "/id", "value": "00000000-0000-4000-8000-000000000000"}], "/id"),
        ([{"op": "remove", "path": "/name"}], "/name"),
    ):
        answer = cc.http.patch(url, json=patch, headers={"Content-Type": PATCH})
        assert answer.status_code == 422 and answer.json()[0]["field"] == field, answer.text
    assert cc.http.patch(url, json={"op": "replace"}, headers={"Content-Type": PATCH}).status_code == 400
    assert (
        cc.http.patch(
            url, json=[{"op": "frobnicate", "path": "/a"}], headers={"Content-Type": PATCH}
        ).status_code
        == 400
    )
    assert cc.http.patch(url, content=b"[]", headers={"Content-Type": "text/plain"}).status_code == 400
    stale = cc.http.patch(url, json=[], headers={"Content-Type": PATCH, "If-Match": "7"})
    assert stale.status_code == 409
    assert cc.http.get(url).json() == product


def test_product_codes_are_unique_per_customer(cc):
    customers = cc.http.get(f"{cc.tenant}/customers").json()
    first = {**PRODUCT, "customer": {"id": customers[0]["id"]}}
    assert cc.http.post(f"{cc.tenant}/warehouse-products", json=first).status_code == 201
    again = cc.http.post(f"{cc.tenant}/warehouse-products", json=first)
    assert again.status_code == 422 and "already exists" in again.json()[0]["message"]
    assert again.json()[0]["type"] == "DUPLICATE" and again.json()[0]["details"]["duplicateId"]
    other = {**PRODUCT, "customer": {"id": customers[1]["id"]}}
    assert cc.http.post(f"{cc.tenant}/warehouse-products", json=other).status_code == 201


def test_a_report_run_polled_to_success_on_the_mock_clock(cc):
    customer = _customer_a(cc)
    started = cc.http.post(
        f"{cc.tenant}/report-runs",
        json={"type": "STOCK_ON_HAND", "parameters": {"pageSize": 2, "customer": {"id": customer["id"]}}},
    )
    assert started.status_code == 201
    run = started.json()
    assert (run["type"], run["status"]) == ("STOCK_ON_HAND", "IN_PROCESS")
    url = f"{cc.tenant}/report-runs/{run['id']}"
    polled = cc.http.get(url).json()
    assert polled["status"] == "IN_PROCESS" and "items" not in polled
    cc.advance(2)
    first = cc.http.get(url)
    assert first.json()["status"] == "SUCCESS"
    assert (first.headers["Total-Elements"], first.headers["Total-Pages"]) == ("3", "2")
    second = cc.http.get(url, params={"page": 2}).json()
    items = first.json()["items"] + second["items"]
    assert [(i["product"]["references"]["code"], i["measures"]["quantity"]) for i in items] == [
        ("SKU123", 120),
        ("SKU123", 30),
        ("ICE-4L", 48),
    ]
    cc.advance(7 * 86400)
    cc.new_token()
    assert cc.http.get(url).status_code == 404


def test_report_run_page_size_is_clamped_and_charges_are_priced(cc):
    customer = _customer_a(cc)
    run = cc.http.post(
        f"{cc.tenant}/report-runs",
        json={
            "type": "BULK_CHARGES",
            "parameters": {"pageSize": 500, "customer": {"references": {"code": "C123456"}}},
        },
    ).json()
    assert run["parameters"]["pageSize"] == 100 and run["parameters"]["customer"]["id"] == customer["id"]
    cc.advance(2)
    items = cc.http.get(f"{cc.tenant}/report-runs/{run['id']}").json()["items"]
    storage = {
        "description": "Pallet storage per week",
        "measures": {"quantity": 12},
        "rate": {"amount": 4.5, "currency": "AUD"},
        "total": {"amount": 54.0, "currency": "AUD"},
    }
    assert storage in items and len(items) == 3
    for body, field in (
        ({"type": "NOPE", "parameters": {"customer": {"id": customer["id"]}}}, "/type"),
        ({"type": "BULK_CHARGES", "parameters": {"customer": {"name": "Nobody"}}}, "/parameters/customer"),
        ({"type": "BULK_CHARGES"}, "/parameters"),
    ):
        answer = cc.http.post(f"{cc.tenant}/report-runs", json=body)
        assert answer.status_code == 422 and answer.json()[0]["field"] == field
    assert cc.http.get(f"{cc.tenant}/report-runs/00000000-0000-4000-8000-000000000000").status_code == 404


def test_every_accept_version_from_1_to_8_is_served_and_others_refused(cc):
    for version in range(1, 9):
        assert (
            cc.http.get(f"{cc.tenant}/customers", headers={"Accept-Version": str(version)}).status_code == 200
        )
    assert cc.http.get(f"{cc.tenant}/customers", headers={"Accept-Version": "9"}).status_code == 400


def test_the_token_endpoint_takes_accept_version_but_does_not_require_it(cc):
    from conformance.mocks.cartoncloud import DEFAULT_CREDENTIALS

    auth = (DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"])
    form = {"grant_type": "client_credentials"}
    for headers, status in (({}, 200), ({"Accept-Version": "8"}, 200), ({"Accept-Version": "9"}, 400)):
        answer = cc.plain.post(f"{cc.root}/uaa/oauth/token", data=form, auth=auth, headers=headers)
        assert answer.status_code == status, (headers, answer.text)
    me = cc.http.get("/uaa/userinfo").json()
    assert [t["id"] for t in me["tenants"]] == [cc.tenant.removeprefix("/tenants/")]
