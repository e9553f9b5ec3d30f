"""Submissions: claiming and recording gradings, requeueing, regrading and history (accepting them is
``quizapp.services.submitting``).

The database is the source of truth for the grading queue. A submission is committed as ``queued``
before any grader hears of it; a grader *claims* it with an atomic conditional UPDATE that writes a
fresh ``claim_token``, and may record a result only while that token is still the submission's.
So a job delivered twice, or a grader that lost its claim to the stale sweep, leaves one result.

For a queued submission ``started_at`` is when it was last handed to the queue (so lost jobs can
be spotted); for a running one it is when the current claim began. ``queued_at`` never changes:
it is when the student submitted.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Table, Update, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import defer, selectinload

from quizapp.errors import Conflict, NotFound
from quizapp.extensions import db
from quizapp.models import Grading, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import audit, exercises

_SUBMISSIONS: Table = Submission.__table__
_GRADINGS: Table = Grading.__table__
VERDICT_STATUSES = ("passed", "failed", "error", "timeout", "resource_limit", "rejected")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A grader's hold on one submission: only the holder of ``token`` may record its result."""

    submission_id: int
    token: str
    exercise: str
    code: str
    kind: str
    delivery_count: int


_QUEUE_DEPTH = select(func.count()).where(Submission.status == "queued")  # built once: asked per submission


def queue_depth() -> int:
    """How many submissions are waiting for a grader."""
    return db.session.scalar(_QUEUE_DEPTH) or 0


def _claim_statement(*conditions: Any) -> Any:
    """A claim of the submission ``conditions`` pick: on the table (it needs none of the session's objects),
    with the claim's token and time bound as ``claim_token_`` and ``claimed_at``."""
    subs = _SUBMISSIONS
    return (
        update(subs)
        .where(*conditions)
        .values(
            status="running",
            claim_token=bindparam("claim_token_", type_=subs.c.claim_token.type),
            started_at=bindparam("claimed_at", type_=subs.c.started_at.type),
            delivery_count=subs.c.delivery_count + 1,
        )
        .returning(subs.c.id, subs.c.exercise_slug, subs.c.code, subs.c.pending_kind, subs.c.delivery_count)
    )


# A grading's statements, built once with bound parameters (building each cost about as much as running it).
_CLAIM_ONE = _claim_statement(
    _SUBMISSIONS.c.id == bindparam("submission_id"),
    or_(
        _SUBMISSIONS.c.status == "queued",
        and_(_SUBMISSIONS.c.status == "running", _SUBMISSIONS.c.started_at < bindparam("stale_before")),
    ),
)
_ANY_QUEUED = select(Submission.id).where(Submission.status == "queued").limit(1)
_CLAIM_OLDEST = _claim_statement(
    _SUBMISSIONS.c.id
    == (
        select(_SUBMISSIONS.c.id)
        .where(_SUBMISSIONS.c.status == "queued")
        .order_by(_SUBMISSIONS.c.pending_kind, _SUBMISSIONS.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    ),
    _SUBMISSIONS.c.status == "queued",
)


def _claim(statement: Any, **given: Any) -> Claim | None:
    token = str(uuid.uuid4())
    row = db.session.execute(statement, {**given, "claim_token_": token, "claimed_at": utcnow()}).first()
    db.session.commit()
    if row is None:
        return None
    return Claim(
        submission_id=row[0], token=token, exercise=row[1], code=row[2], kind=row[3], delivery_count=row[4]
    )


def claim(submission_id: int, stale_after: float) -> Claim | None:
    """Atomically take a queued (or stale running) submission for grading; None if someone else has it."""
    stale_before = utcnow() - timedelta(seconds=stale_after)
    return _claim(_CLAIM_ONE, submission_id=submission_id, stale_before=stale_before)


def claim_next() -> Claim | None:
    """Atomically take the oldest queued submission, students' new work before regrades; None if idle.

    An idle pool asks often; it looks with a plain read first, so that finding nothing never takes the
    write lock SQLite has one of.
    """
    if db.session.scalar(_ANY_QUEUED) is None:
        db.session.rollback()
        return None
    return _claim(_CLAIM_OLDEST)


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"verdict {name} must be a finite number, not {value!r}")
    return float(value)


