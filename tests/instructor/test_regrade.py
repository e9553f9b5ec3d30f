"""The regrade button: the submission goes back through the queue and its history keeps both verdicts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from quizapp.extensions import db
from quizapp.grading.runner import run_one
from quizapp.models import AuditEntry, Submission
from tests.conftest import AuthActions
from tests.instructor import grading


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """No in-app pool: the test grades the queued regrade itself, so it can look at the queued state."""
    return {"GRADING_POOL_IN_APP": False}


def test_regrade_queues_and_keeps_history(app: Flask, auth: AuthActions) -> None:
    """Regrade from the student page: queued at once, then graded again with a 'regrade' history row."""
    auth.create_user("teacher@example.com", role="instructor")
    student_id = auth.create_user("ann@example.com")
    with app.app_context():
        grading.submit_and_grade("ann@example.com", "rnn_cell_forward", grading.buggy())
        sub_id = db.session.scalar(db.select(Submission.id))
    auth.login("teacher@example.com")
    page = auth.client.get(f"/instructor/students/{student_id}").get_data(as_text=True)
    assert "sigmoid_for_tanh" in page  # the named mistake is shown with the verdict
    form = re.search(rf'action="/instructor/submissions/{sub_id}/regrade".*?value="([^"]+)"', page, re.S)
    assert form
    response = auth.client.post(
        f"/instructor/submissions/{sub_id}/regrade",
        data={"csrf_token": form.group(1), "next": f"/instructor/students/{student_id}"},
    )
    assert response.status_code == 302 and response.location.startswith(f"/instructor/students/{student_id}")
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "queued"
        assert run_one(sub_id)
        db.session.expire_all()
        history = [(g.kind, g.verdict_status) for g in db.session.get(Submission, sub_id).gradings]
    assert history == [("auto", "failed"), ("regrade", "failed")]
    again = auth.client.post(f"/instructor/submissions/{sub_id}/regrade", data={"csrf_token": form.group(1)})
    assert again.status_code == 302  # a second regrade is accepted too (it is graded again)


def test_regrade_of_a_waiting_submission_is_refused_politely(app: Flask, auth: AuthActions) -> None:
    """A submission already waiting for a grader cannot be queued twice; the page says so."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    with app.app_context():
        grading.submit_and_grade("ann@example.com", "rnn_cell_forward", grading.solution())
        sub_id = db.session.scalar(db.select(Submission.id))
    auth.login("teacher@example.com")
    page = auth.client.get(f"/instructor/submissions/{sub_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    first = auth.client.post(f"/instructor/submissions/{sub_id}/regrade", data={"csrf_token": token.group(1)})
    assert first.status_code == 302
    second = auth.client.post(
        f"/instructor/submissions/{sub_id}/regrade",
        data={"csrf_token": token.group(1)},
        follow_redirects=True,
    )
    assert "already waiting" in second.get_data(as_text=True)


def test_regrade_every_submission_to_an_exercise(app: Flask, auth: AuthActions) -> None:
    """The exercise page's button queues each graded submission to that exercise and no other."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    with app.app_context():
        grading.submit_and_grade("ann@example.com", "rnn_cell_forward", grading.solution())
        grading.submit_and_grade("ann@example.com", "rnn_cell_forward", grading.buggy())
        grading.submit_and_grade("ann@example.com", "rnn_forward", grading.solution("rnn_forward"))
    auth.login("teacher@example.com")
    page = auth.client.get("/instructor/exercises/rnn_cell_forward").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    # Behind a <details> step, a secondary action that says how many it will queue.
    step = page[page.index('<details class="confirm-step">') :]
    assert "Yes, queue 2 submissions for a regrade" in step[: step.index("</details>")]
    assert '<button type="submit">Regrade every submission' not in page
    assert 'name="reason"' in step  # an optional why, for the audit log
    response = auth.client.post(
        "/instructor/exercises/rnn_cell_forward/regrade",
        data={"csrf_token": token.group(1), "reason": "Hidden case 3 had a wrong tolerance."},
        follow_redirects=True,
    )
    assert "2 submissions queued for a regrade" in response.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "regrade.bulk")).one()
        assert entry.reason == "Hidden case 3 had a wrong tolerance."
        assert entry.actor_email == "teacher@example.com"
    with app.app_context():
        statuses = dict(db.session.execute(db.select(Submission.exercise_slug, Submission.status)).all())
        queued = db.session.scalar(db.select(db.func.count()).where(Submission.status == "queued"))
    assert queued == 2 and statuses["rnn_forward"] == "graded"
