"""Schedules: when each quiz and exercise opens, is due and closes, and what lateness costs.

The defaults come from the content files (``schedule:`` in an exercise's info.yaml or a quiz file); an
instructor's dates, once set, replace them. Times are stored in UTC and read and shown in the course's
time zone (``COURSE_TIMEZONE``). A student's extension replaces the due and close dates for that student
only (see ``quizapp.services.extensions``).

Lateness is counted in whole days, rounded up: one second past the due date is one day late. It is
stored on each submission and quiz attempt when the work arrives, and recomputed from that original
arrival time whenever the dates that apply to it change (never from the time of a regrade). Reading
and wording times in the course's zone is ``quizapp.services.schedule_time``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import bindparam, select, update

import graders
from graders.catalogue import ScheduleSpec
from quizapp.content.quizzes import all_quizzes
from quizapp.errors import Closed, NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Extension, QuizAttempt, Schedule, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import audit
from quizapp.services.schedule_time import (
    TIME_FIELDS,
    as_utc,
    check_order,
    course_zone,
    local_text,
    parse_penalty,
    parse_time,
)

Kind = Literal["quiz", "exercise"]
State = Literal["not_open", "open", "late", "closed"]
FIELDS = (*TIME_FIELDS, "late_penalty_per_day")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """The dates that apply to one quiz or exercise (for one student when ``extended``)."""

    slug: str
    kind: Kind
    title: str
    opens_at: datetime | None
    due_at: datetime | None
    closes_at: datetime | None
    late_penalty_per_day: float
    source: Literal["content", "instructor", "none"]
    extended: bool = False

    def state(self, now: datetime) -> State:
        """Where ``now`` falls: before opening, open, past due but accepted, or closed."""
        if self.opens_at is not None and now < self.opens_at:
            return "not_open"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        if self.due_at is not None and now > self.due_at:
            return "late"
        return "open"

    def days_late(self, when: datetime) -> int:
        """Whole days (rounded up) that ``when`` is past the due date; 0 when on time or undated."""
        if self.due_at is None or when <= self.due_at:
            return 0
        return math.ceil((when - self.due_at) / DAY)

    def to_dict(self) -> dict[str, Any]:
        """The API's view of a schedule."""
        return {
            "slug": self.slug,
            "kind": self.kind,
            "title": self.title,
            **{name: iso(getattr(self, name)) for name in TIME_FIELDS},
            "late_penalty_per_day": self.late_penalty_per_day,
            "source": self.source,
        }


def penalty_factor(penalty_per_day: float, days_late: int) -> float:
    """What share of a score counts: ``max(0, 1 − penalty × days_late)``."""
    return max(0.0, 1.0 - penalty_per_day * max(0, days_late))


def iso(value: datetime | None) -> str | None:
    """A time as ISO 8601 in UTC, or None."""
    return value.astimezone(UTC).isoformat() if value is not None else None


# --- what can be scheduled -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A quiz or an exercise, with the defaults from its content file."""

    slug: str
    kind: Kind
    title: str
    spec: ScheduleSpec | None


def items() -> list[Item]:
    """Every quiz (file order) then every exercise (catalogue order)."""
    found = [Item(q.slug, "quiz", q.title, q.schedule) for q in all_quizzes().values()]
    found += [Item(e.slug, "exercise", e.title, e.info.schedule) for e in graders.list_exercises()]
    return found


def item(slug: str) -> Item:
    """The quiz or exercise with this slug; NotFound otherwise."""
    for candidate in items():
        if candidate.slug == slug:
            return candidate
    raise NotFound(f"There is no quiz or exercise {slug!r}.", code="unknown_slug")


def _from_content(entry: Item) -> Window:
    spec = entry.spec
    if spec is None:
        return Window(entry.slug, entry.kind, entry.title, None, None, None, 0.0, "none")
    return Window(
        entry.slug,
        entry.kind,
        entry.title,
        as_utc(spec.opens_at) if spec.opens_at else None,
        as_utc(spec.due_at) if spec.due_at else None,
        as_utc(spec.closes_at) if spec.closes_at else None,
        spec.late_penalty_per_day,
        "content",
    )


def _from_row(entry: Item, row: Schedule) -> Window:
    return Window(
        entry.slug,
        entry.kind,
        entry.title,
        row.opens_at,
        row.due_at,
        row.closes_at,
        row.late_penalty_per_day,
        "instructor",
    )


# Statements read on every page and submission, built once with bound parameters: building one and working
# out its cache key cost SQLAlchemy about as much as running it (docs/pipeline.md, "Ninth round").
_ALL_SCHEDULES = select(Schedule)
_SCHEDULE = select(Schedule).where(Schedule.slug == bindparam("slug"))
_EXTENSION = select(Extension).where(
    Extension.slug == bindparam("slug"), Extension.user_id == bindparam("user_id")
)
_EXTENSIONS_OF = select(Extension).where(Extension.user_id == bindparam("user_id"))


def all_windows() -> list[Window]:
    """The schedule of every quiz and exercise, in course order."""
    rows = {row.slug: row for row in db.session.scalars(_ALL_SCHEDULES)}
    return [_from_row(e, rows[e.slug]) if e.slug in rows else _from_content(e) for e in items()]


