"""Optimistic locking: stale versions refused, versions counted, one winner under contention. One
case per rule and locking resource (`cartoncloud:locking:inbound_orders`); the update is the
resource's own (a PUT of the entity, or a PATCH with an RFC 6902 JSON Patch), and a resource the
profile puts under locking by decision (`locking.by_decision`) is judged as SHOULD."""

from __future__ import annotations

import pytest

from conformance import checks, documented, not_applicable
from conformance.core import NotApplicable
from conformance.drive import PlannedRequest, concurrent_requests

pytestmark = [pytest.mark.capability("locking"), pytest.mark.writes]
CONCURRENT_WRITERS = 20


def _create(client, resource):
    created = client.call(resource.create, json=client.example(resource.create))
    assert created.ok, f"could not create the entity to lock: {created.summary()}"
    return created, created.json()["id"]


def _marked(body, key, value):
    """The update body with a marker `key` set: a member of its custom properties, or for an RFC 6902
    JSON Patch (a list of operations), one more `add` operation."""
    if isinstance(body, list):
        return [*body, {"op": "add", "path": f"/{key}", "value": value}]
    body.setdefault("properties", {})[key] = value
    return body


def _put(client, resource, entity_id, if_match, header, body=None):
    headers = {header: str(if_match)} if if_match is not None else {}
    return client.call(
        resource.update,
        path_params={"id": entity_id},
        headers=headers,
        json=body if body is not None else client.example(resource.update),
    )


def test_version_incremented(contract, client, verify, locking_resource):
    locking = contract.profile.locking
    resource = locking_resource.resource  # create, get and update: checked at load
    created, eid = _create(client, resource)
    updated = _put(client, resource, eid, created.json()[locking.version_field], locking.header)
    verify(
        checks.locking.locking_version_incremented,
        locking_resource.rule(locking.rules.version_incremented),
        created=created,
        updated=updated,
        version_field=locking.version_field,
        initial_version=locking.initial_version,
        increment=locking.increment,
    )


def test_version_present(contract, client, verify, locking_resource):
    """The entity as a create, a read and an update answer it carries its integer version
    (locking.rules.version_present) — a read of an entity that exists, every run (the property
    suite's reads name made-up ids, and its stateful phase reaches a created one only by chance)."""
    locking = contract.profile.locking
    rule = documented(locking.rules.version_present, "locking.rules.version_present")
    rule = locking_resource.rule(rule)
    resource = locking_resource.resource  # create, get and update: checked at load
    created, eid = _create(client, resource)
    read = client.call(resource.get, path_params={"id": eid})
    version = read.json().get(locking.version_field) if read.ok else None
    updated = _put(client, resource, eid, version, locking.header)
    failures, judged = [], 0
    for answer in (created, read, updated):  # each judged: one answer's failure must not hide another's
        try:
            verify(
                checks.locking.locking_version_present,
                rule,
                response=answer,
                version_field=locking.version_field,
            )
            judged += 1
        except NotApplicable:
            continue  # not an entity (e.g. a refused update): nothing to judge in it
        except pytest.fail.Exception as failure:
            failures.append(failure)
    if failures:
        raise failures[0]
    if not judged:
        not_applicable("no answer carried an entity")


def test_stale_version_rejected(contract, client, verify, locking_resource):
    locking = contract.profile.locking
    resource = locking_resource.resource  # create, get and update: checked at load
    created, eid = _create(client, resource)
    version = created.json()[locking.version_field]
    _put(client, resource, eid, version, locking.header)
    before = client.call(resource.get, path_params={"id": eid})
    stale_body = _marked(client.example(resource.update), "staleWrite", "must not be stored")
    stale = _put(client, resource, eid, version, locking.header, stale_body)
    after = client.call(resource.get, path_params={"id": eid})
    verify(
        checks.locking.locking_stale_version_rejected,
        locking_resource.rule(locking.rules.stale_version_rejected),
        stale_write=stale,
        after=after,
        before=before,
        version_field=locking.version_field,
    )


def test_malformed_version_rejected(contract, client, verify, locking_resource):
    locking = contract.profile.locking
    rule = documented(locking.rules.malformed_version_rejected, "locking.rules.malformed_version_rejected")
    rule = locking_resource.rule(rule)
    resource = locking_resource.resource  # create, get and update: checked at load
    _, eid = _create(client, resource)
    write = _put(client, resource, eid, "not-a-version", locking.header)
    verify(checks.locking.locking_malformed_version_rejected, rule, write=write)


def test_absent_if_match_accepted(contract, client, verify, locking_resource):
    locking = contract.profile.locking
    if locking.if_match_required:
        not_applicable(f"{locking.header} is required by the profile")
    rule = documented(locking.rules.absent_if_match_accepted, "locking.rules.absent_if_match_accepted")
    rule = locking_resource.rule(rule)
    resource = locking_resource.resource  # create, get and update: checked at load
    _, eid = _create(client, resource)
    write = _put(client, resource, eid, None, locking.header)
    verify(checks.locking.locking_absent_if_match_accepted, rule, write=write)


def test_concurrent_single_winner(contract, target, client, recorder, verify, locking_resource):
    locking = contract.profile.locking
    resource = locking_resource.resource  # create, get and update: checked at load
    created, eid = _create(client, resource)
    version = created.json()[locking.version_field]
    token, _ = client.fetch_token()
    url = client.url_for(resource.update, {"id": eid})
    update = contract.operation(resource.update)
    planned = []
    for writer in range(CONCURRENT_WRITERS):
        body = _marked(client.example(resource.update), "writer", writer)
        headers = {
            **contract.required_headers(resource.update),
            "Authorization": f"Bearer {token}",
            "Content-Type": update.request_content_type or "application/json",
            locking.header: str(version),
        }
        planned.append(PlannedRequest(update.method, url, headers, body))
    writes = concurrent_requests(target.async_transport(), recorder, planned)
    final = client.call(resource.get, path_params={"id": eid})
    verify(
        checks.locking.locking_concurrent_single_winner,
        locking_resource.rule(locking.rules.concurrent_single_winner),
        writes=writes,
        final=final,
        version_field=locking.version_field,
        stale_status=locking.rules.stale_version_rejected.status,
        start_version=version,
        increment=locking.increment,
    )
