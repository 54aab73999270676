"""Cropwise Ag Catalog workflows from the docs, for products, items and fertilizers: soft delete
(404 afterwards, name freed, hidden unless include_deleted), batch reads (request order, at most
100 ids), and entries of another organisation (404)."""

from __future__ import annotations

import uuid

import pytest

from conformance import checks
from conformance.drive import code_pointer

pytestmark = [pytest.mark.capability("business"), pytest.mark.writes, pytest.mark.only_api("agcatalog")]
RESOURCES = ("products", "items", "fertilizers")


def _ops(contract, name):
    return contract.profile.operations.resources[name]


def _not_found_code(contract, get_op):
    return next(
        c.error for c in contract.profile.errors.codes if c.trigger.operation == get_op and c.status == [404]
    )


def _create(client, ops, **overrides):
    body = {**client.example(ops.create), **overrides}
    created = client.call(ops.create, json=body)
    assert created.status == 201, f"could not create: {created.summary()}"
    return created.json(), body


def _id_param(contract, op):
    return contract.operation(op).path_parameter_names()[0]


def _deleted_entry(contract, client, name):
    ops = _ops(contract, name)
    entry, body = _create(client, ops)
    param = _id_param(contract, ops.get)
    deleted = client.call(ops.delete, path_params={param: entry["id"]})
    assert deleted.status == 204, f"could not delete: {deleted.summary()}"
    return ops, entry, body, param


@pytest.mark.parametrize("name", RESOURCES)
def test_deleted_entry_is_not_found(contract, client, verify, name):
    ops, entry, _, param = _deleted_entry(contract, client, name)
    got = client.call(ops.get, path_params={param: entry["id"]})
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["deleted_entry_not_found"],
        response=got,
        code=_not_found_code(contract, ops.get),
        code_pointer=code_pointer(contract),
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_deleted_name_is_freed(contract, client, verify, name):
    ops, _, body, _ = _deleted_entry(contract, client, name)
    again = client.call(ops.create, json=body)
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["deleted_name_freed"],
        response=again,
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_deleted_entry_hidden_from_lists_and_batches(contract, client, verify, name):
    ops, entry, _, _ = _deleted_entry(contract, client, name)
    listing = client.call(ops.list, params={"size": 1000})
    batch = client.call(ops.batch_get, json={"ids": [entry["id"]]})
    verify(
        checks.business.business_entry_hidden,
        contract.profile.business["deleted_hidden"],
        listings=[listing],
        items="/content",
        entry_id=entry["id"],
    )
    verify(
        checks.business.business_entry_hidden,
        contract.profile.business["deleted_hidden"],
        listings=[batch],
        items=f"/{name}",
        entry_id=entry["id"],
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_include_deleted_shows_deleted_entry(contract, client, verify, name):
    ops, entry, _, _ = _deleted_entry(contract, client, name)
    listing = client.call(ops.list, params={"size": 1000, "include_deleted": "true"})
    verify(
        checks.business.business_entry_shown,
        contract.profile.business["include_deleted_shows"],
        listings=[listing],
        items="/content",
        entry_id=entry["id"],
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_batch_read_in_request_order(contract, client, verify, name):
    ops = _ops(contract, name)
    ids = [_create(client, ops)[0]["id"] for _ in range(3)]
    _, gone, _, _ = _deleted_entry(contract, client, name)
    unknown = str(uuid.uuid4())
    asked = [ids[2], unknown, ids[0], gone["id"], ids[1]]
    batch = client.call(ops.batch_get, json={"ids": asked})
    verify(
        checks.business.business_batch_in_request_order,
        contract.profile.business["batch_in_request_order"],
        response=batch,
        items=f"/{name}",
        expected_ids=[ids[2], ids[0], ids[1]],
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_batch_of_more_than_100_ids_rejected(contract, client, verify, name):
    ops = _ops(contract, name)
    batch = client.call(ops.batch_get, json={"ids": [str(uuid.uuid4()) for _ in range(101)]})
    verify(
        checks.business.business_outcome_as_documented, contract.profile.business["batch_max"], response=batch
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_foreign_entry_is_not_found(contract, target, client, recorder, verify, name):
    needed = target.identity_keys("other")
    if not target.has(*needed):
        pytest.skip(f"needs {', '.join(target.missing(*needed))} (a client of another organisation)")
    ops = _ops(contract, name)
    entry, _ = _create(client, ops)
    other = target.client(recorder, identity="other")
    got = other.call(ops.get, path_params={_id_param(contract, ops.get): entry["id"]})
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["foreign_entry_hidden"],
        response=got,
        code=_not_found_code(contract, ops.get),
        code_pointer=code_pointer(contract),
    )
