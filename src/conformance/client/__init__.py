"""Client layer: one httpx client factory, auth providers, recording and redaction."""

from __future__ import annotations

from conformance.client.api import ApiClient, render_templates
from conformance.client.auth import (
    ApiKeyBearer,
    BearerPlusApiKey,
    OAuth2ClientCredentials,
    TokenCache,
    TokenError,
)
from conformance.client.pacing import Pacer
from conformance.client.recording import Recorder
from conformance.client.redaction import Redactor
from conformance.client.transports import SyncASGITransport, network_transport
from conformance.core import MASK

__all__ = [
    "MASK",
    "ApiClient",
    "ApiKeyBearer",
    "BearerPlusApiKey",
    "OAuth2ClientCredentials",
    "Pacer",
    "Recorder",
    "Redactor",
    "SyncASGITransport",
    "TokenCache",
    "TokenError",
    "network_transport",
    "render_templates",
]
