"""Ag Catalog authentication: bearer tokens and the OAuth2 token endpoint (client secret basic)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.agcatalog._base import AgCatalogBase
from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.tokens import ClientRecord, oauth_error, oauth_form, parse_basic


class Auth(AgCatalogBase):
    def _authenticate(self, request: Request) -> ClientRecord:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client
        if (check.status == "unknown" and self.fault("invalid_token_accepted")) or (
            check.status == "missing" and self.fault("anonymous_access")
        ):
            return next(c for c in self.clients)
        exc = self.error(request, 401, "UNAUTHORIZED", f"Authentication failed: {check.status} token")
        exc.headers["WWW-Authenticate"] = "Bearer"
        raise exc

    async def _token(self, request: Request) -> Response:
        if request.method != "POST":
            raise oauth_error(405, "invalid_request", "use POST", {"Allow": "POST"})
        creds = parse_basic(request.headers.get("authorization"))
        client = self.clients.authenticate(*creds) if creds else None
        if client is None:
            status = 400 if self.fault("invalid_client_400") else 401
            raise oauth_error(
                status, "invalid_client", "Bad client credentials", {"WWW-Authenticate": "Basic"}
            )
        form = await oauth_form(request)
        if form.get("grant_type") != "client_credentials" and not self.fault("any_grant_type_accepted"):
            raise oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
        token = self.tokens.issue(client)
        return json_response(
            {
                "access_token": token.value,
                "token_type": "mac" if self.fault("token_type_mac") else "Bearer",
                "expires_in": self.token_lifetime,
                "scope": form.get("scope", "read"),
            }
        )
