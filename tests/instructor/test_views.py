"""Instructor pages: who may see them, and what the overview, analyses and gradebook show."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.content.quizzes import get_quiz
from quizapp.extensions import db
from quizapp.models import QuizAttempt, Submission
from quizapp.services import quizzes
from tests.conftest import AuthActions
from tests.instructor import factories as f
from tests.instructor import grading

PAGES = (
    "/instructor/",
    "/instructor/gradebook",
    "/instructor/gradebook.csv",
    "/instructor/quizzes/rnn-week1",
    "/instructor/exercises/rnn_cell_forward",
)
SLUG = "rnn_cell_forward"


def take_quiz(user_id: int, answers: dict[str, list[str]]) -> float:
    """Start and submit a week-1 attempt through the quiz service; returns its score."""
    quiz = get_quiz("rnn-week1")
    attempt = quizzes.start_attempt(user_id, quiz)
    return float(quizzes.submit_attempt(user_id, attempt.id, answers).score)


@pytest.fixture
def course(app: Flask) -> dict[str, Any]:
    """An instructor; ann (3/10, a passing rnn_cell_forward), bob (1/10, a buggy one) and idle cy.

    The quiz attempts go through the quiz service and the submissions through the pipeline and the real
    grader, so the pages show real verdicts.
    """
    with app.app_context():
        teacher = f.user("teacher@example.com", role="instructor")
        ann, bob = f.user("ann@example.com"), f.user("bob@example.com")
        f.user("cy@example.com")
        assert take_quiz(ann, {"q1": ["a"], "q2": ["a"], "q3": ["b", "d"]}) == 3
        assert take_quiz(bob, {"q1": ["b"], "q2": ["a"], "q3": ["b"]}) == 1
        assert grading.submit_and_grade("ann@example.com", SLUG, grading.solution())["status"] == "passed"
        verdict = grading.submit_and_grade("bob@example.com", SLUG, grading.buggy())
        assert verdict["status"] == "failed" and "sigmoid_for_tanh" in verdict["mistakes"]
        ids = dict(db.session.execute(db.select(Submission.user_id, Submission.id)).tuples().all())
    return {"teacher": teacher, "ann": ann, "bob": bob, "buggy": ids[bob], "buggy_score": verdict["score"]}


def login_teacher(auth: AuthActions) -> None:
    """Sign the instructor in through the login form."""
    assert auth.login("teacher@example.com").status_code == 302


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_login(client: FlaskClient, path: str) -> None:
    """Every dashboard page redirects an anonymous visitor to the login page."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.parametrize("path", PAGES)
