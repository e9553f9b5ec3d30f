"""The overview's submissions timeline, drawn over the schedule's window with the due dates marked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Submission, User
from quizapp.services import schedule_time, schedules

MAX_DAYS = 120
# Without an opening date the chart starts this long before the first due date, and without a closing
# date it ends this long after the last one.
LEAD_DAYS = 7
TAIL_DAYS = 3


@dataclass(frozen=True)
class Timeline:
    """Students' submissions per course-local day from ``days[0]`` to ``days[-1]``, and the due dates."""

    days: list[tuple[date, int]]
    due: dict[date, list[str]] = field(default_factory=dict)
    outside: int = 0  # submissions before or after the window (not drawn)


def schedule_span() -> tuple[date, date] | None:
    """The course-local days from the earliest opening to the latest closing; None when nothing is dated."""
    windows = [w for w in schedules.all_windows() if w.opens_at or w.due_at or w.closes_at]
    if not windows:
        return None
    starts: list[datetime] = []
    ends: list[datetime] = []
    for w in windows:
        if w.opens_at is not None:
            starts.append(w.opens_at)
        elif w.due_at is not None:
            starts.append(w.due_at - timedelta(days=LEAD_DAYS))
        if w.closes_at is not None:
            ends.append(w.closes_at)
        elif w.due_at is not None:
            ends.append(w.due_at + timedelta(days=TAIL_DAYS))
    if not starts or not ends:
        return None
    first, last = schedule_time.local(min(starts)).date(), schedule_time.local(max(ends)).date()
    if (last - first).days + 1 > MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    return first, last


def build_timeline() -> Timeline | None:
    """Submissions per day over the schedule's window with its due dates; None when nothing is dated."""
    span = schedule_span()
    if span is None:
        return None
    first, last = span
    stamps = db.session.scalars(
        select(Submission.queued_at).join(User, User.id == Submission.user_id).where(User.role == "student")
    )
    counts = Counter(schedule_time.local(stamp).date() for stamp in stamps)
    length = (last - first).days + 1
    days = [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(length)]
    due: dict[date, list[str]] = {}
    for window in schedules.all_windows():
        if window.due_at is not None:
            day = schedule_time.local(window.due_at).date()
            if first <= day <= last:
                due.setdefault(day, []).append(window.slug)
    outside = sum(n for day, n in counts.items() if day < first or day > last)
    return Timeline(days=days, due=due, outside=outside)
