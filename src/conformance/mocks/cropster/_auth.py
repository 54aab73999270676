"""Cropster authentication: bearer tokens with namespace scopes, and the OAuth2 token endpoint."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.tokens import ClientRecord, oauth_form, oauth_form_any, parse_scope_param
from conformance.mocks.cropster._base import CropsterBase


class Auth(CropsterBase):
    def _authenticate(self, request: Request) -> tuple[ClientRecord, frozenset[str]]:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client, check.token.scopes
        demo = next(c for c in self.clients)
        listing = request.url.path.rsplit(".", 1)[-1].startswith("list")
        if (
            (check.status == "unknown" and self.fault("invalid_token_accepted"))
            or (check.status == "missing" and self.fault("anonymous_access"))
            or (check.status == "missing" and listing and self.fault("lists_without_token"))
        ):
            return demo, demo.scopes
        reason = {
            "missing": "No bearer token",
            "malformed": "Malformed Authorization header",
            "unknown": "Invalid token",
            "expired": "The token has expired",
        }[check.status]
        raise self.error(401, "invalid_authentication", reason, {"WWW-Authenticate": "Bearer"})

    async def _token(self, request: Request) -> Response:
        if request.method != "POST":
            raise MockHTTPError(
                405, {"error": "invalid_request", "error_description": "use POST"}, {"Allow": "POST"}
            )
        form = await (
            oauth_form_any(request) if self.fault("token_any_content_type") else oauth_form(request)
        )
        client = self.clients.authenticate(form.get("client_id"), form.get("client_secret"))
        if client is None:
            raise MockHTTPError(
                400 if self.fault("invalid_client_400") else 401,
                {"error": "invalid_client", "error_description": "Unknown client or bad secret"},
            )
        # the fault, or a persona (not conformant: the token endpoint is not limited) whose token
        # calls spend the client's quota like any other call
        if self.fault("token_endpoint_limited") or self.trait("tokens_counted"):
            self.spend_quota(client)
        grant = form.get("grant_type")
        if grant != "client_credentials" and not self.fault("any_grant_type_accepted"):
            raise MockHTTPError(
                400,
                {
                    "error": "unsupported_grant_type" if grant else "invalid_request",
                    "error_description": "grant_type must be client_credentials",
                },
            )
        requested = parse_scope_param(form.get("scope"))
        scopes = sorted(client.scopes) if requested is None else requested
        if requested is None and self.fault("no_scope_grants_green_only"):
            scopes = ["inventory.green"]
        extra = [s for s in scopes if s not in client.scopes]
        if extra and not self.fault("invalid_scope_granted"):
            raise MockHTTPError(
                400,
                {
                    "error": "invalid_scope",
                    "error_description": f"Not granted to this client: {' '.join(extra)}",
                },
            )
        token = self.tokens.issue(client, scopes)
        joiner = " " if self.fault("token_scope_spaces") else "%20"
        return json_response(
            {
                "access_token": token.value,
                "expires_in": self.lifetime,
                "scope": joiner.join(scopes),
                "token_type": "bearer",
            },
            headers={"Cache-Control": "no-store"},
        )
