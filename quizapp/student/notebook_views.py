"""Notebook pages: upload a whole .ipynb from the course page and follow its submissions."""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quizapp.auth.limits import configured_limit
from quizapp.errors import DomainError, NotFound
from quizapp.grading import dispatch
from quizapp.models import User
from quizapp.services import exercises, notebooks_upload, submissions, submitting
from quizapp.services.notebooks_extract import MAX_NOTEBOOK_BYTES
from quizapp.student import bp

MAX_SHOWN = 50


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.post("/notebook-submissions")
@login_required
def upload_notebook() -> ResponseReturnValue:
    """The course page's upload form: grade every graded function of the notebook, one submission each."""
    upload = request.files.get("notebook")
    try:
        if upload is None or not upload.filename:
            raise DomainError("Choose a notebook file (.ipynb) to upload.", code="missing_notebook")
        limit = configured_limit("SUBMISSION_RATE_LIMIT")
        if limit:
            submitting.check_rate(_user().id, limit)
        result = notebooks_upload.submit_notebook(
            _user(),
            upload.read(MAX_NOTEBOOK_BYTES + 1),
            source="notebook",
            capacity=current_app.config["GRADING_QUEUE_CAPACITY"],
        )
    except DomainError as error:
        page = render_template("student/notebook_upload.html", rows=[], not_found=[], refused=[],
                               error=error.message, pending=False)
        return page, error.status
    dispatch([submission.id for submission in result.submissions])
    return redirect(
        url_for(
            "student.notebook_results",
            ids=",".join(str(s.id) for s in result.submissions),
            missing=",".join(result.not_found),
            refused=",".join(item["exercise"] for item in result.refused),
        ),
        code=303,
    )


def _slugs(value: str) -> list[str]:
    known = set(exercises.slugs())
    return [slug for slug in value.split(",") if slug in known][:MAX_SHOWN]


@bp.get("/notebook-submissions")
@login_required
def notebook_results() -> ResponseReturnValue:
    """The submissions one upload made, with their status and score, refreshed until all are graded."""
    rows: list[dict[str, Any]] = []
    for part in request.args.get("ids", "").split(",")[:MAX_SHOWN]:
        if not part.isdigit():
            continue
        try:
            found = submissions.visible_submission(int(part), _user())
        except NotFound:
            continue
        rows.append({"submission": found, "exercise": exercises.find(found.exercise_slug)})
    return render_template(
        "student/notebook_upload.html",
        rows=rows,
        not_found=_slugs(request.args.get("missing", "")),
        refused=_slugs(request.args.get("refused", "")),
        error=None,
        pending=any(row["submission"].status != "graded" for row in rows),
    )
