"""Configuration from the environment, with overrides for tests and embedding."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "GRADER_BACKEND",
    "CELERY_BROKER_URL",
    "COURSE_JOIN_CODE",
    "RATELIMIT_STORAGE_URI",
    "LOGIN_RATE_LIMIT",
    "TOKEN_RATE_LIMIT",
    "COURSE_TIMEZONE",
    "REQUEST_CONCURRENCY",
)
GRADER_BACKENDS = ("local", "celery")
# Scripts only from this site (plus per-response nonces); inline style is allowed for the SVG charts.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def secret_key_from_instance(instance_path: Path) -> str:
    """Return the instance's secret key, generating and storing it on first use."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def engine_options(database_url: str) -> dict[str, Any]:
    """Connection pool settings: enough kept-open connections for a worker's threads.

    A connection beyond ``pool_size`` is opened for one checkout and closed after it; with the default
    of 5 and 32 request threads, a busy worker spent its time opening and closing connections (and, for
    SQLite, setting each one up again). A SQLite file cannot drop a connection, so it needs no ping.
    """
    if database_url.startswith("sqlite"):
        if ":memory:" in database_url or database_url.rstrip("/") == "sqlite:":
            return {}  # one in-memory database per connection: SQLAlchemy's own pool for it
        return {"pool_size": 48, "max_overflow": 32, "pool_pre_ping": False}
    return {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True}


def build_config(instance_path: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Merge defaults, environment variables and explicit overrides into a Flask config."""
    overrides = dict(overrides or {})
    env = {key: os.environ[key] for key in ENV_KEYS if os.environ.get(key)}
    settings: dict[str, Any] = {**env, **overrides}

    database_url = settings.get("DATABASE_URL") or f"sqlite:///{instance_path / 'quizapp.db'}"
    secret_key = settings.get("SECRET_KEY") or secret_key_from_instance(instance_path)
    backend = settings.get("GRADER_BACKEND", "local")
    if backend not in GRADER_BACKENDS:
        raise ValueError(f"GRADER_BACKEND must be one of {GRADER_BACKENDS}, not {backend!r}")

    timezone = settings.get("COURSE_TIMEZONE") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"COURSE_TIMEZONE must be an IANA zone such as Europe/Paris, not {timezone!r}"
        raise ValueError(message) from None

    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "SECRET_KEY": secret_key,
        "GRADER_BACKEND": backend,
        "CELERY_BROKER_URL": settings.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        "COURSE_JOIN_CODE": settings.get("COURSE_JOIN_CODE") or None,
        # Bodies above this are refused with 413 before any view runs.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": settings.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_TOKEN_TTL_DAYS": 30,
        # Counted in the database, so they hold across every worker process (quizapp.services.throttle).
        "LOGIN_RATE_LIMIT": settings.get("LOGIN_RATE_LIMIT", "20/minute"),
        "TOKEN_RATE_LIMIT": settings.get("TOKEN_RATE_LIMIT", "20/minute"),
        "REGISTER_RATE_LIMIT": "10/minute",
        "CONTENT_SECURITY_POLICY": CONTENT_SECURITY_POLICY,
        # Requests of one process that run at once; the rest queue (quizapp.gate). 0: no limit.
        "REQUEST_CONCURRENCY": int(settings.get("REQUEST_CONCURRENCY", 4)),
        # Dates are stored in UTC and shown (and read from forms and content files) in this zone.
        "COURSE_TIMEZONE": timezone,
    }
    config.update(overrides)
    config["DATABASE_URL"] = database_url
    return config
