"""The JSON API under /api/v1; every answer, errors included, is JSON."""

from flask import Blueprint

from quizapp.extensions import csrf

bp = Blueprint("api", __name__)
# Bearer-token clients carry no CSRF token; session callers are checked in api.auth instead.
csrf.exempt(bp)

from quizapp.api import (  # noqa: E402,F401
    auth,
    exercises,
    gradebook,
    notebooks,
    openapi,
    quizzes,
    schedule,
    similarity,
    submissions,
    tokens,
)
