"""Client layer: one httpx client factory, auth providers, recording and redaction."""

from __future__ import annotations

from conformance.client.api import ApiClient
from conformance.client.auth import (
    ApiKeyBearer,
    BearerPlusApiKey,
    CartonCloudAuth,
    OAuth2ClientCredentials,
    TokenCache,
    TokenError,
)
from conformance.client.recording import Exchange, Recorder
from conformance.client.redaction import MASK, Redactor
from conformance.client.transports import SyncASGITransport, network_transport

__all__ = [
    "MASK",
    "ApiClient",
    "ApiKeyBearer",
    "BearerPlusApiKey",
    "CartonCloudAuth",
    "Exchange",
    "OAuth2ClientCredentials",
    "Recorder",
    "Redactor",
    "SyncASGITransport",
    "TokenCache",
    "TokenError",
    "network_transport",
]
