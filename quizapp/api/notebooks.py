"""Notebooks in the API: download an exercise (or the week) as .ipynb, upload a notebook for grading."""

from __future__ import annotations

from flask import Response, current_app, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, login_required
from quizapp.auth.limits import configured_limit
from quizapp.errors import BadRequest, ValidationFailed
from quizapp.grading import dispatch
from quizapp.services import exercises, notebooks_build, notebooks_upload, submitting
from quizapp.services.notebooks_extract import MAX_NOTEBOOK_BYTES

IPYNB = "application/x-ipynb+json"


def _attachment(text: str, filename: str) -> Response:
    return Response(
        text, mimetype=IPYNB, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _server() -> str:
    """The platform's address as the student reaches it, for the notebook's links and submit cell."""
    return request.host_url.rstrip("/")


@bp.get("/exercises/<slug>/notebook")
@login_required
def exercise_notebook(slug: str) -> ResponseReturnValue:
    """The exercise as a Jupyter notebook: statement, helpers, starter cell, public tests, submit cell."""
    exercise = exercises.get(slug)
    return _attachment(notebooks_build.exercise_notebook(exercise.slug, _server()), f"{exercise.slug}.ipynb")


@bp.get("/notebook")
@login_required
def week_notebook() -> ResponseReturnValue:
    """Every exercise in one notebook, in catalogue order."""
    return _attachment(notebooks_build.week_notebook(_server()), "week1.ipynb")


@bp.post("/notebook-submissions")
@login_required
def submit_notebook() -> ResponseReturnValue:
    """Grade every catalogue function a notebook defines, one submission each: 202 at once."""
    upload = request.files.get("notebook")
    if upload is not None:
        raw = upload.read(MAX_NOTEBOOK_BYTES + 1)
    elif request.files or request.form:
        raise BadRequest("Send the notebook in the multipart field 'notebook'.", code="missing_notebook")
    else:
        raw = request.get_data(cache=False)
    if not raw and upload is not None:
        raise ValidationFailed("The uploaded file is empty; it is not a notebook.", code="not_a_notebook")
    if not raw:
        raise BadRequest("Send the .ipynb file as the body or in the field 'notebook'.", code="missing_body")
    source = request.args.get("source", "notebook")
    limit = configured_limit("SUBMISSION_RATE_LIMIT")
    if limit:
        # Counted in the database like every submission: refused once the account has used its quota.
        submitting.check_rate(api_user().id, limit)
    result = notebooks_upload.submit_notebook(
        api_user(),
        raw,
        source=source if source in ("notebook", "cli") else "notebook",
        capacity=current_app.config["GRADING_QUEUE_CAPACITY"],
    )
    dispatch([submission.id for submission in result.submissions])
    return result.to_dict(), 202
