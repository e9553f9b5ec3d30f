"""Limits that hold across every process: per-client attempt windows and per-account serialisation.

Counters live in the database (not in one process's memory), so two gunicorn workers, several web
machines or Celery deployments all see the same counts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from limits import parse
from sqlalchemy import delete, func, select, text

from quizapp.errors import TooManyRequests
from quizapp.extensions import db
from quizapp.models import AuthAttempt, User
from quizapp.models.types import utcnow


def window(limit: str) -> tuple[int, timedelta]:
    """The amount and the window of a Flask-Limiter style limit such as ``20/minute``."""
    item = parse(limit)
    return item.amount, timedelta(seconds=item.get_expiry())


def serialise_account(user_id: int) -> None:
    """Start this use case's transaction so that concurrent ones for the same account run one at a time.

    PostgreSQL locks the account's row; SQLite (which ignores ``FOR UPDATE``) takes the database's write
    lock up front with ``BEGIN IMMEDIATE``. Call it first: on SQLite it commits what came before.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()
        db.session.execute(text("BEGIN IMMEDIATE"))
    else:
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def record_attempt(scope: str, client: str, limit: str, now: datetime | None = None) -> None:
    """Count one attempt of ``client`` at ``scope`` (``login``, ``token``...); 429 beyond ``limit``.

    The attempt is committed before counting, so concurrent attempts in other processes always see each
    other: at worst both of two racing attempts at the boundary are refused, never both let through.
    A refused attempt is not counted, so a client that waits gets in again after the window.
    """
    moment = now or utcnow()
    amount, span = window(limit)
    since = moment - span
    key = client[:64]
    db.session.execute(
        delete(AuthAttempt).where(
            AuthAttempt.scope == scope, AuthAttempt.client == key, AuthAttempt.attempted_at <= since
        )
    )
    attempt = AuthAttempt(scope=scope, client=key, attempted_at=moment)
    db.session.add(attempt)
    db.session.commit()
    recent = select(AuthAttempt.attempted_at).where(
        AuthAttempt.scope == scope, AuthAttempt.client == key, AuthAttempt.attempted_at > since
    )
    count = db.session.scalar(select(func.count()).select_from(recent.subquery())) or 0
    if count <= amount:
        return
    oldest = db.session.scalar(select(func.min(AuthAttempt.attempted_at)).where(
        AuthAttempt.scope == scope, AuthAttempt.client == key, AuthAttempt.attempted_at > since
    ))  # fmt: skip
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.id == attempt.id))
    db.session.commit()
    retry_after = max(1, math.ceil(((oldest or moment) + span - moment).total_seconds()))
    raise TooManyRequests(
        f"Too many attempts; the limit is {limit}. Try again in {retry_after} s.",
        code="rate_limited",
        retry_after=retry_after,
    )
