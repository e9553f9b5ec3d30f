"""The student's home page."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from quizapp.models import Submission
from quizapp.services import submissions
from quizapp.student import bp


@bp.app_template_global()
def attempt_number(submission: Submission) -> int:
    """The student's own numbering of their submissions to one exercise ("Attempt 3"), for templates."""
    return submissions.attempt_number(submission)


@bp.get("/")
@login_required
def index() -> str:
    """The course home: the quiz and the exercises."""
    return render_template("student/index.html")
