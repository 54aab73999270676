"""Live configuration names: CONFORMANCE_<API>_<KEY>, and which keys hold secrets."""

from __future__ import annotations

ENV_PREFIX = "CONFORMANCE_"
SECRET_CONFIG_KEYS = ("CLIENT_SECRET", "API_KEY", "SESSION_COOKIE", "CLIENT_ID", "SESSION")


class TargetConfigError(Exception):
    """Live configuration is missing or unsafe; the message names the variable."""


def env_name(api: str, key: str) -> str:
    return f"{ENV_PREFIX}{api.upper()}_{key}"
