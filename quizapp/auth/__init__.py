"""Pages for signing in, out and up."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from quizapp.auth import views  # noqa: E402,F401
