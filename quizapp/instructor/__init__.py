"""Pages for instructors: the dashboard, gradebook and analyses."""

from flask import Blueprint

bp = Blueprint("instructor", __name__)

from quizapp.instructor import views  # noqa: E402,F401
