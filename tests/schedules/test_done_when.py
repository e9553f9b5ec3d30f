"""Issue 13's done-when checks, on SQLite and PostgreSQL: closed, extensions, penalties, regrade."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Submission
from quizapp.services import schedules as schedules_service
from quizapp.services import submissions as submissions_service
from tests.instructor.grading import solution
from tests.schedules.conftest import SLUG, hours, iso

Headers = dict[str, dict[str, str]]


def submit(client: FlaskClient, headers: dict[str, str], slug: str = SLUG) -> Any:
    """POST the reference solution to ``slug``."""
    return client.post(
        f"/api/v1/exercises/{slug}/submissions", headers=headers, json={"code": solution(slug)}
    )


def gradebook_row(client: FlaskClient, headers: dict[str, str], email: str, details: bool = False) -> Any:
    """The gradebook JSON row of one student."""
    url = "/api/v1/gradebook" + ("?details=1" if details else "")
    rows = client.get(url, headers=headers).get_json()["students"]
    return next(row for row in rows if row["email"] == email)


def csv_row(client: FlaskClient, headers: dict[str, str], email: str) -> dict[str, str]:
    """The gradebook CSV row of one student, by column."""
    text = client.get("/instructor/gradebook.csv", headers=headers).get_data(as_text=True)
    return next(row for row in csv.DictReader(io.StringIO(text)) if row["email"] == email)


def test_closed_exercise_refuses_submissions_with_closed(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """After closes_at a submission is a 403 ``closed`` whose message gives the dates; nothing is stored."""
    set_schedule(due_at=hours(-48), closes_at=hours(-24))
    response = submit(client, people["ann"])
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "closed"
    assert "closed" in error["message"] and "due" in error["message"] and "UTC" in error["message"]
    with client.application.app_context():
        assert db.session.query(Submission).count() == 0


def test_not_yet_open_exercise_and_quiz_are_closed(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """Before opens_at both a submission and a new quiz attempt get 403 ``closed`` saying when it opens."""
    set_schedule(opens_at=hours(24))
    set_schedule("rnn-week1", opens_at=hours(24), due_at=hours(48))
    refused = submit(client, people["ann"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "closed"
    assert "opens" in refused.get_json()["error"]["message"]
    attempt = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=people["ann"])
    assert attempt.status_code == 403 and attempt.get_json()["error"]["code"] == "closed"


def test_extension_opens_closed_work_for_one_student_only(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """An extension lets ann submit (on time, by her dates) while bob is still refused with ``closed``."""
    set_schedule(due_at=hours(-48), closes_at=hours(-24), late_penalty_per_day=0.5)
    granted = client.put(
        f"/api/v1/schedule/{SLUG}/extensions/ann@example.com",
        headers=people["teacher"],
        json={"due_at": iso(hours(24)), "closes_at": iso(hours(48)), "reason": "illness"},
    )
    assert granted.status_code == 200, granted.get_json()
    assert granted.get_json()["email"] == "ann@example.com"
    accepted = submit(client, people["ann"])
    assert accepted.status_code == 202
    shown = client.get(f"/api/v1/submissions/{accepted.get_json()['id']}", headers=people["ann"]).get_json()
    assert shown["late"] is False and shown["days_late"] == 0
    refused = submit(client, people["bob"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "closed"
    quiz = client.put(
        "/api/v1/schedule/rnn-week1", headers=people["teacher"], json={"closes_at": iso(hours(-1))}
    )
    assert quiz.status_code == 200
    assert client.post("/api/v1/quizzes/rnn-week1/attempts", headers=people["bob"]).status_code == 403

    removed = client.delete(f"/api/v1/schedule/{SLUG}/extensions/ann@example.com", headers=people["teacher"])
    assert removed.status_code == 200
    again = submit(client, people["ann"])
    assert again.status_code == 403 and again.get_json()["error"]["code"] == "closed"


def test_one_day_late_correct_submission_counts_half_in_json_and_csv(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any], grade: Callable[[int], None]
) -> None:
    """Due 12 h ago, 50%/day: the submission is late by 1 day and 10 points count as 5 in JSON and CSV."""
    set_schedule(due_at=hours(-12), closes_at=hours(36), late_penalty_per_day=0.5)
    accepted = submit(client, people["ann"])
    assert accepted.status_code == 202
    submission_id = accepted.get_json()["id"]
    grade(submission_id)
    shown = client.get(f"/api/v1/submissions/{submission_id}", headers=people["ann"]).get_json()
    assert shown["verdict"]["status"] == "passed" and shown["score"] == 10
    assert shown["late"] is True and shown["days_late"] == 1

    row = gradebook_row(client, people["teacher"], "ann@example.com")
    assert row["exercises"][SLUG] == 5.0 and row["total"] == 5.0
    detailed = gradebook_row(client, people["teacher"], "ann@example.com", details=True)
    assert detailed["raw"]["exercises"][SLUG] == 10.0 and detailed["days_late"] == {SLUG: 1}
    cells = csv_row(client, people["teacher"], "ann@example.com")
    assert cells[SLUG] == "5" and cells["total"] == "5"


def test_regrade_and_override_keep_the_original_lateness(
    app: Flask,
    client: FlaskClient,
    people: Headers,
    set_schedule: Callable[..., Any],
    grade: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A regrade three days later keeps days_late 1 (still half), and an override is penalised the same."""
    set_schedule(due_at=hours(-12), closes_at=hours(36), late_penalty_per_day=0.5)
    submission_id = submit(client, people["ann"]).get_json()["id"]
    grade(submission_id)

    later = schedules_service.utcnow() + timedelta(days=3)
    monkeypatch.setattr(submissions_service, "utcnow", lambda: later)
    monkeypatch.setattr(schedules_service, "utcnow", lambda: later)
    regrade = client.post(f"/api/v1/submissions/{submission_id}/regrade", headers=people["teacher"])
    assert regrade.status_code == 202
    grade(submission_id)
    shown = client.get(f"/api/v1/submissions/{submission_id}", headers=people["ann"]).get_json()
    assert [entry["kind"] for entry in shown["history"]] == ["regrade", "auto"]
    assert shown["days_late"] == 1
    assert gradebook_row(client, people["teacher"], "ann@example.com")["exercises"][SLUG] == 5.0

    with app.app_context():
        from quizapp.services import accounts, overrides

        teacher = accounts.find_user("teacher@example.com")
        assert teacher is not None
        overrides.override_score(submission_id, teacher, 8.0, "partial credit for the docstring")
        assert db.session.get(Submission, submission_id).days_late == 1  # type: ignore[union-attr]
    assert gradebook_row(client, people["teacher"], "ann@example.com")["exercises"][SLUG] == 4.0
    assert csv_row(client, people["teacher"], "ann@example.com")[SLUG] == "4"


