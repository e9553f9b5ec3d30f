"""Exercise pages: statement, starter code, editor and upload, live progress, verdicts and history."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quizapp.auth.limits import configured_limit
from quizapp.errors import DomainError
from quizapp.grading import submit as submit_to_grader
from quizapp.models import User
from quizapp.services import drafts, exercises, submissions, submitting
from quizapp.student import bp

HISTORY_LENGTH = 50  # attempts listed on an exercise page, newest first


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.app_template_global("exercise_overview")
def exercise_overview() -> list[dict[str, Any]]:
    """For the course home: each exercise with the signed-in student's best score and attempt count."""
    if not current_user.is_authenticated:
        return [{"exercise": exercise, "best": None, "attempts": 0} for exercise in exercises.catalogue()]
    return exercises.overview_for(_user())


@bp.get("/exercises/<slug>")
@login_required
def exercise(slug: str) -> ResponseReturnValue:
    """The exercise page."""
    return _render_exercise(exercises.get(slug))


def _render_exercise(
    exercise: exercises.ExerciseInfo, *, code: str | None = None, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    past = submissions.history(_user(), exercise.slug, limit=HISTORY_LENGTH, verdicts=False)
    last_code = past[0].code if past else None
    start = drafts.starting_code(_user(), exercise, last_code)
    page = render_template(
        "student/exercise.html",
        exercise=exercise,
        statement_html=exercises.statement_html(exercise),
        past=past,
        newest=submissions.newest_attempt_number(past, HISTORY_LENGTH),
        code=start.code if code is None else code,
        origin=start.origin if code is None else "form",
        last_code=last_code,
        error=error,
        max_code_bytes=submitting.MAX_CODE_BYTES,
    )
    return page, status


@bp.get("/exercises/<slug>/starter.py")
@login_required
def starter(slug: str) -> ResponseReturnValue:
    """The starter code as a downloadable Python file."""
    exercise = exercises.get(slug)
    return Response(
        exercise.starter_code,
        mimetype="text/x-python",
        headers={"Content-Disposition": f'attachment; filename="{exercise.slug}.py"'},
    )


@bp.post("/exercises/<slug>/submissions")
@login_required
def submit_exercise(slug: str) -> ResponseReturnValue:
    """The form fallback (no JavaScript): submit the editor's text or an uploaded file."""
    exercise = exercises.get(slug)
    upload = request.files.get("upload")
    code: object
    if upload is not None and upload.filename:
        code, source = upload.read(submitting.MAX_CODE_BYTES + 1), "upload"
    else:
        code, source = request.form.get("code", ""), "web"
    try:
        user, config = _user(), current_app.config
        submission = submit_to_grader(
            lambda claim_token: submitting.accept(
                user,
                exercise.slug,
                code,
                source=source,
                capacity=config["GRADING_QUEUE_CAPACITY"],
                rate_limit=configured_limit("SUBMISSION_RATE_LIMIT"),
                claim_token=claim_token,
            )
        )
    except DomainError as error:
        kept = code if isinstance(code, str) else None
        return _render_exercise(exercise, code=kept, error=error.message, status=error.status)
    return redirect(url_for("student.submission", submission_id=submission.id), code=303)


@bp.get("/submissions/<int:submission_id>")
@login_required
def submission(submission_id: int) -> ResponseReturnValue:
    """One submission: live progress until graded, then its verdict and grading history."""
    found = submissions.visible_submission(submission_id, _user())
    return render_template(
        "student/exercise_submission.html", submission=found, exercise=exercises.find(found.exercise_slug)
    )


@bp.get("/submissions/<int:submission_id>/<any(verdict, item):part>.html")
@login_required
def verdict_fragment(submission_id: int, part: str) -> ResponseReturnValue:
    """A graded submission's verdict, or its history entry, as an HTML fragment for the page's script."""
    found = submissions.visible_submission(submission_id, _user())
    if found.status != "graded" or not found.verdict:
        return Response("", status=204)
    return render_template("student/exercise_fragment.html", submission=found, part=part)


@bp.get("/submissions/<int:submission_id>/body.html")
@login_required
def history_body(submission_id: int) -> ResponseReturnValue:
    """An older history entry's verdict, grading history and code, fetched when the student opens it."""
    found = submissions.visible_submission(submission_id, _user())
    number = submissions.attempt_number(found)
    return render_template("student/exercise_fragment.html", submission=found, part="body", number=number)
