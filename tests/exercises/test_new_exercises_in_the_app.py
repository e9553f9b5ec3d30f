"""The seven new exercises reach every page that lists exercises: course page, exercise pages, gradebook
(JSON, CSV, HTML) and the instructor's analytics, with a graded buggy submission named there."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

import graders
from tests.conftest import AuthActions
from tests.exercises.helpers import BUGGY, CONTRACT_SLUGS
from tests.instructor import grading

NEW = CONTRACT_SLUGS[8:]
TITLES = {e.slug: e.title for e in graders.list_exercises()}


@pytest.fixture
def graded(app: Flask, auth: AuthActions) -> None:
    """ann submits the clean deep_rnn_forward and a sample that never reseeds between draws."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    seeded_once = (BUGGY / "sample" / "seeded_once.py").read_text(encoding="utf-8")
    with app.app_context():
        assert grading.submit_and_grade("ann@example.com", "deep_rnn_forward",
                                        grading.solution("deep_rnn_forward"))["score"] == 10
        verdict = grading.submit_and_grade("ann@example.com", "sample", seeded_once)
    assert verdict["status"] == "failed" and "seeded_once" in verdict["mistakes"]


def test_course_page_and_exercise_pages_list_the_new_exercises(
    client: FlaskClient, auth: AuthActions
) -> None:
    """The course page links all fifteen exercises in catalogue order; each new page renders MathML."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    home = client.get("/").get_data(as_text=True)
    positions = [home.find(f"/exercises/{slug}\"") for slug in CONTRACT_SLUGS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    for slug in NEW:
        page = client.get(f"/exercises/{slug}")
        assert page.status_code == 200
        html = unescape(page.get_data(as_text=True))
        assert TITLES[slug] in html and "<math" in html and f"def {slug}(" in html
        starter = client.get(f"/exercises/{slug}/starter.py")
        assert starter.status_code == 200 and f"def {slug}(" in starter.get_data(as_text=True)


def test_gradebooks_have_a_column_per_new_exercise(
    client: FlaskClient, auth: AuthActions, graded: None
) -> None:
    """JSON, CSV and HTML gradebooks carry the new exercises, in catalogue order, with ann's best scores."""
    headers = {"Authorization": f"Bearer {auth.token('teacher@example.com')}"}
    students = client.get("/api/v1/gradebook", headers=headers).get_json()["students"]
    ann = next(s for s in students if s["email"] == "ann@example.com")
    assert list(ann["exercises"]) == list(CONTRACT_SLUGS)
    assert ann["exercises"]["deep_rnn_forward"] == 10 and 0 <= ann["exercises"]["sample"] < 10
    text = client.get("/instructor/gradebook.csv", headers=headers).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["email", "quiz", *CONTRACT_SLUGS, "total"]
    auth.login("teacher@example.com")
    html = client.get("/instructor/gradebook").get_data(as_text=True)
    positions = [html.find(slug) for slug in NEW]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_analytics_name_the_new_exercises_mistakes(
    client: FlaskClient, auth: AuthActions, graded: None
) -> None:
    """The dashboard lists the new exercises, and sample's analysis names the reseeding mistake."""
    headers = {"Authorization": f"Bearer {auth.token('teacher@example.com')}"}  # before the browser login
    auth.login("teacher@example.com")
    dashboard = unescape(client.get("/instructor/").get_data(as_text=True))
    assert all(slug in dashboard or TITLES[slug] in dashboard for slug in NEW)
    page = client.get("/instructor/exercises/sample")
    assert page.status_code == 200
    html = unescape(page.get_data(as_text=True))
    assert "seeded only once" in html or "seeded_once" in html
    analysis = client.get("/api/v1/exercises/sample/analytics", headers=headers)
    assert analysis.status_code == 200 and "seeded_once" in analysis.get_data(as_text=True)
