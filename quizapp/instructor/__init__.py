"""Pages for instructors: the dashboard, gradebook, analyses and student detail."""

from flask import Blueprint

bp = Blueprint("instructor", __name__)

from quizapp.instructor import (  # noqa: E402,F401
    analysis,
    formatting,
    schedule,
    similarity,
    students,
    views,
)
