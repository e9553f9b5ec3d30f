"""The student's home page."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from quizapp.student import bp


@bp.get("/")
@login_required
def index() -> str:
    """The course home: the quiz and the exercises."""
    return render_template("student/index.html")