def window(slug: str) -> Window:
    """The schedule of one quiz or exercise (the instructor's dates, else the content file's)."""
    entry = item(slug)
    row = db.session.scalar(_SCHEDULE, {"slug": slug})
    return _from_row(entry, row) if row is not None else _from_content(entry)


def with_extension(base: Window, extension: Extension | None) -> Window:
    """``base`` with a student's own due and close dates laid over it."""
    if extension is None:
        return base
    return replace(
        base,
        due_at=extension.due_at if extension.due_at is not None else base.due_at,
        closes_at=extension.closes_at if extension.closes_at is not None else base.closes_at,
        extended=True,
    )


def window_for(slug: str, user_id: int) -> Window:
    """The dates that apply to this student (their extension, if any, over the schedule)."""
    extension = db.session.scalar(_EXTENSION, {"slug": slug, "user_id": user_id})
    return with_extension(window(slug), extension)


def windows_for(user_id: int) -> dict[str, Window]:
    """Every quiz's and exercise's dates for this student, by slug."""
    extensions = {e.slug: e for e in db.session.scalars(_EXTENSIONS_OF, {"user_id": user_id})}
    return {w.slug: with_extension(w, extensions.get(w.slug)) for w in all_windows()}


# --- enforcing the window ---------------------------------------------------------------------------


def check_open(slug: str, user_id: int, now: datetime | None = None) -> int:
    """Raise Closed (403 ``closed``) outside this student's window; else return the days late (0 on time)."""
    moment = now or utcnow()
    applies = window_for(slug, user_id)
    state = applies.state(moment)
    if state == "not_open":
        raise Closed(
            f"{applies.title} is not open yet: it opens {local_text(applies.opens_at)}.{_dates(applies)}"
        )
    if state == "closed":
        closed = local_text(applies.closes_at)
        raise Closed(f"{applies.title} closed {closed}; no more work is accepted.{_dates(applies)}")
    return applies.days_late(moment)


def _dates(applies: Window) -> str:
    parts = [
        f"{label} {local_text(value)}"
        for label, value in (
            ("opens", applies.opens_at),
            ("due", applies.due_at),
            ("closes", applies.closes_at),
        )
        if value is not None
    ]
    return f" Dates ({course_zone().key}): {', '.join(parts)}." if parts else ""


def recompute_lateness(slug: str, user_id: int | None = None) -> None:
    """Set ``days_late`` of the stored work on ``slug`` (one student's, or everyone's) from its arrival time.

    Used when the dates that apply change; the caller commits. Submissions count from when they were
    submitted, quiz attempts from when they were submitted, so a regrade never changes lateness.
    """
    base = window(slug)
    extensions = {e.user_id: e for e in db.session.scalars(select(Extension).where(Extension.slug == slug))}
    if base.kind == "exercise":
        query: Any = select(Submission.id, Submission.user_id, Submission.queued_at).where(
            Submission.exercise_slug == slug
        )
        model: Any = Submission
    else:
        query = select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.submitted_at).where(
            QuizAttempt.quiz_slug == slug, QuizAttempt.submitted_at.is_not(None)
        )
        model = QuizAttempt
    if user_id is not None:
        query = query.where(model.user_id == user_id)
    changes: dict[int, list[int]] = {}
    for row_id, owner, arrived in db.session.execute(query):
        late = with_extension(base, extensions.get(owner)).days_late(arrived)
        changes.setdefault(late, []).append(row_id)
    for late, ids in changes.items():
        db.session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(days_late=late)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()


# --- the instructor's changes -------------------------------------------------------------------------


def set_schedule(
    slug: str, payload: Mapping[str, Any], actor: User | None, reason: str | None = None
) -> Window:
    """Store new dates for ``slug`` (fields left out keep their current value, ``null`` clears one).

    Validates the order and the penalty, recomputes the lateness of work already handed in, records the
    change in the audit log and commits. Raises NotFound or ValidationFailed (nothing stored).
    """
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise ValidationFailed(
            f"Unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; use {', '.join(FIELDS)}.",
            code="invalid_schedule",
        )
    current = window(slug)
    values: dict[str, Any] = {name: getattr(current, name) for name in FIELDS}
    for name in TIME_FIELDS:
        if name in payload:
            values[name] = parse_time(payload[name], name)
    if "late_penalty_per_day" in payload:
        values["late_penalty_per_day"] = parse_penalty(payload["late_penalty_per_day"])
    check_order(values["opens_at"], values["due_at"], values["closes_at"])
    row = db.session.scalar(select(Schedule).where(Schedule.slug == slug))
    if row is None:
        row = Schedule(slug=slug, kind=current.kind)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    db.session.flush()
    recompute_lateness(slug)
    audit.record(
        actor,
        "schedule.set",
        slug,
        reason,
        {
            "before": {
                n: iso(getattr(current, n)) if n in TIME_FIELDS else current.late_penalty_per_day
                for n in FIELDS
            },
            "after": {n: iso(values[n]) if n in TIME_FIELDS else values[n] for n in FIELDS},
        },
    )
    db.session.commit()
    return window(slug)
