"""The quiz API as the contract describes it: catalogue, attempts, autosave, submit, limits, no leaks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, load_quizzes
from quizapp.extensions import db
from quizapp.models import QuizAttempt
from quizapp.models.types import utcnow
from tests.conftest import AuthActions, recorded_statements
from tests.quizzes.helpers import ALL_WRONG, KEY, assert_no_leak, small_quiz, week1_copy

WEEK1 = load_quizzes(DEFAULT_QUIZ_DIR)["rnn-week1"]


def start(client: FlaskClient, headers: dict[str, str], slug: str = "rnn-week1") -> dict[str, Any]:
    """Start an attempt and return its JSON, asserting the 201."""
    response = client.post(f"/api/v1/quizzes/{slug}/attempts", headers=headers)
    assert response.status_code == 201, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def submit(client: FlaskClient, headers: dict[str, str], attempt_id: int, answers: Any = None) -> Any:
    """Submit an attempt, optionally with answers in the body."""
    body = {"answers": answers} if answers is not None else None
    return client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers, json=body)


def test_key_scores_ten(client: FlaskClient, auth: AuthActions) -> None:
    """The answer key scores 10/10, with every question marked correct."""
    headers = auth.bearer("ada@example.com")
    attempt = start(client, headers)
    result = submit(client, headers, attempt["id"], KEY).get_json()
    assert (result["score"], result["max_score"]) == (10, 10)
    assert all(item["correct"] and item["points"] == 1 for item in result["results"])
    assert [item["question"] for item in result["results"]] == [f"q{i}" for i in range(1, 11)]
    assert all(item["explanation_html"] for item in result["results"])


def test_all_wrong_scores_zero(client: FlaskClient, auth: AuthActions) -> None:
    """Wrong answers everywhere score 0."""
    headers = auth.bearer("ada@example.com")
    result = submit(client, headers, start(client, headers)["id"], ALL_WRONG).get_json()
    assert result["score"] == 0
    assert not any(item["correct"] for item in result["results"])


def test_q3_with_only_b_scores_nine(client: FlaskClient, auth: AuthActions) -> None:
    """Multiple choice is all-or-nothing: the key with only b ticked on q3 scores 9/10."""
    headers = auth.bearer("ada@example.com")
    result = submit(client, headers, start(client, headers)["id"], {**KEY, "q3": ["b"]}).get_json()
    assert result["score"] == 9
    q3 = next(item for item in result["results"] if item["question"] == "q3")
    assert (q3["correct"], q3["points"]) == (False, 0)


def test_failed_first_attempt_result_withholds_the_key(client: FlaskClient, auth: AuthActions) -> None:
    """Submit result under the default policy: right/wrong and chosen options only, explanation_html null."""
    headers = auth.bearer("ada@example.com")
    quiz = client.get("/api/v1/quizzes/rnn-week1", headers=headers).get_json()
    assert quiz["settings"]["review"] == "after_pass_or_last_attempt"
    result = submit(client, headers, start(client, headers)["id"], {**ALL_WRONG, "q1": ["a"]}).get_json()
    assert (result["score"], result["explanations_shown"]) == (1, False)
    assert result["review"] == "after_pass_or_last_attempt"
    for item in result["results"]:
        assert item["explanation_html"] is None
        assert sorted(option["id"] for option in item["options"]) == item["selected"]
        assert all(option["selected"] for option in item["options"])
    feedback = WEEK1.question("q1").option("a").feedback_html
    assert result["results"][0]["options"] == [
        {"id": "a", "selected": True, "correct": True, "feedback_html": feedback}
    ]


def test_quiz_json_has_mathml_and_no_answers(client: FlaskClient, auth: AuthActions) -> None:
    """The catalogue and quiz JSON carry MathML and figures but no key, feedback or explanation."""
    headers = auth.bearer("ada@example.com")
    catalogue = client.get("/api/v1/quizzes", headers=headers).get_json()
    assert {"slug": "rnn-week1", "title": WEEK1.title, "question_count": 10}.items() <= catalogue[0].items()
    quiz = client.get("/api/v1/quizzes/rnn-week1", headers=headers).get_json()
    assert [q["id"] for q in quiz["questions"]] == [f"q{i}" for i in range(1, 11)]
    assert all([o["id"] for o in q["options"]] == ["a", "b", "c", "d"] for q in quiz["questions"])
    assert quiz["questions"][2]["kind"] == "multiple"
    assert "<math" in quiz["questions"][0]["options"][0]["html"]
    assert "<svg" in quiz["questions"][1]["prompt_html"]
    assert_no_leak(quiz, WEEK1)
    assert_no_leak(catalogue, WEEK1)


def test_attempt_json_is_shuffled_and_leak_free(client: FlaskClient, auth: AuthActions) -> None:
    """A new attempt lists every option in its own order, without answer data."""
    headers = auth.bearer("ada@example.com")
    attempt = start(client, headers)
    assert_no_leak(attempt, WEEK1)
    assert all(sorted(o["id"] for o in q["options"]) == ["a", "b", "c", "d"] for q in attempt["questions"])
    saved = client.put(
        f"/api/v1/attempts/{attempt['id']}/answers", headers=headers, json={"answers": {"q1": ["a"]}}
    )
    assert_no_leak(saved.get_json(), WEEK1)
    assert_no_leak(client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json(), WEEK1)


def test_two_attempts_shuffle_differently(client: FlaskClient, auth: AuthActions) -> None:
    """Two attempts get different option orders, and each keeps its own order on every read."""
    headers = auth.bearer("ada@example.com")
    first, second = start(client, headers), start(client, headers)

    def order(data: dict[str, Any]) -> list[list[str]]:
        return [[o["id"] for o in q["options"]] for q in data["questions"]]

    assert order(first) != order(second)
    again = client.get(f"/api/v1/attempts/{first['id']}", headers=headers).get_json()
    assert order(again) == order(first)


def test_autosave_and_restore(client: FlaskClient, auth: AuthActions) -> None:
    """PUT saves partial answers (merging per question); reading the attempt back restores them."""
    headers = auth.bearer("ada@example.com")
    attempt_id = start(client, headers)["id"]
    url = f"/api/v1/attempts/{attempt_id}/answers"
    assert client.put(url, headers=headers, json={"answers": {"q1": ["b"], "q3": ["b"]}}).status_code == 200
    response = client.put(url, headers=headers, json={"answers": {"q1": ["a"]}})
    assert response.get_json()["answers"] == {"q1": ["a"], "q3": ["b"]}
    restored = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
    assert restored["answers"] == {"q1": ["a"], "q3": ["b"]}
    assert restored["status"] == "open"


def test_submit_merges_body_over_saved_answers(client: FlaskClient, auth: AuthActions) -> None:
    """Saved answers count unless the submit body replaces them."""
    headers = auth.bearer("ada@example.com")
    attempt_id = start(client, headers)["id"]
    saved = {**KEY, "q1": ["b"], "q2": ["b"]}
    client.put(f"/api/v1/attempts/{attempt_id}/answers", headers=headers, json={"answers": saved})
    result = submit(client, headers, attempt_id, {"q1": ["a"]}).get_json()
    assert result["score"] == 9
    assert not next(r for r in result["results"] if r["question"] == "q2")["correct"]


def test_submit_is_idempotent(client: FlaskClient, auth: AuthActions) -> None:
    """Submitting again returns the same result; changing answers after submission is a 409."""
    headers = auth.bearer("ada@example.com")
    attempt_id = start(client, headers)["id"]
    first = submit(client, headers, attempt_id, {**KEY, "q3": ["b"]})
    assert first.status_code == 200
    assert submit(client, headers, attempt_id).get_json() == first.get_json()
    assert submit(client, headers, attempt_id, {"q3": ["b"]}).get_json() == first.get_json()
    changed = submit(client, headers, attempt_id, KEY)
    assert changed.status_code == 409
    assert changed.get_json()["error"]["code"] == "attempt_closed"


def test_closed_attempt_refuses_autosave(client: FlaskClient, auth: AuthActions) -> None:
    """PUT on a submitted attempt is a 409 with a clear message."""
    headers = auth.bearer("ada@example.com")
    attempt_id = start(client, headers)["id"]
    submit(client, headers, attempt_id, KEY)
    response = client.put(
        f"/api/v1/attempts/{attempt_id}/answers", headers=headers, json={"answers": {"q1": ["b"]}}
    )
    assert response.status_code == 409
    assert "submitted" in response.get_json()["error"]["message"]


def test_someone_elses_attempt_is_404(client: FlaskClient, auth: AuthActions) -> None:
    """Another student can neither read, save nor submit my attempt: all 404, nothing changes."""
    mine = auth.bearer("ada@example.com")
    theirs = auth.bearer("bob@example.com")
    attempt_id = start(client, mine)["id"]
    assert client.get(f"/api/v1/attempts/{attempt_id}", headers=theirs).status_code == 404
    put = client.put(f"/api/v1/attempts/{attempt_id}/answers", headers=theirs, json={"answers": KEY})
    assert put.status_code == 404
    assert submit(client, theirs, attempt_id, KEY).status_code == 404
    assert client.get(f"/api/v1/attempts/{attempt_id}", headers=mine).get_json()["status"] == "open"


def test_bad_answers_are_rejected(client: FlaskClient, auth: AuthActions) -> None:
    """Malformed bodies are 400; unknown ids and two ticks on a single-choice question are 422."""
    headers = auth.bearer("ada@example.com")
    url = f"/api/v1/attempts/{start(client, headers)['id']}/answers"
    assert client.put(url, headers=headers, json={"answers": {"q1": "a"}}).status_code == 400
    assert client.put(url, headers=headers, json={"answers": ["a"]}).status_code == 400
    for answers in ({"q99": ["a"]}, {"q1": ["z"]}, {"q1": ["a", "b"]}):
        response = client.put(url, headers=headers, json={"answers": answers})
        assert response.status_code == 422, answers
        assert set(response.get_json()["error"]) == {"code", "message"}


def test_quiz_endpoints_need_authentication(client: FlaskClient) -> None:
    """Anonymous callers get a JSON 401."""
    assert client.get("/api/v1/quizzes").status_code == 401
    assert client.post("/api/v1/quizzes/rnn-week1/attempts").status_code == 401


def test_unknown_quiz_is_404(client: FlaskClient, auth: AuthActions) -> None:
    """A slug that names no quiz is a 404 in the contract's error shape."""
    response = client.get("/api/v1/quizzes/nope", headers=auth.bearer("ada@example.com"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_quiz"


def test_attempt_limit_is_429_with_retry_after(client: FlaskClient, auth: AuthActions) -> None:
    """The fourth attempt within 8 hours is refused with 429 and a Retry-After of about 8 hours."""
    headers = auth.bearer("ada@example.com")
    for _ in range(3):
        start(client, headers)
    refused = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=headers)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "attempt_limit"
    assert 8 * 3600 - 60 <= int(refused.headers["Retry-After"]) <= 8 * 3600


def test_attempt_limit_frees_up_after_the_window(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """Once the oldest attempt is more than 8 hours old, a new attempt may start."""
    headers = auth.bearer("ada@example.com")
    ids = [start(client, headers)["id"] for _ in range(3)]
    with app.app_context():
        oldest = db.session.get(QuizAttempt, ids[0])
        assert oldest is not None
        oldest.started_at = utcnow() - timedelta(hours=8, minutes=1)
        db.session.commit()
    assert client.post("/api/v1/quizzes/rnn-week1/attempts", headers=headers).status_code == 201


def test_session_autosave_needs_csrf_header(client: FlaskClient, auth: AuthActions) -> None:
    """A logged-in browser may autosave through the API only with the X-CSRFToken header."""
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    started = client.post("/api/v1/quizzes/rnn-week1/attempts", headers={"X-CSRFToken": token})
    assert started.status_code == 201
    url = f"/api/v1/attempts/{started.get_json()['id']}/answers"
    assert client.put(url, json={"answers": {"q1": ["a"]}}).status_code == 403
    assert client.put(url, json={"answers": {"q1": ["a"]}}, headers={"X-CSRFToken": token}).status_code == 200


class TestTimeLimit:
    """A quiz with a time limit: the server auto-submits an attempt that runs past it."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """Serve a copy of the week-1 quiz with a 10-minute limit."""
        return {"QUIZ_DIR": str(week1_copy(tmp_path / "quizzes", time_limit_minutes=10))}

    @staticmethod
    def expire(app: Flask, attempt_id: int) -> None:
        """Move the attempt's start and deadline into the past."""
        with app.app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            assert attempt is not None and attempt.deadline_at is not None
            attempt.started_at -= timedelta(minutes=11)
            attempt.deadline_at -= timedelta(minutes=11)
            db.session.commit()

    def test_deadline_is_set_and_shown(self, client: FlaskClient, auth: AuthActions) -> None:
        """A new attempt carries a deadline ten minutes after its start."""
        attempt = start(client, auth.bearer("ada@example.com"))
        assert attempt["deadline_at"] is not None

    def test_late_autosave_is_409_and_attempt_auto_submitted(
        self, app: Flask, client: FlaskClient, auth: AuthActions
    ) -> None:
        """Past the deadline, saving is refused and the attempt is marked with what was saved in time."""
        headers = auth.bearer("ada@example.com")
        attempt_id = start(client, headers)["id"]
        client.put(f"/api/v1/attempts/{attempt_id}/answers", headers=headers, json={"answers": KEY})
        self.expire(app, attempt_id)
        late = client.put(
            f"/api/v1/attempts/{attempt_id}/answers", headers=headers, json={"answers": ALL_WRONG}
        )
        assert late.status_code == 409
        assert "Time is up" in late.get_json()["error"]["message"]
        data = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
        assert data["status"] == "submitted"
        assert data["result"]["auto_submitted"] is True
        assert data["result"]["score"] == 10

    def test_reading_an_expired_attempt_submits_it(
        self, app: Flask, client: FlaskClient, auth: AuthActions
    ) -> None:
        """A plain read of an expired attempt closes it; a later submit returns that result."""
        headers = auth.bearer("ada@example.com")
        attempt_id = start(client, headers)["id"]
        url = f"/api/v1/attempts/{attempt_id}/answers"
        client.put(url, headers=headers, json={"answers": {"q1": ["a"]}})
        self.expire(app, attempt_id)
        read = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
        assert read["status"] == "submitted"
        result = submit(client, headers, attempt_id).get_json()
        assert (result["score"], result["auto_submitted"]) == (1, True)
        with app.app_context():
            attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.id == attempt_id))
            assert attempt is not None and attempt.submitted_at == attempt.deadline_at

    def test_late_submit_with_new_answers_is_409(
        self, app: Flask, client: FlaskClient, auth: AuthActions
    ) -> None:
        """Answers sent with a submit after the deadline do not count."""
        headers = auth.bearer("ada@example.com")
        attempt_id = start(client, headers)["id"]
        self.expire(app, attempt_id)
        response = submit(client, headers, attempt_id, KEY)
        assert response.status_code == 409
        assert "time ran out" in response.get_json()["error"]["message"]


