"""CartonCloud authentication: Accept-Version, bearer tokens, tenants, the token endpoint and userinfo."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.tokens import ClientRecord, oauth_form, parse_basic
from conformance.mocks.cartoncloud._base import CartonCloudBase
from conformance.mocks.cartoncloud._constants import SUPPORTED_VERSIONS, TENANTS


class Auth(CartonCloudBase):
    def _check_accept_version(self, request: Request) -> None:
        if self.fault("accept_version_not_enforced"):
            return
        if self.fault("accept_version_only_on_uaa") and request.url.path.startswith("/tenants/"):
            return
        version = request.headers.get("accept-version")
        if version is None:
            raise self.errors(400, "Accept-Version header is required")
        if version.strip() not in SUPPORTED_VERSIONS and not self.fault("unsupported_version_accepted"):
            raise self.errors(400, f"Unsupported Accept-Version '{version}'; supported: 1 to 8")
        if self.fault("only_version_1") and version.strip() != "1":
            raise self.errors(400, f"Unsupported Accept-Version '{version}'; supported: 1")

    def _authenticate(self, request: Request) -> ClientRecord:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client
        if (check.status == "unknown" and self.fault("accept_any_token")) or (
            check.status == "missing" and self.fault("anonymous_access")
        ):
            return next(c for c in self.clients)  # the demo client
        message = {
            "missing": "Full authentication is required to access this resource",
            "malformed": "Authorization header must be a Bearer token",
            "unknown": "Invalid access token",
            "expired": "Access token expired",
        }[check.status]
        raise self.errors(401, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def _check_tenant(self, client: ClientRecord, tenant: str) -> None:
        if self.fault("tenant_isolation_broken") and tenant in TENANTS:
            return
        if tenant not in {tid for tid, _ in client.attrs["tenants"]}:
            raise self.errors(403, "Access is denied to this tenant")

    async def _token(self, request: Request, match: RouteMatch) -> Response:
        version = request.headers.get("accept-version")
        if version is None and self.fault("token_requires_accept_version"):
            raise MockHTTPError(
                400, {"error": "invalid_request", "error_description": "Accept-Version is required"}
            )
        unsupported = version is not None and version.strip() not in SUPPORTED_VERSIONS
        if unsupported and not self.fault("token_ignores_accept_version_value"):
            raise MockHTTPError(
                400,
                {"error": "invalid_request", "error_description": f"Unsupported Accept-Version '{version}'"},
            )
        creds = parse_basic(request.headers.get("authorization"))
        client = self.clients.authenticate(*creds) if creds else None
        if client is None:
            status = 400 if self.fault("invalid_client_400") else 401
            raise MockHTTPError(
                status,
                {"error": "invalid_client", "error_description": "Bad client credentials"},
                {"WWW-Authenticate": 'Basic realm="oauth"'},
            )
        form = await oauth_form(request)
        grant = form.get("grant_type")
        if not grant:
            raise MockHTTPError(
                400, {"error": "invalid_request", "error_description": "grant_type is required"}
            )
        if grant != "client_credentials" and not self.fault("any_grant_type_accepted"):
            raise MockHTTPError(
                400,
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"},
            )
        token = self.tokens.issue(client)
        return json_response(
            {
                "access_token": token.value,
                "token_type": "mac" if self.fault("token_type_wrong") else "bearer",
                "expires_in": self.token_lifetime,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def _userinfo(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        if self.fault("userinfo_crashes"):
            return self.server_error()
        attrs = client.attrs
        body = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, client.subject)),
            "name": attrs["name"],
            "email": attrs["email"],
            "tenants": [{"id": tid, "name": name} for tid, name in attrs["tenants"]],
        }
        if self.fault("userinfo_without_tenants"):
            del body["tenants"]
        return json_response(body)
