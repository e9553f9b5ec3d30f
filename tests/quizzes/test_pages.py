"""The student quiz pages: course list, taking an attempt without JavaScript, review, and no leaks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, load_quizzes
from quizapp.extensions import db
from quizapp.models import QuizAttempt
from tests.conftest import CSRF_PATTERN, AuthActions, csrf_token_from
from tests.quizzes.helpers import ALL_WRONG, KEY, assert_no_leak, week1_copy

WEEK1 = load_quizzes(DEFAULT_QUIZ_DIR)["rnn-week1"]
INPUT = re.compile(r'<input type="(radio|checkbox)" name="(q\d+)" value="([a-d])" id="([^"]+)"')


def sign_in(auth: AuthActions, email: str = "ada@example.com") -> None:
    """Create a student and log in through the form."""
    auth.create_user(email)
    auth.login(email)


def start(client: FlaskClient) -> tuple[int, str]:
    """Start an attempt with the course page's form; return its id and the attempt page."""
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/quizzes/rnn-week1/attempts", data={"csrf_token": token})
    assert response.status_code == 303
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return attempt_id, client.get(response.headers["Location"]).get_data(as_text=True)


def form_post(
    client: FlaskClient, attempt_id: int, page: str, answers: dict[str, list[str]], action: str
) -> Any:
    """Post the attempt form as a browser without JavaScript would."""
    data: dict[str, Any] = {"csrf_token": csrf_token_from(page), "action": action, **answers}
    return client.post(f"/quizzes/attempts/{attempt_id}", data=data)


def test_course_page_lists_the_quiz(client: FlaskClient, auth: AuthActions) -> None:
    """The course page shows the quiz with a start button, then a continue link once started."""
    sign_in(auth)
    page = client.get("/").get_data(as_text=True)
    assert WEEK1.title in page and "Start the quiz" in page
    attempt_id, _ = start(client)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/quizzes/attempts/{attempt_id}"' in page and "Continue your attempt" in page


def test_pages_need_login(client: FlaskClient) -> None:
    """Anonymous visitors are sent to the login page."""
    response = client.get("/quizzes/rnn-week1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_attempt_page_is_accessible_and_leak_free(client: FlaskClient, auth: AuthActions) -> None:
    """Every input has its own label; the page holds MathML and figures but no key or explanation."""
    sign_in(auth)
    _, page = start(client)
    inputs = INPUT.findall(page)
    assert len(inputs) == 40
    for _, _, _, input_id in inputs:
        assert page.count(f'for="{input_id}"') == 1
    assert {kind for kind, question, _, _ in inputs if question == "q3"} == {"checkbox"}
    assert page.count("<legend>") == 10 and page.count('role="img"') == 2 and "<math" in page
    assert_no_leak(page, WEEK1)
    assert_no_leak(client.get("/quizzes/rnn-week1").get_data(as_text=True), WEEK1)
    assert_no_leak(client.get("/").get_data(as_text=True), WEEK1)


def test_reload_shows_the_stored_order(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """The page lists options in the attempt's stored order, the same on every reload."""
    sign_in(auth)
    attempt_id, page = start(client)
    shown: dict[str, list[str]] = {}
    for _, question, option, _ in INPUT.findall(page):
        shown.setdefault(question, []).append(option)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt is not None and shown == attempt.option_order
    reloaded = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    # The CSRF token carries a timestamp in seconds, so a reload across a second boundary differs there.
    assert CSRF_PATTERN.sub("", reloaded) == CSRF_PATTERN.sub("", page)


def test_form_save_then_submit_without_javascript(client: FlaskClient, auth: AuthActions) -> None:
    """Saving keeps ticks across a reload; submitting goes to the review with the score."""
    sign_in(auth)
    attempt_id, page = start(client)
    saved = form_post(client, attempt_id, page, {"q1": ["a"], "q3": ["b", "d"]}, "save")
    assert saved.status_code == 303
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(r'value="a" id="answer-q1-a" checked', page)
    assert re.search(r'value="d" id="answer-q3-d" checked', page)
    assert "answers are saved" in page
    submitted = form_post(client, attempt_id, page, {**KEY, "q3": ["b"]}, "submit")
    assert submitted.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}/review")
    review = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "9 / 10" in review
    assert review.count("is-right") == 9 and review.count("is-wrong") == 1
    assert all(question.explanation_html in review for question in WEEK1.questions)
    assert WEEK1.question("q3").option("c").feedback_html in review  # type: ignore[operator]


def test_submitted_attempt_page_redirects_to_review(client: FlaskClient, auth: AuthActions) -> None:
    """Once submitted, the attempt URL shows the review and a late form post cannot change it."""
    sign_in(auth)
    attempt_id, page = start(client)
    form_post(client, attempt_id, page, ALL_WRONG, "submit")
    assert client.get(f"/quizzes/attempts/{attempt_id}").headers["Location"].endswith("/review")
    late = form_post(client, attempt_id, page, KEY, "submit")
    assert late.headers["Location"].endswith("/review")
    assert "0 / 10" in client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)


