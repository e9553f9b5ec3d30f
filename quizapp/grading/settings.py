"""Grading settings: defaults, overridable by ``create_app`` overrides or the environment."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


DEFAULTS: dict[str, Any] = {
    # Threads in the local pool, each calling graders.grade; the sandbox does the isolation. Twice the
    # cores: sandboxed jobs run at a low priority and wait for the CPU the web leaves them, and a grading
    # thread spends much of a job waiting (for its job, then for the database's write lock).
    "GRADING_WORKERS": 2 * _cores(),
    # Whether the web process runs the local pool itself (else run `flask grader run` beside it).
    "GRADING_POOL_IN_APP": True,
    # Submissions waiting beyond this are refused with 503 + Retry-After; accepted ones are kept.
    "GRADING_QUEUE_CAPACITY": 1000,
    # A job queued or running for longer than this (seconds) is handed out again by the sweep. Keep it
    # above the longest exercise time limit (info.yaml allows up to 60 s) plus the sandbox's start-up.
    "GRADING_STALE_AFTER": 90.0,
    "GRADING_SWEEP_INTERVAL": 30.0,
    # How often an idle local pool looks for work queued by other processes.
    "GRADING_POLL_INTERVAL": 1.0,
    # After this many deliveries without a result the platform records an error verdict.
    "GRADING_MAX_DELIVERIES": 5,
    "SUBMISSION_RATE_LIMIT": "20/minute",
    # Redis redelivers a message unacknowledged for this long (seconds): the broker's own backstop.
    "CELERY_VISIBILITY_TIMEOUT": 300,
    # A grading task running this long (seconds) is killed; the stale sweep then retries it.
    "CELERY_TASK_TIME_LIMIT": 85,
    # The broker queue the web process publishes to and the workers consume.
    "CELERY_QUEUE": "grading",
    # Long polls (`GET /api/v1/submissions/{id}?wait=S`): at most this many requests wait per process,
    # kept below the server's threads (`make run`: 32) so that pages are always served.
    "LONG_POLL_MAX_WAITERS": 24,
    # How often (seconds) a process looks in the database for verdicts stored by other processes.
    "LONG_POLL_INTERVAL": 0.02,
    # The longest wait a client may ask for.
    "LONG_POLL_MAX_WAIT": 30.0,
}


def _parse(raw: str, like: Any) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    return raw


def apply_defaults(app: Flask) -> None:
    """Fill in every grading setting the app's config does not set, from the environment or defaults."""
    for key, default in DEFAULTS.items():
        if key in app.config:
            continue
        raw = os.environ.get(key)
        app.config[key] = _parse(raw, default) if raw else default
