"""Seeding the vendor's reference data with given ids, names and codes, so bodies an integration
wrote against the vendor resolve: through the control plane, and from a file at
`conformance mock serve --api cartoncloud --seed FILE`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.mocks.cartoncloud import TENANT_ID
from tests.clients.conftest import token
from tests.conftest import free_port

CUSTOMER = {
    "id": "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "name": "Steam Chef Store",
    "references": {"code": "SCS01"},
}
WAREHOUSE = {"id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "name": "Melbourne DC"}
PRODUCT = {
    "id": "c3706e8c-7526-11e8-adc0-fa7ae01b3ebc",
    "name": "Dumplings 1kg",
    "references": {"code": "DUMP1"},
}
SEEDS = [
    {"resource": "customers", "items": [CUSTOMER]},
    {"resource": "warehouses", "items": [WAREHOUSE]},
    {"resource": "warehouse-products", "items": [{**PRODUCT, "customer": {"id": CUSTOMER["id"]}}]},
]


SERVE = [sys.executable, "-m", "conformance.cli", "mock", "serve", "--api", "cartoncloud"]


def _order(customer, warehouse, product):
    return {
        "references": {"customer": "PO-778"},
        "customer": customer,
        "warehouse": warehouse,
        "items": [{"details": {"product": product}, "measures": {"quantity": 4}}],
    }


BY_ID = _order({"id": CUSTOMER["id"]}, {"id": WAREHOUSE["id"]}, {"id": PRODUCT["id"]})
BY_NAME = _order({"name": CUSTOMER["name"]}, {"name": WAREHOUSE["name"]}, {"name": PRODUCT["name"]})


def _created_as_named(answer: httpx.Response) -> None:
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["customer"] == CUSTOMER
    assert order["warehouse"] == WAREHOUSE
    assert order["items"][0]["details"]["product"] == PRODUCT


def test_control_plane_seeds_reference_data_with_given_ids_names_and_codes(cc):
    for seed in SEEDS:
        assert cc.seed(**seed) == [seed["items"][0]["id"]]
    _created_as_named(cc.http.post(f"{cc.tenant}/inbound-orders", json=BY_ID))
    _created_as_named(cc.http.post(f"{cc.tenant}/inbound-orders", json=BY_NAME))
    by_code = _order(
        {"references": {"code": "SCS01"}}, {"name": "Melbourne DC"}, {"references": {"code": "DUMP1"}}
    )
    _created_as_named(cc.http.post(f"{cc.tenant}/inbound-orders", json=by_code))
    assert cc.http.get(f"{cc.tenant}/customers/{CUSTOMER['id']}").json()["name"] == "Steam Chef Store"
    assert (
        cc.http.get(f"{cc.tenant}/warehouse-products/{PRODUCT['id']}").json()["customer"]["id"]
        == CUSTOMER["id"]
    )


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"resource": "customers", "items": [CUSTOMER, CUSTOMER]}, "already exists"),
        ({"resource": "customers", "items": [{"name": "No code"}]}, "references"),
        ({"resource": "warehouses", "items": [{"id": "x"}]}, "'name'"),
        (
            {"resource": "warehouse-products", "items": [{**PRODUCT, "customer": {"name": "Nobody"}}]},
            "does not exist",
        ),
        ({"resource": "inbound-orders", "items": [{}]}, "'items'"),
        ({"resource": "drivers", "count": 1}, "'resource'"),
        ({"resource": "customers", "count": -1}, "'count'"),
    ],
)
def test_bad_seed_requests_are_refused_by_the_control_plane(cc, payload, words):
    answer = cc.control.post("/seed", json=payload)
    assert answer.status_code == 400 and words in answer.json()["error"]


@pytest.fixture
def served_with_seed_file(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps({"seed": SEEDS}))
    port = free_port()
    proc = subprocess.Popen(
        [*SERVE, "--port", str(port), "--seed", str(seed_file)], stdout=subprocess.PIPE, text=True
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine starts slowly
        while True:  # waiting for another process to listen, not for the mock's clock
            try:
                httpx.get(root + "/__mock__")
                break
            except httpx.TransportError:
                assert proc.poll() is None, "conformance mock serve exited"
                assert time.monotonic() < deadline, "served mock did not come up"
                time.sleep(0.05)
        yield root, seed_file
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_mock_serve_seed_file_makes_vendor_written_bodies_resolve(served_with_seed_file):
    root, _ = served_with_seed_file
    headers = {"Accept-Version": "1", "Authorization": f"Bearer {token(root)}"}
    url = f"{root}/tenants/{TENANT_ID}/inbound-orders"
    _created_as_named(httpx.post(url, json=BY_ID, headers=headers))
    _created_as_named(httpx.post(url, json=BY_NAME, headers=headers))
    # a reset (every live suite test starts with one) keeps what the file seeded; tokens start over
    assert httpx.post(f"{root}/__mock__/reset").status_code == 200
    headers["Authorization"] = f"Bearer {token(root)}"
    _created_as_named(httpx.post(url, json=BY_NAME, headers=headers))


def test_mock_serve_reads_a_yaml_seed_file_and_refuses_a_bad_one(tmp_path):
    good = tmp_path / "seed.yaml"
    good.write_text("- resource: warehouses\n  items:\n    - {name: Brisbane DC}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- resource: customers\n  items:\n    - {name: No code}\n")
    not_seeds = tmp_path / "list.json"
    not_seeds.write_text("[1, 2]")
    for path, words in ((bad, "a seed request was refused"), (not_seeds, "expected a list of seed requests")):
        done = subprocess.run(
            [*SERVE, "--port", "1", "--seed", str(path)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2 and words in done.stderr, done.stderr
    from conformance.cli._mocks import _seed_requests

    assert _seed_requests(good) == [{"resource": "warehouses", "items": [{"name": "Brisbane DC"}]}]
