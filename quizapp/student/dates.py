"""Dates and time left, in the student's own words, for the course page and each quiz or exercise."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from quizapp.models.types import utcnow
from quizapp.services import schedule_time, schedules
from quizapp.services.schedules import Window
from quizapp.student import bp


def _window(slug: str) -> Window:
    """The dates that apply to the visitor; every quiz's and exercise's are read once per request (two
    queries), since the course page asks for each item's phrase and state."""
    if not current_user.is_authenticated:
        return schedules.window(slug)
    applying: dict[str, Window] | None = g.get("_due_windows")
    if applying is None:
        applying = g._due_windows = schedules.windows_for(int(current_user.id))
    found = applying.get(slug)
    return found if found is not None else schedules.window_for(slug, int(current_user.id))


@bp.app_template_global("due_phrase")
def due_phrase(slug: str) -> str | None:
    """``due Friday 17:00, 2 days left`` for the signed-in student (with any extension); None if undated."""
    return schedule_time.phrase(_window(slug))


@bp.app_template_global("due_state")
def due_state(slug: str) -> str:
    """``not_open``, ``open``, ``late`` or ``closed`` for the signed-in student, for styling and buttons."""
    return _window(slug).state(utcnow())
