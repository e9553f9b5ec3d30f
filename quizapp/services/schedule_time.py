"""Course time: reading dates (ISO 8601, the course's time zone), checking them, and saying them in words.

Stored times are aware UTC datetimes; forms, content files and API times without an offset are read in
``COURSE_TIMEZONE``, and pages show times in that zone.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from quizapp.errors import ValidationFailed
from quizapp.models.types import utcnow

if TYPE_CHECKING:
    from quizapp.services.schedules import Window

TIME_FIELDS = ("opens_at", "due_at", "closes_at")


# --- the course's time zone ---------------------------------------------------------------------------


def course_zone() -> ZoneInfo:
    """The course's time zone (setting ``COURSE_TIMEZONE``, UTC by default)."""
    name = current_app.config.get("COURSE_TIMEZONE", "UTC") if has_app_context() else "UTC"
    return ZoneInfo(str(name or "UTC"))


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is read as the course's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=course_zone())
    return value.astimezone(UTC)


def parse_time(raw: object, field: str) -> datetime | None:
    """An ISO 8601 time (``null`` or empty for none); without an offset it is course-local time."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return as_utc(raw)
    if not isinstance(raw, str):
        raise ValidationFailed(
            f"{field} must be an ISO 8601 date and time, or null.", code="invalid_schedule"
        )
    text = raw.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{field}: {raw[:40]!r} is not an ISO 8601 date and time such as 2026-12-04T17:00.",
            code="invalid_schedule",
        ) from None
    return as_utc(value)


def parse_penalty(raw: object) -> float:
    """A late penalty per day between 0 and 1 (0.1 = 10% per day)."""
    if raw is None or raw == "":
        return 0.0
    if isinstance(raw, str):
        try:
            raw = float(raw)
        except ValueError:
            raw = None
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or not math.isfinite(raw)
        or not 0 <= raw <= 1
    ):
        raise ValidationFailed(
            "late_penalty_per_day must be a number from 0 to 1 (0.1 = 10% per day).", code="invalid_schedule"
        )
    return float(raw)


def check_order(opens_at: datetime | None, due_at: datetime | None, closes_at: datetime | None) -> None:
    """Opening, due and closing times must come in that order (equal is fine)."""
    given = [(n, v) for n, v in zip(TIME_FIELDS, (opens_at, due_at, closes_at), strict=True) if v is not None]
    for (first, early), (second, late) in pairwise(given):
        if late < early:
            raise ValidationFailed(f"{second} must not be before {first}.", code="invalid_schedule")


# --- in the student's own words ---------------------------------------------------------------------------


def local(value: datetime) -> datetime:
    """``value`` in the course's time zone."""
    return value.astimezone(course_zone())


def local_text(value: datetime | None) -> str:
    """A full local date and time, e.g. ``Fri 4 Dec 2026, 17:00 CET``; a dash for none."""
    if value is None:
        return "—"
    moment = local(value)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} {moment.tzname()}"


def local_input(value: datetime | None) -> str:
    """The value for an ``<input type="datetime-local">`` in course time (empty for none)."""
    return local(value).strftime("%Y-%m-%dT%H:%M") if value is not None else ""


def when_words(value: datetime, now: datetime) -> str:
    """``today``/``tomorrow``/``yesterday 17:00``, ``Friday 17:00`` within the coming week, else
    ``Fri 4 Dec 17:00`` (course time)."""
    moment, today = local(value), local(now)
    days = (moment.date() - today.date()).days
    if days == 0:
        return f"today {moment:%H:%M}"
    if days == 1:
        return f"tomorrow {moment:%H:%M}"
    if days == -1:
        return f"yesterday {moment:%H:%M}"
    if 1 < days < 7:
        return f"{moment:%A %H:%M}"
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def span_words(delta: timedelta) -> str:
    """A coarse duration in words: ``2 days``, ``5 hours``, ``20 minutes``."""
    seconds = max(0, int(delta.total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def phrase(applies: Window, now: datetime | None = None) -> str | None:
    """The dates and time left in plain words, e.g. ``due Friday 17:00, 2 days left``; None if undated."""
    moment = now or utcnow()
    state = applies.state(moment)
    extension = " (your extension)" if applies.extended else ""
    if state == "not_open" and applies.opens_at is not None:
        text = f"opens {when_words(applies.opens_at, moment)}, in {span_words(applies.opens_at - moment)}"
        if applies.due_at is not None:
            text += f"; due {when_words(applies.due_at, moment)}"
        return text
    if state == "closed" and applies.closes_at is not None:
        return f"closed {when_words(applies.closes_at, moment)}{extension}"
    if state == "late" and applies.due_at is not None:
        text = f"was due {when_words(applies.due_at, moment)}{extension}; late work loses "
        text += f"{applies.late_penalty_per_day:.0%} a day" if applies.late_penalty_per_day else "nothing"
        if applies.closes_at is not None:
            left = span_words(applies.closes_at - moment)
            text += f"; closes {when_words(applies.closes_at, moment)}, {left} left"
        return text
    if applies.due_at is not None:
        return (
            f"due {when_words(applies.due_at, moment)}{extension}, {span_words(applies.due_at - moment)} left"
        )
    if applies.closes_at is not None:
        left = span_words(applies.closes_at - moment)
        return f"closes {when_words(applies.closes_at, moment)}{extension}, {left} left"
    return None
