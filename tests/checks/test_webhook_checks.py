"""The full-entity webhook check compares the entity's documented fields ("For details on the data
refer to create end point", 003 seed): what a read adds beyond the documents (hypermedia links,
server metadata: the other-data and chatty personas) need not be in the payload; a documented
field missing or different still fails."""

from __future__ import annotations

import httpx
import pytest

from conformance.checks.webhooks import webhooks_payload_is_entity
from conformance.client import Recorder, Redactor
from conformance.contracts import load_contract
from conformance.core import CheckFailure

CONTRACT = load_contract("cartoncloud")
RULE = CONTRACT.profile.webhooks.payload_is_entity
FIELDS = CONTRACT.documented_fields("getInboundOrder")
ENTITY = {"id": "o-1", "version": 2, "status": "AWAITING", "customer": {"id": "c-1"}}


def _delivery(body):
    request = httpx.Request("POST", "http://127.0.0.1:9/hooks", json=body)
    return Recorder(Redactor()).record(request, httpx.Response(200), 0.0)


def _read(body):
    request = httpx.Request("GET", "http://api.example.test/tenants/t/inbound-orders/o-1")
    return Recorder(Redactor()).record(request, httpx.Response(200, json=body), 0.0)


def test_the_documented_fields_come_from_the_openapi_schema():
    assert FIELDS is not None and {"id", "version", "status", "customer", "items"} <= FIELDS
    assert "_links" not in FIELDS


def test_fields_a_read_adds_beyond_the_documents_need_not_be_in_the_payload():
    read = _read({**ENTITY, "_links": {"self": "/x"}, "servedBy": "node-2"})
    webhooks_payload_is_entity(RULE, delivery=_delivery(ENTITY), entity=read, fields=FIELDS)
    with pytest.raises(CheckFailure, match="missing"):  # without the documents, every field counts
        webhooks_payload_is_entity(RULE, delivery=_delivery(ENTITY), entity=read)


def test_a_documented_field_missing_or_different_fails():
    read = _read(ENTITY)
    summary = {k: ENTITY[k] for k in ("id", "version", "status")}
    with pytest.raises(CheckFailure, match="missing \\['customer'\\]"):
        webhooks_payload_is_entity(RULE, delivery=_delivery(summary), entity=read, fields=FIELDS)
    stale = {**ENTITY, "status": "DRAFT"}
    with pytest.raises(CheckFailure, match="different \\['status'\\]"):
        webhooks_payload_is_entity(RULE, delivery=_delivery(stale), entity=read, fields=FIELDS)