def test_late_extension_granted_afterwards_lifts_the_penalty(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any], grade: Callable[[int], None]
) -> None:
    """Lateness follows the dates that apply: an extension granted after a late submission puts it on time."""
    set_schedule(due_at=hours(-12), closes_at=hours(36), late_penalty_per_day=0.5)
    submission_id = submit(client, people["ann"]).get_json()["id"]
    grade(submission_id)
    assert gradebook_row(client, people["teacher"], "ann@example.com")["total"] == 5.0
    client.put(
        f"/api/v1/schedule/{SLUG}/extensions/ann@example.com",
        headers=people["teacher"],
        json={"due_at": iso(hours(24))},
    )
    row = gradebook_row(client, people["teacher"], "ann@example.com", details=True)
    assert row["exercises"][SLUG] == 10.0 and row["extensions"] == [SLUG] and row["days_late"] == {}


def test_late_quiz_attempt_is_marked_and_penalised(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """A full-marks attempt submitted 12 h after the due date is 1 day late and counts 5 of 10 at 50%/day."""
    from tests.api.test_gradebook import KEY

    set_schedule("rnn-week1", due_at=hours(-12), closes_at=hours(36), late_penalty_per_day=0.5)
    started = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=people["ann"])
    assert started.status_code == 201 and started.get_json()["late"] is False
    attempt_id = started.get_json()["id"]
    result = client.post(
        f"/api/v1/attempts/{attempt_id}/submit", headers=people["ann"], json={"answers": KEY}
    )
    assert result.get_json()["score"] == 10
    shown = client.get(f"/api/v1/attempts/{attempt_id}", headers=people["ann"]).get_json()
    assert shown["late"] is True and shown["days_late"] == 1
    row = gradebook_row(client, people["teacher"], "ann@example.com", details=True)
    assert row["quiz"] == 5.0 and row["raw"]["quiz"] == 10.0 and row["days_late"] == {"rnn-week1": 1}
    assert csv_row(client, people["teacher"], "ann@example.com")["quiz"] == "5"
