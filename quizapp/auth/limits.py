"""The web side of the limits: which are configured, and whose attempt this is."""

from __future__ import annotations

from flask import current_app, request

from quizapp.services import throttle


def configured_limit(setting: str) -> str | None:
    """The limit named by ``setting`` (e.g. ``SUBMISSION_RATE_LIMIT``), or None when limits are off."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    value = current_app.config.get(setting)
    return str(value) if value else None


def limit_attempts(scope: str, setting: str) -> None:
    """Count this client's attempt at ``scope`` in the shared database; 429 past the configured limit."""
    limit = configured_limit(setting)
    if limit is not None:
        throttle.record_attempt(scope, request.remote_addr or "unknown", limit)