def test_students_are_turned_away(auth: AuthActions, client: FlaskClient, path: str) -> None:
    """A signed-in student gets a 403 page, not the dashboard."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    response = client.get(path)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_overview_has_counts_and_inline_svg_charts(course: dict[str, Any], auth: AuthActions) -> None:
    """/instructor/ shows the counts and inline <svg> charts, with no script or external file in them."""
    login_teacher(auth)
    html = auth.client.get("/instructor/").get_data(as_text=True)
    assert html.count("<svg") >= 3
    assert re.search(r"<dt>Students</dt><dd>3</dd>", html)
    assert re.search(r"<dt>Started</dt><dd>2</dd>", html)
    assert "Best quiz scores" in html or "best scores" in html
    svg_parts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert svg_parts and not any("<script" in part or 'xlink:href="http' in part for part in svg_parts)
    assert "<?xml" not in html


def test_gradebook_page_sorts_and_searches_without_javascript(
    course: dict[str, Any], auth: AuthActions
) -> None:
    """Query parameters sort the table and filter it by email."""
    login_teacher(auth)

    def emails(query: str) -> list[str]:
        html = auth.client.get(f"/instructor/gradebook?{query}").get_data(as_text=True)
        return re.findall(r'<tr data-email="([^"]+)"', html)

    assert emails("") == ["ann@example.com", "bob@example.com", "cy@example.com"]
    assert emails("sort=total&dir=asc") == ["cy@example.com", "bob@example.com", "ann@example.com"]
    assert emails("sort=email&dir=desc") == ["cy@example.com", "bob@example.com", "ann@example.com"]
    assert emails("q=BOB") == ["bob@example.com"]
    assert emails("sort=nonsense&dir=sideways") == ["ann@example.com", "bob@example.com", "cy@example.com"]


def test_item_analysis_page_toggles_first_and_best(course: dict[str, Any], auth: AuthActions) -> None:
    """The quiz page shows per-question figures and marks the chosen attempt set."""
    login_teacher(auth)
    best = auth.client.get("/instructor/quizzes/rnn-week1").get_data(as_text=True)
    first = auth.client.get("/instructor/quizzes/rnn-week1?attempts=first").get_data(as_text=True)
    assert 'aria-current="true">Best attempts' in best
    assert 'aria-current="true">First attempts' in first
    assert "item–rest" in best and 'id="item-q3"' in best
    # Two students: n is shown and the figures are marked unreliable, in words, α included.
    assert "n = 2" in best and 'id="small-sample"' in best
    assert "fewer than about 30 attempts are unreliable" in best
    assert auth.client.get("/instructor/quizzes/no-such-quiz").status_code == 404


def test_exercise_page_shows_cases_mistakes_and_an_example(course: dict[str, Any], auth: AuthActions) -> None:
    """The exercise page lists the failing case, the named mistake and links its example submission."""
    login_teacher(auth)
    html = auth.client.get(f"/instructor/exercises/{SLUG}").get_data(as_text=True)
    # ann's solution passes every case and bob's sigmoid fails every one: 50% on each case.
    assert "course example" in html and "small example" in html and "50%" in html
    assert "sigmoid_for_tanh" in html
    assert f'/instructor/submissions/{course["buggy"]}"' in html
    assert auth.client.get("/instructor/exercises/no_such_exercise").status_code == 404


def test_student_page_shows_attempts_answers_code_and_history(
    course: dict[str, Any], auth: AuthActions
) -> None:
    """The student page has attempts, submissions with code and history, and links to the override form."""
    login_teacher(auth)
    html = auth.client.get(f"/instructor/students/{course['bob']}").get_data(as_text=True)
    assert "bob@example.com" in html
    assert "a_next = 1 / (1 + np.exp(-(Waa @ a_prev" in html
    assert "Grading history" in html and "Regrade #" in html
    # No override form under each submission: a link to the submission page's single form instead.
    assert "/override" not in html
    assert html.count(f'/instructor/submissions/{course["buggy"]}#override') == 1
    assert auth.client.get(f"/instructor/students/{course['teacher']}").status_code == 404


def test_student_page_shows_answer_texts_in_the_order_the_student_saw(
    app: Flask, course: dict[str, Any], auth: AuthActions
) -> None:
    """Each question lists its option texts in the attempt's stored order, with bob's tick and the key."""
    shown = ["d", "b", "a", "c"]
    with app.app_context():
        quiz = get_quiz("rnn-week1")
        attempt = db.session.scalars(db.select(QuizAttempt).where(QuizAttempt.user_id == course["bob"])).one()
        attempt.option_order = {**attempt.option_order, "q3": shown}  # the order this attempt showed
        db.session.commit()
    login_teacher(auth)
    html = auth.client.get(f"/instructor/students/{course['bob']}").get_data(as_text=True)
    item = re.search(r'<li class="answer" id="attempt-\d+-q3">(.*?)</ul>', html, re.S)
    assert item, "q3 is not listed"
    text = item.group(1)
    assert re.findall(r'<span class="opt-id">(\w)</span>', text) == shown
    for option in quiz.questions[2].options:  # every option's text is shown, not only its letter
        assert option.html in text
    row = r'<li class="{}">\s*<span class="tick">.*?<span class="opt-id">(\w)'
    assert re.findall(row.format(r"ticked[^\"]*"), text, re.S) == ["b"]
    assert sorted(re.findall(row.format(r"[^\"]*key"), text, re.S)) == sorted(quiz.questions[2].correct)
    assert "wrong" in item.group(1)


def test_submission_page_has_the_one_override_form(course: dict[str, Any], auth: AuthActions) -> None:
    """The submission page carries exactly one override form, anchored so the student page can link to it."""
    login_teacher(auth)
    html = auth.client.get(f"/instructor/submissions/{course['buggy']}").get_data(as_text=True)
    assert html.count('id="override"') == 1 and html.count("/override\"") == 1
    assert "Override score" in html


def override(auth: AuthActions, submission_id: int, score: str, reason: str) -> tuple[int, str]:
    """Post the override form found on the submission page; returns status and the page that follows."""
    page = auth.client.get(f"/instructor/submissions/{submission_id}").get_data(as_text=True)
    token = re.search(rf'name="s{submission_id}-csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no override form"
    response = auth.client.post(
        f"/instructor/submissions/{submission_id}/override",
        data={
            f"s{submission_id}-csrf_token": token.group(1),
            f"s{submission_id}-score": score,
            f"s{submission_id}-reason": reason,
        },
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def test_override_through_the_form_updates_the_gradebook(course: dict[str, Any], auth: AuthActions) -> None:
    """A valid override shows in the history with its reason and author, and in the gradebook."""
    login_teacher(auth)
    status, html = override(auth, course["buggy"], "7.5", "Only the bias was transposed.")
    assert status == 200
    assert "Only the bias was transposed." in html and "teacher@example.com" in html
    book = auth.client.get("/api/v1/gradebook").get_json()
    bob = next(s for s in book["students"] if s["email"] == "bob@example.com")
    assert bob["exercises"][SLUG] == 7.5


@pytest.mark.parametrize(
    ("score", "reason", "message"),
    [("7", "", "Give a reason"), ("11", "too generous", "between 0 and 10"), ("-1", "x", "at least 0")],
)
def test_override_form_refuses_bad_input(
    course: dict[str, Any], auth: AuthActions, score: str, reason: str, message: str
) -> None:
    """A missing reason or an out-of-range score re-shows the form with an error and changes nothing."""
    login_teacher(auth)
    status, html = override(auth, course["buggy"], score, reason)
    assert status == 422
    assert message in html
    book = auth.client.get("/api/v1/gradebook").get_json()
    assert (
        next(s for s in book["students"] if s["email"] == "bob@example.com")["exercises"][SLUG]
        == course["buggy_score"]
    )


def test_override_without_csrf_is_refused(course: dict[str, Any], auth: AuthActions) -> None:
    """Posting the override form without its CSRF token does not change the score."""
    login_teacher(auth)
    response = auth.client.post(
        f"/instructor/submissions/{course['buggy']}/override",
        data={f"s{course['buggy']}-score": "10", f"s{course['buggy']}-reason": "sneaky"},
    )
    assert response.status_code in (400, 422)
    book = auth.client.get("/api/v1/gradebook").get_json()
    assert (
        next(s for s in book["students"] if s["email"] == "bob@example.com")["exercises"][SLUG]
        == course["buggy_score"]
    )
