"""Pages for students: the course home, the quiz and the exercises."""

from flask import Blueprint

bp = Blueprint("student", __name__)

from quizapp.student import dates, exercise_views, notebook_views, quiz_views, views  # noqa: E402,F401
