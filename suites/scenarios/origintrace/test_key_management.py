"""OriginTrace key management from the docs, with an admin session: a new key's secret is the full
64-character key and its key_prefix is the secret's first 8 characters; revoking answers
{"success": true, "message": "API key revoked"}."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import json_at

pytestmark = [pytest.mark.capability("business"), pytest.mark.writes, pytest.mark.only_api("origintrace")]
PREFIX_LENGTH = 8
SECRET_LENGTH = 64


def _admin(target):
    cookie = target.admin_cookie()
    if not cookie:
        pytest.skip(
            f"needs {', '.join(target.missing('SESSION_COOKIE'))} (an admin session for key management)"
        )
    return {"Cookie": cookie}


def _create(client, target):
    body = {**(client.example("createApiKey") or {}), "name": "conformance key check"}
    created = client.call("createApiKey", json=body, headers=_admin(target), auth=False)
    assert created.ok, f"could not create a key: {created.summary()}"
    return created, str(json_at(client.unredacted_json(created), "/secret"))


def test_key_prefix_is_the_secrets_start(contract, target, client, verify):
    created, secret = _create(client, target)
    verify(
        checks.business.business_key_prefix_matches_secret,
        contract.profile.business["key_prefix_is_secret_start"],
        created=created,
        prefix=json_at(created.json(), "/key/key_prefix"),
        secret_start=secret[:PREFIX_LENGTH],
    )


def test_secret_is_the_full_key(contract, target, client, verify):
    created, secret = _create(client, target)
    verify(
        checks.business.business_secret_full_length,
        contract.profile.business["secret_full_length"],
        created=created,
        secret_length=len(secret),
        length=SECRET_LENGTH,
    )


def test_revoke_answers_as_documented(contract, target, client, verify):
    created, _ = _create(client, target)
    revoke = client.call(
        "revokeApiKey",
        params={"id": str(json_at(created.json(), "/key/id"))},
        headers=_admin(target),
        auth=False,
    )
    verify(
        checks.business.business_state_as_documented,
        contract.profile.business["revoke_answer"],
        write=revoke,
        read=revoke,
        entity=revoke.json() if revoke.ok else None,
        expected={"/success": True, "/message": "API key revoked"},
    )
