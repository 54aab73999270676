"""Checks that no plain-http mock can exercise, shown passing and failing on recorded exchanges."""

from __future__ import annotations

import httpx
import pytest

from conformance.checks.transport import transport_https_only
from conformance.client import Recorder, Redactor
from conformance.contracts import load_contract
from conformance.core import CheckFailure, NotApplicable

RULE = load_contract("cropster").profile.transport.https_only


def _exchange(status: int):
    request = httpx.Request("POST", "http://api.example.test/rpc/v1/inventory.green.listGreenLots")
    return Recorder(Redactor()).record(request, httpx.Response(status, json={}), 0.0)


def test_plain_http_answered_2xx_fails():
    with pytest.raises(CheckFailure, match="Unencrypted HTTP accepted"):
        transport_https_only(RULE, plain=_exchange(200), base_url="https://api.example.test/rpc/v1")


def test_plain_http_refused_passes():
    transport_https_only(RULE, plain=_exchange(403), base_url="https://api.example.test/rpc/v1")


def test_not_applicable_on_a_plain_http_target():
    with pytest.raises(NotApplicable, match="plain http"):
        transport_https_only(RULE, plain=None, base_url="http://127.0.0.1:8765/rpc/v1")