def record_result(
    held: Claim,
    verdict: Mapping[str, Any],
    *,
    grader_version: str | None,
    content_version: int | None,
    seed: int | None = None,
) -> bool:
    """Store a verdict if ``held`` is still the submission's claim: one Grading row and the new current
    score, in one transaction. Returns False (and stores nothing) when the claim was lost.

    Storing never fails because of the verdict's content: a verdict this function or the database
    refuses (an unknown status, text PostgreSQL's JSONB rejects...) is replaced at once by an
    ``error`` verdict that says so. Only a database that cannot be reached raises.
    """
    try:
        return _store(held, verdict, grader_version, content_version, seed)
    except (OperationalError, InterfaceError):
        db.session.rollback()
        raise
    except Exception as exc:
        db.session.rollback()
        log.exception("submission %s: verdict not storable, recording an error", held.submission_id)
        # Only the plainest values: the refused content may have been the seed or a version too.
        return _store(held, unstorable_verdict(held, exc), None, None, None)


def unstorable_verdict(held: Claim, exc: BaseException) -> dict[str, Any]:
    """The ``error`` verdict recorded instead of one that could not be stored."""
    exercise = exercises.find(held.exercise)
    return {
        "exercise": held.exercise,
        "status": "error",
        "score": 0,
        "max_score": exercise.max_score if exercise else 0,
        "cases": [],
        "feedback": [
            f"The grader's result for this submission could not be stored ({type(exc).__name__}), so it "
            "is recorded as an error. This is not necessarily a problem with your code: ask your "
            "instructor for a regrade."
        ],
        "output": "",
    }


_OUTCOME = ("score", "max_score", "verdict", "grader_version", "content_version")  # mirrored from the grading


def _bound(table: Table, name: str) -> Any:
    """A parameter for a value of ``table``'s column ``name``, typed as that column (``<name>_``: a column's
    own name is SQLAlchemy's in a SET clause)."""
    return bindparam(f"{name}_", type_=table.c[name].type)


# Core statements on the tables rather than ORM ones: nothing here needs the session's objects, and on
# SQLite this transaction holds the single write lock. Built once, as above.
_RECORD = (
    update(_SUBMISSIONS)
    .where(
        _SUBMISSIONS.c.id == bindparam("submission_id"),
        _SUBMISSIONS.c.claim_token == bindparam("held_token"),
        _SUBMISSIONS.c.status == "running",
    )
    .values(
        status="graded",
        claim_token=None,
        finished_at=_bound(_SUBMISSIONS, "finished_at"),
        **{name: _bound(_SUBMISSIONS, name) for name in _OUTCOME},
    )
)
# The grading row copies what was just written, the verdict included, inside the database: the verdict is
# encoded to JSON once, not once per row.
_COPY_TO_GRADING = insert(_GRADINGS).from_select(
    ["submission_id", "kind", "verdict_status", "seed", "created_at", *_OUTCOME],
    select(
        _SUBMISSIONS.c.id,
        _bound(_GRADINGS, "kind"),
        _bound(_GRADINGS, "verdict_status"),
        _bound(_GRADINGS, "seed"),
        _bound(_GRADINGS, "created_at"),
        *(_SUBMISSIONS.c[name] for name in _OUTCOME),
    ).where(_SUBMISSIONS.c.id == bindparam("submission_id")),
)


def _store(
    held: Claim,
    verdict: Mapping[str, Any],
    grader_version: str | None,
    content_version: int | None,
    seed: int | None,
) -> bool:
    status = verdict.get("status")
    if status not in VERDICT_STATUSES:
        raise ValueError(f"unknown verdict status {status!r}")
    score = _number(verdict.get("score"), "score")
    max_score = _number(verdict.get("max_score"), "max_score")
    now = utcnow()
    # What the submission mirrors from its latest grading.
    outcome = {
        "score_": score,
        "max_score_": max_score,
        "verdict_": dict(verdict),
        "grader_version_": grader_version,
        "content_version_": content_version,
    }
    held_row = {"submission_id": held.submission_id, "held_token": held.token}
    result = db.session.execute(_RECORD, {**held_row, **outcome, "finished_at_": now})
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    grading = {"kind_": held.kind, "verdict_status_": status, "seed_": seed, "created_at_": now}
    db.session.execute(_COPY_TO_GRADING, {**held_row, **grading})
    db.session.commit()
    return True


