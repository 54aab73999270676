"""CartonCloud references from the docs: an order names its customer by one or more keys, and "the
first property as listed below will be used" (id, then references.code, then name). Two customers
are created, then an order that names one by its earlier key and the other by a later one."""

from __future__ import annotations

import secrets

import pytest

from conformance import checks

pytestmark = [pytest.mark.capability("business"), pytest.mark.writes, pytest.mark.only_api("cartoncloud")]


def _customer(client, name):
    code = f"REF-{secrets.token_hex(3).upper()}"
    created = client.call("createCustomer", json={"name": name, "references": {"code": code}})
    assert created.status == 201, f"could not create a customer: {created.summary()}"
    return created.json()


@pytest.mark.parametrize(
    ("first", "later"),
    [("id", "references.code"), ("references.code", "name"), ("id", "name")],
    ids=["id-before-code", "code-before-name", "id-before-name"],
)
def test_reference_resolves_by_its_first_key(contract, client, verify, first, later):
    one = _customer(client, f"Reference one {secrets.token_hex(2)}")
    two = _customer(client, f"Reference two {secrets.token_hex(2)}")

    def key(customer, path):
        return {"id": customer["id"]} if path == "id" else (
            {"references": {"code": customer["references"]["code"]}} if path == "references.code"
            else {"name": customer["name"]}
        )  # fmt: skip

    reference = {**key(two, later), **key(one, first)}  # the first key names `one`, a later one `two`
    body = {**client.example("createInboundOrder"), "customer": reference}
    created = client.call("createInboundOrder", json=body)
    order = created.json() if created.ok else None
    read = client.call("getInboundOrder", path_params={"id": order["id"]}) if order else created
    verify(
        checks.business.business_state_as_documented,
        contract.profile.business["references_first_key"],
        write=created,
        read=read,
        entity=read.json() if read.ok else None,
        expected={"/customer/id": one["id"]},
    )
