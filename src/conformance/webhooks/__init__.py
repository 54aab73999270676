"""Webhooks as the harness receives them: a local receiver that records deliveries, and the
`conformance webhook listen` judge for deliveries from a vendor's sandbox."""

from __future__ import annotations

from conformance.webhooks.receiver import LISTEN_NEEDED, ServedReceiver, WebhookReceiver, start_receiver

__all__ = ["LISTEN_NEEDED", "ServedReceiver", "WebhookReceiver", "start_receiver"]
