"""Extensions: one student's own due and close dates for one quiz or exercise.

Granted one at a time (student page, API) or in bulk from a CSV ``email,slug,due_at,closes_at``. The
bulk import is all or nothing: every line is checked first and the first problems are reported with
their line numbers; nothing is stored unless every line is good.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from quizapp.errors import NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Extension, User
from quizapp.services import audit, schedule_time, schedules
from quizapp.services.accounts import find_user, normalise_email
from quizapp.services.schedules import iso

CSV_COLUMNS = ("email", "slug", "due_at", "closes_at")
MAX_REPORTED_PROBLEMS = 20


@dataclass(frozen=True)
class Grant:
    """One checked extension, ready to store."""

    user: User
    slug: str
    due_at: datetime | None
    closes_at: datetime | None


def extension_dict(extension: Extension, email: str) -> dict[str, Any]:
    """The API's view of an extension."""
    return {
        "slug": extension.slug,
        "email": email,
        "due_at": iso(extension.due_at),
        "closes_at": iso(extension.closes_at),
        "created_at": iso(extension.created_at),
    }


def _student(email: str) -> User:
    user = find_user(normalise_email(email))
    if user is None or user.is_instructor:
        raise NotFound(f"There is no student {email!r}.", code="unknown_student")
    return user


def check(slug: str, email: str, due_raw: object, closes_raw: object) -> Grant:
    """Validate one extension: a known slug and student, ISO times, at least one date, in order.

    A new due date on or after the schedule's closing date, given without a closing date, moves the
    student's closing date too (as far past the new due date as the schedule's is past its own).
    """
    entry = schedules.item(slug)
    user = _student(email)
    due_at = schedule_time.parse_time(due_raw, "due_at")
    closes_at = schedule_time.parse_time(closes_raw, "closes_at")
    if due_at is None and closes_at is None:
        raise ValidationFailed("Give a new due_at, a new closes_at, or both.", code="invalid_extension")
    base = schedules.window(entry.slug)
    if due_at is not None and closes_at is None and base.closes_at is not None and due_at >= base.closes_at:
        # A due date past the closing date carries the closing date along, keeping the late window's length.
        grace = base.closes_at - base.due_at if base.due_at is not None else None
        closes_at = due_at + grace if grace is not None else due_at
    effective_due = due_at or base.due_at
    effective_close = closes_at or base.closes_at
    if effective_due and effective_close and effective_close < effective_due:
        raise ValidationFailed(
            "closes_at must not be before due_at (with the schedule's dates where one is left out).",
            code="invalid_extension",
        )
    return Grant(user, entry.slug, due_at, closes_at)


def _store(grant: Grant, actor: User | None) -> Extension:
    row = db.session.scalar(
        select(Extension).where(Extension.slug == grant.slug, Extension.user_id == grant.user.id)
    )
    if row is None:
        row = Extension(slug=grant.slug, user_id=grant.user.id)
        db.session.add(row)
    row.due_at, row.closes_at = grant.due_at, grant.closes_at
    row.created_by_id = actor.id if actor is not None else None
    db.session.flush()
    schedules.recompute_lateness(grant.slug, grant.user.id)
    return row


def set_extension(
    slug: str, email: str, due_at: object, closes_at: object, actor: User | None, reason: str | None = None
) -> Extension:
    """Grant (or change) one student's extension, recompute the lateness of their work, audit, commit."""
    grant = check(slug, email, due_at, closes_at)
    row = _store(grant, actor)
    audit.record(
        actor,
        "extension.set",
        f"{grant.slug} {grant.user.email}",
        reason,
        {"due_at": iso(grant.due_at), "closes_at": iso(grant.closes_at)},
    )
    db.session.commit()
    return row


def remove_extension(slug: str, email: str, actor: User | None, reason: str | None = None) -> None:
    """Withdraw a student's extension (NotFound when there is none); their work's lateness follows."""
    user = _student(email)
    row = db.session.scalar(select(Extension).where(Extension.slug == slug, Extension.user_id == user.id))
    if row is None:
        raise NotFound(f"{user.email} has no extension on {slug!r}.", code="unknown_extension")
    db.session.delete(row)
    db.session.flush()
    schedules.recompute_lateness(slug, user.id)
    audit.record(actor, "extension.remove", f"{slug} {user.email}", reason)
    db.session.commit()


def for_student(user_id: int) -> list[Extension]:
    """A student's extensions, by slug."""
    return list(
        db.session.scalars(select(Extension).where(Extension.user_id == user_id).order_by(Extension.slug))
    )


def listing(slug: str | None = None) -> list[tuple[Extension, str]]:
    """Every extension (or those on one slug) with the student's email, by slug then email."""
    query = (
        select(Extension, User.email)
        .join(User, User.id == Extension.user_id)
        .order_by(Extension.slug, User.email)
    )
    if slug is not None:
        query = query.where(Extension.slug == slug)
    return [(row, email) for row, email in db.session.execute(query).tuples()]


def extended_pairs() -> set[tuple[int, str]]:
    """(user id, slug) of every extension, for the gradebook's marks."""
    return {(u, s) for u, s in db.session.execute(select(Extension.user_id, Extension.slug)).tuples()}


def read_csv(text: str) -> list[dict[str, str]]:
    """Parse extension CSV text with the header ``email,slug,due_at,closes_at``."""
    reader = csv.DictReader(text.lstrip("\ufeff").splitlines())
    fields = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in fields]
    if missing:
        raise ValidationFailed(
            f"Line 1: the header must be {','.join(CSV_COLUMNS)}; missing {', '.join(missing)}.",
            code="bad_extensions_csv",
        )
    return [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        for row in reader
    ]


def import_rows(rows: Sequence[dict[str, str]], actor: User | None, reason: str | None = None) -> int:
    """Grant every extension in ``rows`` in one commit, or none: problems are listed by line number."""
    grants: list[Grant] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        try:
            grant = check(row.get("slug", ""), row.get("email", ""), row.get("due_at"), row.get("closes_at"))
        except (ValidationFailed, NotFound) as error:
            problems.append(f"Line {line}: {error.message}")
            continue
        key = (grant.user.email, grant.slug)
        if key in seen:
            problems.append(f"Line {line}: repeats line {seen[key]} ({grant.user.email}, {grant.slug}).")
            continue
        seen[key] = line
        grants.append(grant)
    if not rows:
        problems.append("The file has no extensions below its header.")
    if problems:
        db.session.rollback()
        more = len(problems) - MAX_REPORTED_PROBLEMS
        shown = problems[:MAX_REPORTED_PROBLEMS] + ([f"... and {more} more."] if more > 0 else [])
        raise ValidationFailed("Nothing was imported. " + " ".join(shown), code="bad_extensions_csv")
    for grant in grants:
        _store(grant, actor)
    audit.record(
        actor,
        "extension.import",
        f"{len(grants)} extension{'' if len(grants) == 1 else 's'}",
        reason,
        {"extensions": [[g.user.email, g.slug, iso(g.due_at), iso(g.closes_at)] for g in grants]},
    )
    db.session.commit()
    return len(grants)
