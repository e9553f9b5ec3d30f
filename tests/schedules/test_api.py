"""The schedule and extension API: validation, permissions, audit, and the CLI import."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import AuditEntry, Schedule
from tests.schedules.conftest import SLUG, hours, iso
from tests.schedules.test_done_when import submit

Headers = dict[str, dict[str, str]]


def test_schedule_list_has_every_quiz_and_exercise_with_content_defaults(
    client: FlaskClient, people: Headers
) -> None:
    """GET /schedule lists the quiz then the exercises in catalogue order; undated ones say so."""
    listed = client.get("/api/v1/schedule", headers=people["teacher"]).get_json()
    slugs = [item["slug"] for item in listed]
    assert slugs[0] == "rnn-week1" and slugs[1:9] == [
        "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
        "gru_cell_forward", "rnn_cell_backward", "rnn_backward", "clip",
    ]  # fmt: skip
    first = listed[1]
    assert first["due_at"] is None and first["late_penalty_per_day"] == 0 and first["extensions"] == []


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"due_at": "next friday"}, "ISO 8601"),
        ({"due_at": 17}, "ISO 8601"),
        ({"late_penalty_per_day": 2}, "from 0 to 1"),
        ({"late_penalty_per_day": -0.1}, "from 0 to 1"),
        ({"late_penalty_per_day": True}, "from 0 to 1"),
        ({"late_penalty_per_day": "NaN"}, "from 0 to 1"),
        (
            {"due_at": "2030-01-02T00:00Z", "closes_at": "2030-01-01T00:00Z"},
            "closes_at must not be before due_at",
        ),
        (
            {"opens_at": "2030-01-03T00:00Z", "due_at": "2030-01-01T00:00Z"},
            "due_at must not be before opens_at",
        ),
        ({"deadline": "2030-01-01T00:00Z"}, "Unknown field"),
    ],
)
def test_bad_schedules_are_422_and_store_nothing(
    client: FlaskClient, people: Headers, body: dict[str, Any], needle: str
) -> None:
    """Malformed times, out-of-range penalties, dates out of order and unknown fields: 422, nothing stored."""
    response = client.put(f"/api/v1/schedule/{SLUG}", headers=people["teacher"], json=body)
    assert response.status_code == 422, response.get_json()
    assert needle in response.get_json()["error"]["message"]
    with client.application.app_context():
        assert db.session.query(Schedule).count() == 0 and db.session.query(AuditEntry).count() == 0


def test_schedule_endpoints_are_for_instructors_and_known_slugs(client: FlaskClient, people: Headers) -> None:
    """Students get 403, anonymous callers 401, unknown slugs and students 404, a non-object body 400."""
    assert client.get("/api/v1/schedule", headers=people["ann"]).status_code == 403
    assert client.get("/api/v1/schedule").status_code == 401
    put = client.put(f"/api/v1/schedule/{SLUG}", headers=people["ann"], json={"due_at": None})
    assert put.status_code == 403
    assert client.put("/api/v1/schedule/nope", headers=people["teacher"], json={}).status_code == 404
    ext = client.put(
        f"/api/v1/schedule/{SLUG}/extensions/nobody@example.com",
        headers=people["teacher"],
        json={"due_at": iso(hours(5))},
    )
    assert ext.status_code == 404 and ext.get_json()["error"]["code"] == "unknown_student"
    teacher_ext = client.put(
        f"/api/v1/schedule/{SLUG}/extensions/teacher@example.com",
        headers=people["teacher"],
        json={"due_at": iso(hours(5))},
    )
    assert teacher_ext.status_code == 404
    empty = client.put(
        f"/api/v1/schedule/{SLUG}/extensions/ann@example.com", headers=people["teacher"], json={}
    )
    assert empty.status_code == 422
    assert client.put(f"/api/v1/schedule/{SLUG}", headers=people["teacher"], json=[1]).status_code == 400
    gone = client.delete(f"/api/v1/schedule/{SLUG}/extensions/ann@example.com", headers=people["teacher"])
    assert gone.status_code == 404


def test_put_keeps_left_out_fields_and_null_clears(
    client: FlaskClient, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """Fields left out keep their value, ``null`` clears one; a naive time is read in the course zone."""
    client.application.config["COURSE_TIMEZONE"] = "America/New_York"
    stored = set_schedule(due_at="2030-06-01T17:00", closes_at="2030-06-03T17:00", late_penalty_per_day=0.25)
    assert stored["due_at"] == "2030-06-01T21:00:00+00:00"  # 17:00 EDT
    stored = set_schedule(closes_at=None)
    assert stored["due_at"] == "2030-06-01T21:00:00+00:00" and stored["closes_at"] is None
    assert stored["late_penalty_per_day"] == 0.25


def test_audit_records_schedule_extension_override_and_bulk_regrade(
    app: Flask,
    client: FlaskClient,
    people: Headers,
    set_schedule: Callable[..., Any],
    grade: Callable[[int], None],
) -> None:
    """Each kind of change is one audit entry with who and why; the CSV and JSON list them newest first."""
    client.put(
        f"/api/v1/schedule/{SLUG}", headers=people["teacher"], json={"due_at": iso(hours(5)), "reason": "r1"}
    )
    client.put(
        f"/api/v1/schedule/{SLUG}/extensions/ann@example.com",
        headers=people["teacher"],
        json={"due_at": iso(hours(50)), "reason": "r2"},
    )
    submission_id = submit(client, people["ann"]).get_json()["id"]
    grade(submission_id)
    with app.app_context():
        from quizapp.services import accounts, overrides

        teacher = accounts.find_user("teacher@example.com")
        assert teacher is not None
        overrides.override_score(submission_id, teacher, 7, "r3")
    bulk = client.post(f"/api/v1/exercises/{SLUG}/regrade", headers=people["teacher"], json={"reason": "r4"})
    assert bulk.status_code == 202
    log = client.get("/api/v1/audit", headers=people["teacher"]).get_json()
    assert [(e["action"], e["reason"], e["who"]) for e in log] == [
        ("regrade.bulk", "r4", "teacher@example.com"),
        ("score.override", "r3", "teacher@example.com"),
        ("extension.set", "r2", "teacher@example.com"),
        ("schedule.set", "r1", "teacher@example.com"),
    ]
    assert log[1]["details"] == {"submission": submission_id, "from": 10.0, "to": 7.0}
    assert client.get("/api/v1/audit", headers=people["ann"]).status_code == 403
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/instructor/audit.csv", headers=people["teacher"]).get_data(as_text=True))
        )
    )
    assert [row["action"] for row in rows] == [e["action"] for e in log]
    assert client.get("/instructor/audit.csv", headers=people["ann"]).status_code == 403


def test_flask_schedule_import_extensions_is_all_or_nothing(
    app: Flask, people: Headers, tmp_path: Path
) -> None:
    """The CLI import reports bad lines by number and stores nothing; a good file is stored and audited."""
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,slug,due_at,closes_at\nann@example.com,rnn_forward,2030-01-01T00:00,\nann@example.com,zzz,2030-01-01T00:00,\n"
    )
    result = runner.invoke(args=["schedule", "import-extensions", str(bad)])
    assert result.exit_code != 0 and "Line 3:" in result.output and "Nothing was imported" in result.output
    good = tmp_path / "good.csv"
    good.write_text("email,slug,due_at,closes_at\nANN@example.com,rnn_forward,2030-01-01T00:00,\n")
    result = runner.invoke(args=["schedule", "import-extensions", str(good), "--reason", "term list"])
    assert result.exit_code == 0 and "Imported 1 extension." in result.output
    with app.app_context():
        entry = db.session.query(AuditEntry).one()
        assert (
            entry.action == "extension.import" and entry.reason == "term list" and entry.actor_email is None
        )
