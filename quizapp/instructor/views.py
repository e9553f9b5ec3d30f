"""The instructor dashboard."""

from __future__ import annotations

from flask import render_template

from quizapp.auth.guards import instructor_page
from quizapp.instructor import bp


@bp.get("/")
@instructor_page
def index() -> str:
    """The overview page."""
    return render_template("instructor/index.html")
