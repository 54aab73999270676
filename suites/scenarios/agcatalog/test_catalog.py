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
# the seed's codes per resource: invalid attributes (the decision's E400 for items), duplicate names
INVALID = {"products": "ECPR003", "items": "E400", "fertilizers": "ECFR003"}
DUPLICATE = {"products": "ECPR001", "items": "ECIT002", "fertilizers": "ECFR001"}


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


def _by_method(client, ops, method, param, entry_id, body):
    if method == "GET":
        return client.call(ops.get, path_params={param: entry_id})
    if method == "PUT":
        return client.call(ops.update, path_params={param: entry_id}, json=body)
    return client.call(ops.delete, path_params={param: entry_id})


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("name", RESOURCES)
def test_deleted_entry_is_not_found(contract, client, verify, name, method):
    ops, entry, body, param = _deleted_entry(contract, client, name)
    got = _by_method(client, ops, method, param, entry["id"], body)
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
        checks.business.business_outcome_as_documented,
        contract.profile.business["batch_max"],
        response=batch,
        code=INVALID[name],
        code_pointer=code_pointer(contract),
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_empty_batch_rejected(contract, client, verify, name):
    batch = client.call(_ops(contract, name).batch_get, json={"ids": []})
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["batch_min"],
        response=batch,
        code=INVALID[name],
        code_pointer=code_pointer(contract),
    )


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("name", RESOURCES)
def test_unknown_entry_is_not_found(contract, client, verify, name, method):
    ops = _ops(contract, name)
    param = _id_param(contract, ops.get)
    got = _by_method(
        client, ops, method, param, client.made_up(str(uuid.uuid4())), client.example(ops.create)
    )
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["unknown_entry_not_found"],
        response=got,
        code=_not_found_code(contract, ops.get),
        code_pointer=code_pointer(contract),
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_rename_onto_a_taken_name_is_a_duplicate(contract, client, verify, name):
    ops = _ops(contract, name)
    first, _ = _create(client, ops)
    second, body = _create(client, ops)
    renamed = client.call(
        ops.update,
        path_params={_id_param(contract, ops.get): second["id"]},
        json={**body, "name": first["name"]},
    )
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["rename_onto_taken_name"],
        response=renamed,
        code=DUPLICATE[name],
        code_pointer=code_pointer(contract),
    )


def _other(target, recorder):
    needed = target.identity_keys("other")
    if not target.has(*needed):
        pytest.skip(f"needs {', '.join(target.missing(*needed))} (a client of another organisation)")
    return target.client(recorder, identity="other")


def _foreign_body(target, client, ops, body):
    """Our example body, in the other organisation."""
    return {**body, "org_id": target.config.get("OTHER_ORG_ID")} if "org_id" in body else body


@pytest.mark.parametrize("name", RESOURCES)
def test_another_organisation_may_use_our_name(contract, target, client, recorder, verify, name):
    ops = _ops(contract, name)
    _, body = _create(client, ops)
    other = _other(target, recorder)
    again = other.call(ops.create, json=_foreign_body(target, client, ops, body))
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["names_unique_per_org"],
        response=again,
    )


def test_another_resource_may_use_our_name(contract, client, verify):
    product, _ = _create(client, _ops(contract, "products"))
    items = _ops(contract, "items")
    same = client.call(items.create, json={**client.example(items.create), "name": product["name"]})
    verify(
        checks.business.business_outcome_as_documented,
        contract.profile.business["names_unique_per_resource"],
        response=same,
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_entry_stays_in_its_organisation(contract, target, client, verify, name):
    """A PUT naming another organisation (one the client is not in) leaves the entry where it is."""
    if not target.has("OTHER_ORG_ID"):
        pytest.skip(f"needs {', '.join(target.missing('OTHER_ORG_ID'))} (another organisation)")
    ops = _ops(contract, name)
    entry, body = _create(client, ops)
    param = _id_param(contract, ops.get)
    moved = client.call(
        ops.update, path_params={param: entry["id"]}, json={**body, "org_id": target.config["OTHER_ORG_ID"]}
    )
    read = client.call(ops.get, path_params={param: entry["id"]})
    verify(
        checks.business.business_state_as_documented,
        contract.profile.business["org_fixed"],
        write=read,
        read=read,
        entity=read.json() if read.ok else None,
        expected={"/org_id": entry["org_id"]},
    )
    assert moved.status != 500, moved.summary()


@pytest.mark.parametrize("name", RESOURCES)
def test_foreign_entry_is_left_out_of_batch_reads(contract, target, client, recorder, verify, name):
    ops = _ops(contract, name)
    other = _other(target, recorder)
    foreign = other.call(ops.create, json=_foreign_body(target, client, ops, client.example(ops.create)))
    assert foreign.status == 201, f"the other organisation could not create: {foreign.summary()}"
    batch = client.call(ops.batch_get, json={"ids": [foreign.json()["id"]]})
    verify(
        checks.business.business_entry_hidden,
        contract.profile.business["foreign_batch_hidden"],
        listings=[batch],
        items=f"/{name}",
        entry_id=foreign.json()["id"],
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_put_replaces_the_whole_entry(contract, client, verify, name):
    """An entry created with an extra field, replaced without it: the field is gone."""
    ops = _ops(contract, name)
    entry, body = _create(client, ops, notes="to be dropped")
    param = _id_param(contract, ops.get)
    replacement = {k: v for k, v in body.items() if k != "notes"}
    replacement["name"] = f"{body['name']} renamed"
    put = client.call(ops.update, path_params={param: entry["id"]}, json=replacement)
    read = client.call(ops.get, path_params={param: entry["id"]})
    verify(
        checks.business.business_state_as_documented,
        contract.profile.business["full_replacement"],
        write=put,
        read=read,
        entity=read.json() if read.ok else None,
        expected={"/name": replacement["name"]},
        absent=["/notes"],
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
