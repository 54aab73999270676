"""The CartonCloud mock: concurrency, robustness on bad input, control plane, webhooks."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import create_mock
from conformance.mocks.blocks.webhooks import http_sender
from conformance.mocks.cartoncloud import DEFAULT_CREDENTIALS, TENANT_ID

ORDER = {
    "references": {"customer": "R-1"},
    "customer": {"references": {"code": "C123456"}},
    "items": [{"details": {"product": {"references": {"code": "SKU123"}}}, "measures": {"quantity": 1}}],
}


def _token(client: httpx.Client) -> str:
    response = client.post(
        "/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
    )
    return str(response.json()["access_token"])


@pytest.fixture
def mock_client():
    app = create_mock("cartoncloud")
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    client.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {_token(client)}"})
    return app, client


def test_20_concurrent_puts_with_one_version_have_exactly_one_winner(mock_client):
    app, client = mock_client
    created = client.post(f"/tenants/{TENANT_ID}/inbound-orders", json=ORDER).json()
    url = f"http://mock/tenants/{TENANT_ID}/inbound-orders/{created['id']}"

    async def race() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
            return await asyncio.gather(
                *(
                    http.put(
                        url,
                        headers={**client.headers, "If-Match": "1"},
                        json={**ORDER, "properties": {"writer": i}},
                    )
                    for i in range(20)
                )
            )

    responses = asyncio.run(race())
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19
    winner = next(r for r in responses if r.status_code == 200).json()
    stored = client.get(url).json()
    assert stored == winner and stored["version"] == 2


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", f"/tenants/{TENANT_ID}/inbound-orders", b"{not json", 400),
        ("POST", f"/tenants/{TENANT_ID}/inbound-orders", b"[1, 2]", 400),
        ("POST", f"/tenants/{TENANT_ID}/inbound-orders", b'{"references": 5, "customer": []}', 422),
        ("POST", f"/tenants/{TENANT_ID}/products", b'{"scope": ["x"]}', 422),
        ("POST", f"/tenants/{TENANT_ID}/consignments/search?pageSize=-1", b"{}", 400),
        ("POST", f"/tenants/{TENANT_ID}/consignments/search", b'{"condition": {"type": "Nope"}}', 400),
        ("PUT", f"/tenants/{TENANT_ID}/inbound-orders/not-a-uuid", b"{}", 404),
        ("PATCH", f"/tenants/{TENANT_ID}/inbound-orders", b"{}", 405),
        ("GET", "/tenants", b"", 404),
    ],
    ids=[
        "malformed-json",
        "array-body",
        "wrong-types",
        "list-scope",
        "negative-size",
        "bad-condition",
        "unknown-id",
        "patch",
        "unknown-path",
    ],
)
def test_bad_input_gets_the_vendor_error_array_never_a_500(mock_client, method, path, body, status):
    _, client = mock_client
    response = client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    errors = response.json()
    assert isinstance(errors, list) and errors and all("message" in e for e in errors)


def test_token_endpoint_errors_are_rfc6749_objects(mock_client):
    _, client = mock_client
    bad = client.post("/uaa/oauth/token", data={"grant_type": "client_credentials"}, auth=("x", "y"))
    assert (bad.status_code, bad.json()["error"]) == (401, "invalid_client")
    grant = client.post(
        "/uaa/oauth/token",
        data={"grant_type": "password"},
        auth=(DEFAULT_CREDENTIALS["CLIENT_ID"], DEFAULT_CREDENTIALS["CLIENT_SECRET"]),
    )
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")


def test_unknown_fault_names_the_valid_ones():
    with pytest.raises(ValueError, match="unknown fault 'nope'.*ignore_if_match"):
        create_mock("cartoncloud", faults=["nope"])


def test_status_change_posts_the_full_entity_with_custom_headers(serve):
    received: list[tuple[dict[str, str], dict]] = []

    async def receiver(scope, receive, send):
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        received.append(({k.decode(): v.decode() for k, v in scope["headers"]}, json.loads(body)))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    hook = serve(receiver)
    app = create_mock("cartoncloud", webhook_sender=http_sender)
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    client.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {_token(client)}"})
    order = client.post(f"/tenants/{TENANT_ID}/inbound-orders", json=ORDER).json()
    client.post(
        "/__mock__/webhooks",
        json={
            "url": f"http://127.0.0.1:{hook.port}/hook",
            "events": ["inbound_order.status_changed"],
            "headers": {"X-Hook-Token": "abc"},
        },
    )
    result = client.post(
        "/__mock__/status", json={"resource": "inbound_orders", "id": order["id"], "status": "RECEIVED"}
    )
    assert result.status_code == 200
    assert len(received) == 1
    headers, payload = received[0]
    assert headers["x-hook-token"] == "abc"
    assert payload["id"] == order["id"] and payload["status"] == "RECEIVED" and payload["version"] == 2


def _walk(client: httpx.Client, segment: str) -> list[str]:
    seen: list[str] = []
    for number in range(1, 6):
        page = client.post(f"/tenants/{TENANT_ID}/{segment}/search?pageNumber={number}&pageSize=10", json={})
        seen += [item["id"] for item in page.json()]
    return seen


def test_consignments_page_gap_skips_items_of_consignment_search_only():
    app = create_mock("cartoncloud", faults=["consignments_page_gap"])
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    client.headers.update({"Accept-Version": "1", "Authorization": f"Bearer {_token(client)}"})
    seeded = {
        segment: client.post("/__mock__/seed", json={"resource": segment, "count": 45}).json()["ids"]
        for segment in ("consignments", "inbound-orders", "outbound-orders")
    }
    for segment in ("inbound-orders", "outbound-orders"):
        assert _walk(client, segment) == seeded[segment]
    walked = _walk(client, "consignments")
    assert len(walked) == len(set(walked)), "no item twice"
    # every page starts one item late, so the walk never serves the very first consignment
    assert walked == seeded["consignments"][1:]


def test_422_field_pointers_escape_tilde_and_slash_in_keys(mock_client):
    """RFC 6901: a key `a/b~c` is the reference token `a~1b~0c` (never a raw `/` that splits it)."""
    _, client = mock_client
    order = {**ORDER, "references": {"a/b~c": 5}}
    response = client.post(f"/tenants/{TENANT_ID}/inbound-orders", json=order)
    assert response.status_code == 422
    assert response.json() == [{"field": "/references/a~1b~0c", "message": "must be a string"}]


def test_422_messages_say_what_is_wanted_without_echoing_the_value(mock_client):
    _, client = mock_client
    huge = ["x" * 1000] * 50
    response = client.post(
        f"/tenants/{TENANT_ID}/inbound-orders", json={**ORDER, "details": {"urgent": huge}}
    )
    assert response.status_code == 422
    assert response.json() == [{"field": "/details/urgent", "message": "must be a boolean"}]