def test_someone_elses_attempt_page_is_404(client: FlaskClient, auth: AuthActions) -> None:
    """Another student's attempt and review pages are not found."""
    sign_in(auth)
    attempt_id, _ = start(client)
    auth.logout()
    sign_in(auth, "bob@example.com")
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/quizzes/attempts/{attempt_id}/review").status_code == 404


def test_limit_message_on_the_quiz_page(client: FlaskClient, auth: AuthActions) -> None:
    """A fourth start within 8 hours is refused with a message saying when to come back."""
    sign_in(auth)
    for _ in range(3):
        start(client)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    refused = client.post("/quizzes/rnn-week1/attempts", data={"csrf_token": token}, follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "used all 3 attempts" in text and "You can start another in" in text


def option_feedback(question: str, option: str) -> str:
    """The rendered feedback of one week-1 option."""
    feedback = WEEK1.question(question).option(option).feedback_html
    assert feedback is not None
    return feedback


def test_week1_review_after_a_failure_hides_the_key(client: FlaskClient, auth: AuthActions) -> None:
    """The shipped quiz: a failed first attempt's review keeps the key and explanations back."""
    sign_in(auth)
    attempt_id, page = start(client)
    form_post(client, attempt_id, page, {**ALL_WRONG, "q1": ["a"]}, "submit")
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "1 / 10" in review and "shown once you pass." in review
    assert "Correct option" not in review
    assert all(question.explanation_html not in review for question in WEEK1.questions)


class TestReviewPolicy:
    """The default review policy on a quiz with three attempts in total."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """The week-1 quiz with its default review policy and no rolling window."""
        return {"QUIZ_DIR": str(week1_copy(tmp_path / "q", window_hours=None))}

    def test_failed_first_attempt_hides_the_correct_options(
        self, client: FlaskClient, auth: AuthActions
    ) -> None:
        """The review shows right/wrong and the chosen options' feedback, never the key or explanations."""
        sign_in(auth)
        attempt_id, page = start(client)
        form_post(client, attempt_id, page, {**ALL_WRONG, "q1": ["a"], "q3": ["b", "c"]}, "submit")
        review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
        assert "1 / 10" in review and "or have used your last attempt" in review
        assert review.count("is-right") == 1 and review.count("is-wrong") == 9
        assert "Correct option" not in review and "Explanation" not in review
        for question in WEEK1.questions:
            assert question.explanation_html not in review
        # Feedback on what was chosen (q3: b right, c wrong), none on what was not (q3 d, q1 b).
        assert option_feedback("q3", "b") in review and option_feedback("q3", "c") in review
        assert option_feedback("q3", "d") not in review and option_feedback("q1", "b") not in review
        assert review.count("Right choice") == 2 and review.count("Wrong choice") == 9

    def test_last_attempt_shows_the_correct_options(self, client: FlaskClient, auth: AuthActions) -> None:
        """After the third (last) failed attempt, its review marks every correct option and explains it."""
        sign_in(auth)
        for _ in range(3):
            attempt_id, page = start(client)
            form_post(client, attempt_id, page, ALL_WRONG, "submit")
        review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
        assert "0 / 10" in review and review.count("Correct option") == 11
        for question in WEEK1.questions:
            assert question.explanation_html in review
        assert option_feedback("q3", "d") in review