def _requeue(*conditions: Any, **values: Any) -> Update:
    """An UPDATE putting the matching submissions back in the queue, unclaimed; ``values`` add or override."""
    return (
        update(Submission)
        .where(*conditions)
        .values({"status": "queued", "claim_token": None, "started_at": utcnow(), **values})
        .execution_options(synchronize_session=False)
    )


def release(held: Claim) -> bool:
    """Give a claimed submission back to the queue (the grader itself failed); False if already lost."""
    result = db.session.execute(
        _requeue(Submission.id == held.submission_id, Submission.claim_token == held.token)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def requeue_stale(stale_after: float, limit: int = 500) -> list[int]:
    """Put submissions queued or running for longer than ``stale_after`` seconds back in the queue.

    Running ones lose their claim (a late result from their grader is discarded). Returns the ids,
    which the caller hands to the grading backend again; concurrent sweeps never return the same id.
    """
    now = utcnow()
    stale_before = now - timedelta(seconds=stale_after)
    stale = or_(
        and_(
            Submission.status == "queued",
            func.coalesce(Submission.started_at, Submission.queued_at) < stale_before,
        ),
        and_(Submission.status == "running", Submission.started_at < stale_before),
    )
    candidates = select(Submission.id).where(stale).order_by(Submission.id).limit(limit).scalar_subquery()
    ids = db.session.scalars(
        _requeue(Submission.id.in_(candidates), stale, started_at=now).returning(Submission.id)
    ).all()
    db.session.commit()
    return sorted(ids)


def regrade(submission_id: int) -> Submission:
    """Queue a graded submission for a regrade (kept as a new Grading row); Conflict if not graded yet."""
    result = db.session.execute(
        _requeue(Submission.id == submission_id, Submission.status == "graded", pending_kind="regrade")
    )
    db.session.commit()
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"No submission {submission_id}.")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This submission is already waiting for a grader.", code="not_graded_yet")
    db.session.refresh(submission)
    return submission


def regrade_exercise(exercise_slug: str, actor: User | None = None, reason: str | None = None) -> list[int]:
    """Queue every graded submission to an exercise for a regrade (recorded in the audit log); their ids."""
    exercise = exercises.get(exercise_slug)
    ids = db.session.scalars(
        _requeue(
            Submission.exercise_slug == exercise.slug, Submission.status == "graded", pending_kind="regrade"
        ).returning(Submission.id)
    ).all()
    audit.record(actor, "regrade.bulk", exercise.slug, reason, {"queued": len(ids)})
    db.session.commit()
    return sorted(ids)


def visible_submission(submission_id: int, viewer: User) -> Submission:
    """The submission if ``viewer`` owns it or is an instructor; NotFound otherwise (never Forbidden)."""
    submission = db.session.scalar(_BY_ID, {"submission_id": submission_id})
    if submission is None or (submission.user_id != viewer.id and not viewer.is_instructor):
        raise NotFound(f"No submission {submission_id}.")
    return submission


# Statements on the request path are built once, with bound parameters: building one and working out its
# cache key cost SQLAlchemy about as much as running it (the watcher's, asked every few milliseconds, twice).
_BY_ID = select(Submission).where(Submission.id == bindparam("submission_id"))
_HISTORY = (
    select(Submission)
    .where(Submission.user_id == bindparam("user_id"))
    .options(selectinload(Submission.gradings))
    .order_by(Submission.id.desc())
    .limit(bindparam("limit"))
)
_HISTORY_OF_EXERCISE = _HISTORY.where(Submission.exercise_slug == bindparam("slug"))
_HISTORY_LISTS = {  # (any exercise, verdicts read) -> statement
    (True, True): _HISTORY,
    (False, True): _HISTORY_OF_EXERCISE,
    (True, False): _HISTORY.options(defer(Submission.verdict)),
    (False, False): _HISTORY_OF_EXERCISE.options(defer(Submission.verdict)),
}
_GRADED_AMONG = select(Submission.id).where(
    Submission.id.in_(bindparam("ids", expanding=True)), Submission.status == "graded"
)


