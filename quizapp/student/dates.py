"""Dates and time left, in the student's own words, for the course page and each quiz or exercise."""

from __future__ import annotations

from flask_login import current_user

from quizapp.models.types import utcnow
from quizapp.services import schedule_time, schedules
from quizapp.student import bp


@bp.app_template_global("due_phrase")
def due_phrase(slug: str) -> str | None:
    """``due Friday 17:00, 2 days left`` for the signed-in student (with any extension); None if undated."""
    if not current_user.is_authenticated:
        return schedule_time.phrase(schedules.window(slug))
    return schedule_time.phrase(schedules.window_for(slug, int(current_user.id)))


@bp.app_template_global("due_state")
def due_state(slug: str) -> str:
    """``not_open``, ``open``, ``late`` or ``closed`` for the signed-in student, for styling and buttons."""
    if not current_user.is_authenticated:
        return schedules.window(slug).state(utcnow())
    return schedules.window_for(slug, int(current_user.id)).state(utcnow())
