"""Accepting a submission: validating the code, the schedule, the queue's capacity and the per-account
limit, and committing it as ``queued`` (the caller then hands it to the grading backend)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.dml import ReturningInsert

from quizapp.errors import BadRequest, PayloadTooLarge, TooManyRequests, Unavailable, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Submission, User
from quizapp.models.types import utcnow
from quizapp.services import exercises, schedules, throttle
from quizapp.services.submissions import queue_depth

MAX_CODE_BYTES = 64 * 1024
SOURCES = ("web", "upload", "api", "cli", "notebook")


def _code_text(code: object) -> str:
    """The submitted code as text, or the fitting error (400 not text, 413 too large, 422 empty)."""
    if isinstance(code, bytes | bytearray):
        if len(code) > MAX_CODE_BYTES:
            raise PayloadTooLarge(f"Code is limited to {MAX_CODE_BYTES // 1024} KiB.", code="code_too_large")
        try:
            code = bytes(code).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("The code is not UTF-8 text.", code="bad_encoding") from exc
    if not isinstance(code, str):
        raise ValidationFailed("Send the code as a string in the field 'code'.", code="invalid_code")
    try:
        size = len(code.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates smuggled in through JSON escapes
        raise BadRequest("The code is not valid UTF-8 text.", code="bad_encoding") from exc
    if size > MAX_CODE_BYTES:
        raise PayloadTooLarge(f"Code is limited to {MAX_CODE_BYTES // 1024} KiB.", code="code_too_large")
    if "\x00" in code:
        raise BadRequest("The code contains NUL characters; it is not source text.", code="bad_encoding")
    if not code.strip():
        raise ValidationFailed("The code is empty.", code="empty_code")
    return code


def _counted(
    user_id: int | ColumnElement[int], since: datetime | ColumnElement[datetime]
) -> ColumnElement[bool]:
    """The account's submissions that count against its limit: those queued after ``since`` (values, or
    bound parameters in a statement built once)."""
    return and_(Submission.user_id == user_id, Submission.queued_at > since)


def check_rate(user_id: int, limit: str, now: datetime | None = None) -> None:
    """Refuse (429) a submission past ``limit`` (e.g. ``20/minute``), counting the account's stored ones.

    The count comes from the submissions table inside a transaction serialised per account, so the limit
    holds whatever the number of web processes. The caller stores the submission in the same transaction.
    """
    moment = now or utcnow()
    amount, span = throttle.window(limit)
    throttle.serialise_account(user_id)
    recent = db.session.scalar(select(func.count()).where(_counted(user_id, moment - span)))
    if (recent or 0) >= amount:
        db.session.rollback()
        _refuse(user_id, limit, moment)


def _refuse(user_id: int, limit: str, moment: datetime) -> NoReturn:
    """Raise the 429 for an account at its ``limit``, saying when its oldest counted submission ages out."""
    amount, span = throttle.window(limit)
    recent = list(
        db.session.scalars(
            select(Submission.queued_at)
            .where(_counted(user_id, moment - span))
            .order_by(Submission.queued_at)
        )
    )
    oldest = recent[len(recent) - amount] if len(recent) >= amount else moment
    retry_after = max(1, math.ceil((oldest + span - moment).total_seconds()))
    raise TooManyRequests(
        f"You may submit {limit.replace('/', ' times per ')}; try again in {retry_after} s.",
        code="rate_limited",
        retry_after=retry_after,
    )


def _insert_queued(values: dict[str, Any], limit: str | None) -> int | None:
    """Insert a queued submission in one statement, only while the account is under ``limit``; its id, or
    None when the limit is reached (nothing stored).

    One ``INSERT ... SELECT ... WHERE (count) < amount``: on SQLite, where a write holds the database's
    only write lock until its commit, the check and the insert are one statement in a transaction of two
    calls. PostgreSQL first locks the account's row, so concurrent submissions of one account count in turn.
    """
    if not limit:
        plain = insert(Submission).values(values).returning(Submission.id)
        return int(db.session.execute(plain).scalar_one())
    amount, span = throttle.window(limit)
    if db.session.get_bind().dialect.name != "sqlite":
        throttle.serialise_account(int(values["user_id"]))
    limits = {"limit_user": values["user_id"], "since": values["queued_at"] - span, "amount": amount}
    found = db.session.execute(_limited_insert(tuple(values)), {**values, **limits}).scalar_one_or_none()
    return None if found is None else int(found)


_LIMITED_INSERTS: dict[tuple[str, ...], ReturningInsert[tuple[int]]] = {}


def _limited_insert(names: tuple[str, ...]) -> ReturningInsert[tuple[int]]:
    """``_insert_queued``'s statement for these columns, built once (building it, with its count and a bound
    value per column, cost more than running it): the values are bound by column name, the account's
    limit as ``limit_user``, ``since`` and ``amount``."""
    statement = _LIMITED_INSERTS.get(names)
    if statement is None:
        # On the table, not the mapped class: with a dict of values, an ORM insert would be a bulk insert.
        table = Submission.__table__
        counted = _counted(bindparam("limit_user"), bindparam("since"))
        recent = select(func.count()).where(counted).scalar_subquery()
        row = select(*(bindparam(name, type_=table.c[name].type) for name in names))
        row = row.where(recent < bindparam("amount"))
        statement = insert(table).from_select(list(names), row).returning(table.c.id)
        _LIMITED_INSERTS[names] = statement  # two threads may both build it: the same statement
    return statement


def accept(
    user: User,
    exercise_slug: str,
    code: object,
    *,
    source: str,
    capacity: int,
    rate_limit: str | None = None,
    claim_token: str | None = None,
) -> Submission:
    """Validate and commit a new submission as ``queued``; the caller then hands it to the grading backend.

    With a ``claim_token`` (a grading thread of this process reserved for it) it is committed already
    claimed: ``running`` under that token, its first delivery.

    Raises Closed (403) outside the student's schedule window; work after the due date is kept with its
    ``days_late``. Raises NotFound (unknown exercise), BadRequest / PayloadTooLarge / ValidationFailed
    (bad code), Unavailable with a Retry-After when ``capacity`` submissions are already waiting, and
    TooManyRequests past ``rate_limit`` (see check_rate). Nothing is stored when it raises.
    """
    exercise = exercises.get(exercise_slug)
    now = utcnow()
    days_late = schedules.check_open(exercise.slug, user.id, now)  # Closed (403) outside the window
    text = _code_text(code)
    if source not in SOURCES:
        raise ValidationFailed(f"Unknown submission source {source!r}.", code="invalid_source")
    # Counted before the account's transaction starts: the capacity is a bound on the backlog, not an exact
    # quota, and on SQLite that transaction holds the database's single write lock.
    backlog = queue_depth()
    if backlog >= capacity:
        raise Unavailable(
            "The graders are busy; your code was not stored. Please try again shortly.",
            code="queue_full",
            retry_after=max(1, min(60, math.ceil(backlog / max(capacity, 1) * 10))),
        )
    values = {
        "user_id": user.id,
        "exercise_slug": exercise.slug,
        "code": text,
        "source": source,
        "status": "queued",
        "pending_kind": "auto",
        "queued_at": now,
        "delivery_count": 0,
        "days_late": days_late,
    }
    if claim_token is not None:
        values.update(status="running", claim_token=claim_token, started_at=now, delivery_count=1)
    db.session.commit()  # end any reading transaction: the insert's own starts at the write
    submission_id = _insert_queued(values, rate_limit)
    if submission_id is None:
        db.session.rollback()
        _refuse(user.id, str(rate_limit), now)
    db.session.commit()
    # The stored row is what was just inserted: attach it without reading it back (columns not given, such
    # as the verdict, load on first use).
    stored = Submission(id=submission_id, **values)
    make_transient_to_detached(stored)
    db.session.add(stored)
    return stored