def graded_among(submission_ids: Sequence[int], connection: Connection) -> list[int]:
    """Which of these submissions are graded now: one indexed query on ``connection``, outside any ORM
    session (the long-poll watcher asks every few milliseconds, so it keeps a connection of its own)."""
    try:
        return list(connection.scalars(_GRADED_AMONG, {"ids": list(submission_ids)}))
    finally:
        connection.rollback()  # end any read transaction, so the next look sees what was committed since


def history(
    user: User, exercise_slug: str | None = None, limit: int = 50, *, verdicts: bool = True
) -> Sequence[Submission]:
    """The user's own submissions, newest first, with their gradings loaded.

    ``verdicts=False`` leaves each verdict's JSON unread until it is used (a list of attempts shows
    ``verdict_status`` instead, and opens at most one in full).
    """
    query = _HISTORY_LISTS[exercise_slug is None, verdicts]
    return db.session.scalars(query, {"user_id": user.id, "slug": exercise_slug, "limit": limit}).all()


def attempt_number(submission: Submission) -> int:
    """Which of its author's submissions to that exercise this one is (1 for the first): "Attempt 3"."""
    count = db.session.scalar(
        select(func.count(Submission.id)).where(
            Submission.user_id == submission.user_id,
            Submission.exercise_slug == submission.exercise_slug,
            Submission.id <= submission.id,
        )
    )
    return int(count or 0)


def newest_attempt_number(past: Sequence[Submission], limit: int) -> int:
    """The attempt number of the newest of ``past``: one student's submissions to one exercise, newest
    first, as ``history`` lists at most ``limit`` of them. Their count when the list holds them all."""
    if not past:
        return 0
    return len(past) if len(past) < limit else attempt_number(past[0])


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def grading_dict(grading: Grading) -> dict[str, Any]:
    """One entry of a submission's grading history, as JSON."""
    return {
        "id": grading.id,
        "kind": grading.kind,
        "status": grading.verdict_status,
        "score": grading.score,
        "max_score": grading.max_score,
        "grader_version": grading.grader_version,
        "content_version": grading.content_version,
        "created_at": _iso(grading.created_at),
        "reason": grading.reason,
    }


def _override_dict(submission: Submission) -> dict[str, Any] | None:
    """The instructor's override that sets the current ``score``, with its reason; None if none does."""
    latest = submission.gradings[-1] if submission.gradings else None
    if latest is None or latest.kind != "override":
        return None
    return {
        "score": latest.score,
        "max_score": latest.max_score,
        "reason": latest.reason,
        "at": _iso(latest.created_at),
    }


def submission_dict(submission: Submission, *, with_code: bool = False) -> dict[str, Any]:
    """The API's view of a submission: the contract's fields plus timing, versions and history."""
    data: dict[str, Any] = {
        "id": submission.id,
        "exercise": submission.exercise_slug,
        "status": submission.status,
        "verdict": submission.verdict if submission.status == "graded" else None,
        "score": submission.score if submission.status == "graded" else None,
        "max_score": submission.max_score if submission.status == "graded" else None,
        "source": submission.source,
        "submitted_at": _iso(submission.queued_at),
        "started_at": _iso(submission.started_at) if submission.status == "running" else None,
        "finished_at": _iso(submission.finished_at) if submission.status == "graded" else None,
        "grader_version": submission.grader_version,
        "content_version": submission.content_version,
        "history": [grading_dict(grading) for grading in reversed(submission.gradings)],
        "late": submission.days_late > 0,
        "days_late": submission.days_late,
        "override": _override_dict(submission),
    }
    if with_code:
        data["code"] = submission.code
    return data


def regradable_count(exercise_slug: str) -> int:
    """How many submissions ``regrade_exercise`` would queue now: the exercise's graded submissions."""
    return int(
        db.session.scalar(
            select(func.count(Submission.id)).where(
                Submission.exercise_slug == exercise_slug, Submission.status == "graded"
            )
        )
        or 0
    )
