"""Client layer: one httpx client factory, auth providers, recording and redaction."""

from __future__ import annotations

from conformance.client.api import ApiClient, CallGuard, PlannedCall, render_templates
from conformance.client.auth import (
    ApiKeyBearer,
    BearerPlusApiKey,
    OAuth2ClientCredentials,
    TokenCache,
    TokenError,
)
from conformance.client.pacing import Pacer, WindowPacer
from conformance.client.politeness import Politeness, PoliteTransport
from conformance.client.recording import Recorder
from conformance.client.redaction import Redactor
from conformance.client.transports import SyncASGITransport, network_transport
from conformance.core import MASK

__all__ = [
    "MASK",
    "ApiClient",
    "ApiKeyBearer",
    "BearerPlusApiKey",
    "CallGuard",
    "OAuth2ClientCredentials",
    "Pacer",
    "PlannedCall",
    "PoliteTransport",
    "Politeness",
    "Recorder",
    "Redactor",
    "SyncASGITransport",
    "TokenCache",
    "TokenError",
    "WindowPacer",
    "network_transport",
    "render_templates",
]