class TestSecondQuiz:
    """An instructor adds a quiz by dropping a file into the quiz folder."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """A quiz folder with the week-1 quiz and one more file."""
        folder = week1_copy(tmp_path / "quizzes")
        (folder / "extra-quiz.yaml").write_text(small_quiz(scoring="net_correct"), encoding="utf-8")
        return {"QUIZ_DIR": str(folder)}

    def test_second_quiz_is_listed_and_takeable(self, client: FlaskClient, auth: AuthActions) -> None:
        """The new file appears in the catalogue and scores with its own net-correct policy."""
        headers = auth.bearer("ada@example.com")
        slugs = [q["slug"] for q in client.get("/api/v1/quizzes", headers=headers).get_json()]
        assert slugs == ["extra-quiz", "rnn-week1"]
        attempt = start(client, headers, "extra-quiz")
        result = submit(client, headers, attempt["id"], {"one": ["x"], "two": ["p", "q", "r"]}).get_json()
        # q "two": 2 right, 1 wrong out of 2 right -> half of its 2 points.
        assert (result["score"], result["max_score"]) == (2, 3)


def test_autosave_and_submit_read_the_attempt_once(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """An autosave and a submit each read the attempt once (locked) and load nothing again after writing."""
    headers = auth.bearer("ada@example.com")
    attempt_id = start(client, headers)["id"]
    half = dict(list(KEY.items())[:5])

    def check(statements: list[str]) -> None:
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert sum(1 for s in reads if "quiz_attempts.option_order" in s) == 1, statements
        writes = [i for i, s in enumerate(statements) if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
        last_write = max(writes)
        assert not [s for s in statements[last_write:] if "quiz_answers.selected" in s], "answers read again"

    with recorded_statements(app) as statements:
        saved = client.put(f"/api/v1/attempts/{attempt_id}/answers", headers=headers, json={"answers": half})
    assert saved.status_code == 200 and saved.get_json()["answers"] == half
    check(statements)
    with recorded_statements(app) as statements:
        result = submit(client, headers, attempt_id, KEY)
    assert result.status_code == 200 and result.get_json()["score"] == 10
    check(statements)
