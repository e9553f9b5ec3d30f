"""The gradebook as JSON (GET /api/v1/gradebook) and as CSV (GET /instructor/gradebook.csv)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.instructor import grading

# The week-1 answer key (issue 3); q3 has two correct options.
KEY = {
    "q1": ["a"], "q2": ["a"], "q3": ["b", "d"], "q4": ["c"], "q5": ["d"],
    "q6": ["b"], "q7": ["b"], "q8": ["c"], "q9": ["a"], "q10": ["c"],
}  # fmt: skip
# The contract's catalogue order: the eight course exercises, then the seven added after them.
SLUGS = [
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "gru_cell_forward", "rnn_cell_backward", "rnn_backward", "clip",
    "lstm_cell_backward", "lstm_backward", "gru_forward", "gru_cell_backward",
    "brnn_forward", "deep_rnn_forward", "sample",
]  # fmt: skip


def take_quiz(client: FlaskClient, headers: dict[str, str], answers: dict[str, list[str]]) -> dict[str, Any]:
    """Start an attempt through the API and submit these answers; returns the result."""
    started = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=headers)
    assert started.status_code == 201, started.get_json()
    result = client.post(
        f"/api/v1/attempts/{started.get_json()['id']}/submit", headers=headers, json={"answers": answers}
    )
    assert result.status_code == 200, result.get_json()
    return dict(result.get_json())


@pytest.fixture
def three_students(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, Any]:
    """perfect@: 10/10 and a correct rnn_cell_forward; half@: q3 half-answered (9/10) and a buggy one;
    idle@: nothing. Returns each account's Authorization header, the instructor's included."""
    headers: dict[str, Any] = {
        "perfect": auth.bearer("perfect@example.com"),
        "half": auth.bearer("half@example.com"),
        "idle": auth.bearer("idle@example.com"),
        "teacher": auth.bearer("teacher@example.com", role="instructor"),
    }
    assert take_quiz(client, headers["perfect"], KEY)["score"] == 10
    assert take_quiz(client, headers["half"], {**KEY, "q3": ["b"]})["score"] == 9
    with app.app_context():
        correct = grading.submit_and_grade("perfect@example.com", "rnn_cell_forward", grading.solution())
        buggy = grading.submit_and_grade("half@example.com", "rnn_cell_forward", grading.buggy())
    assert correct["status"] == "passed" and correct["score"] == 10
    assert buggy["status"] == "failed" and 0 <= buggy["score"] < 10
    headers["buggy_score"] = float(buggy["score"])
    return headers


def test_gradebook_json_ranks_and_scores_the_three_students(
    client: FlaskClient, three_students: dict[str, Any]
) -> None:
    """Perfect (20) first, half (9 + buggy) second, idle (0, all null) last; every slug is a column."""
    response = client.get("/api/v1/gradebook", headers=three_students["teacher"])
    assert response.status_code == 200
    students = response.get_json()["students"]
    buggy_score = three_students["buggy_score"]
    assert students == [
        {
            "email": "perfect@example.com",
            "quiz": 10.0,
            "exercises": {slug: (10.0 if slug == "rnn_cell_forward" else None) for slug in SLUGS},
            "total": 20.0,
        },
        {
            "email": "half@example.com",
            "quiz": 9.0,
            "exercises": {slug: (buggy_score if slug == "rnn_cell_forward" else None) for slug in SLUGS},
            "total": 9.0 + buggy_score,
        },
        {"email": "idle@example.com", "quiz": None, "exercises": dict.fromkeys(SLUGS), "total": 0.0},
    ]
    assert list(students[0]["exercises"]) == SLUGS  # catalogue order is kept


def test_gradebook_csv_matches_the_json(client: FlaskClient, three_students: dict[str, Any]) -> None:
    """CSV by bearer token: the contract header, the same ranking, empty cells where nothing was done."""
    response = client.get("/instructor/gradebook.csv", headers=three_students["teacher"])
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    buggy = three_students["buggy_score"]
    assert rows[0] == ["email", "quiz", *SLUGS, "total"]
    others = len(SLUGS) - 1  # the exercises nobody did: every one after rnn_cell_forward
    assert rows[1] == ["perfect@example.com", "10", "10", *[""] * others, "20"]
    assert rows[2][:3] == ["half@example.com", "9", f"{buggy:g}"] and rows[2][3:-1] == [""] * others
    assert float(rows[2][-1]) == pytest.approx(9 + buggy)
    assert rows[3] == ["idle@example.com", "", *[""] * len(SLUGS), "0"]
    assert len(rows) == 4


def test_gradebook_csv_with_a_session(client: FlaskClient, auth: AuthActions) -> None:
    """A signed-in instructor downloads the CSV as an attachment."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    auth.login("teacher@example.com")
    response = client.get("/instructor/gradebook.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines() == [
        "email,quiz," + ",".join(SLUGS) + ",total",
        "ann@example.com," + "," * len(SLUGS) + ",0",
    ]


def test_students_get_403_from_the_gradebook(client: FlaskClient, auth: AuthActions) -> None:
    """A student's token is refused with a 403 JSON error by the API and a 403 by the CSV."""
    headers = auth.bearer("ann@example.com")
    response = client.get("/api/v1/gradebook", headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert client.get("/instructor/gradebook.csv", headers=headers).status_code == 403


def test_anonymous_callers_get_401(client: FlaskClient) -> None:
    """No credentials: 401 JSON from the API; a bad token is 401 for the CSV too."""
    response = client.get("/api/v1/gradebook")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/gradebook", headers=bad).status_code == 401
    assert client.get("/instructor/gradebook.csv", headers=bad).status_code == 401


def test_item_analysis_and_exercise_analytics_json(
    client: FlaskClient, three_students: dict[str, Any]
) -> None:
    """Instructors get the figures as JSON: q3 is right for one of two students (facility 50%)."""
    teacher = three_students["teacher"]
    body = client.get("/api/v1/quizzes/rnn-week1/item-analysis", headers=teacher).get_json()
    assert body["attempts"] == "best" and body["students"] == 2
    q3 = next(item for item in body["items"] if item["id"] == "q3")
    assert q3["facility"] == pytest.approx(50.0)
    analytics = client.get("/api/v1/exercises/rnn_cell_forward/analytics", headers=teacher).get_json()
    assert analytics["graded"] == 2 and analytics["attempts_to_pass"] == [[1, 1]]
    assert (
        client.get("/api/v1/quizzes/rnn-week1/item-analysis", headers=three_students["idle"]).status_code
        == 403
    )
