"""Limits kept in the database: per-client sign-in windows, per-account lockout, and serialised counts.

A second app object on the same database stands in for another worker process: it has no memory in
common with the first, so whatever it sees came through the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from quizapp import create_app
from quizapp.content.quizzes import get_quiz
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import AuthAttempt, QuizAttempt, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import accounts, quizzes, submitting
from tests.conftest import TEST_SECRET, AuthActions, csrf_token_from

CODE = "def rnn_cell_forward(xt, a_prev, parameters):\n    return None\n"


def limited(app: Flask, **limits: str) -> None:
    """Switch the limits on for ``app`` with the given settings."""
    app.config.update(RATELIMIT_ENABLED=True, **limits)


def other_process(app: Flask) -> Flask:
    """A second, independent app on the same database: another worker, as far as limits can tell."""
    twin = create_app({**{k: app.config[k] for k in ("DATABASE_URL", "GRADER_BACKEND")}, "TESTING": True,
                       "SECRET_KEY": TEST_SECRET, "RATELIMIT_ENABLED": True})  # fmt: skip
    twin.config.update({k: v for k, v in app.config.items() if k.endswith("RATE_LIMIT")})
    return twin


def wrong_login(client: FlaskClient) -> Any:
    """One login form POST with a wrong password."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"email": "ada@example.com", "password": "wrong-pass", "csrf_token": token}
    )


def test_login_limit_is_shared_by_processes(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """With LOGIN_RATE_LIMIT 3/minute, two processes together let exactly 3 attempts through, then 429."""
    auth.create_user("ada@example.com")
    limited(app, LOGIN_RATE_LIMIT="3/minute")
    twin = other_process(app).test_client()
    codes = [wrong_login(c).status_code for c in (client, twin, client, twin, client)]
    assert codes == [400, 400, 400, 429, 429]
    refused = wrong_login(client)
    assert int(refused.headers["Retry-After"]) >= 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthAttempt)) == 3


def test_token_limit_is_shared_by_processes(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """With TOKEN_RATE_LIMIT 2/minute, the third HTTP Basic attempt in either process is a JSON 429."""
    auth.create_user("ada@example.com")
    limited(app, TOKEN_RATE_LIMIT="2/minute")
    twin = other_process(app).test_client()
    creds = ("ada@example.com", "wrong-pass")
    assert [c.post("/api/v1/tokens", auth=creds).status_code for c in (client, twin)] == [401, 401]
    refused = twin.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse"))
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1


def test_limit_window_slides(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """Attempts older than the window no longer count, so a client that waits gets in again."""
    auth.create_user("ada@example.com")
    limited(app, TOKEN_RATE_LIMIT="1/minute")
    assert client.post("/api/v1/tokens", auth=("ada@example.com", "x")).status_code == 401
    assert client.post("/api/v1/tokens", auth=("ada@example.com", "x")).status_code == 429
    with app.app_context():
        db.session.execute(update(AuthAttempt).values(attempted_at=utcnow() - timedelta(minutes=2)))
        db.session.commit()
    assert client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse")).status_code == 201


def test_lockout_backoff_is_capped() -> None:
    """Five failures lock for 30 s, each further one doubles it, and no lock exceeds 15 minutes."""
    assert [accounts.lockout_for(n) for n in (0, 4)] == [None, None]
    assert [accounts.lockout_for(n) for n in (5, 6, 7)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert accounts.lockout_for(10**6) == timedelta(minutes=15)


def test_account_lockout_then_owner_gets_back_in(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """After 5 wrong passwords even the right one is refused (429) until the lock ends; then it works."""
    auth.create_user("ada@example.com")
    for _ in range(5):
        assert client.post("/api/v1/tokens", auth=("ada@example.com", "wrong-pass")).status_code == 401
    locked = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse"))
    assert locked.status_code == 429 and locked.get_json()["error"]["code"] == "account_locked"
    assert 1 <= int(locked.headers["Retry-After"]) <= 30
    page = auth.login("ada@example.com")
    assert page.status_code == 429 and "try again" in page.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(User).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse")).status_code == 201
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user is not None and (user.failed_logins, user.locked_until) == (0, None)


def race(app: Flask, count: int, action: Callable[[], Any]) -> list[Any]:
    """Run ``action`` in ``count`` threads released together, each in its own app context; their results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = action()
            except DomainError as error:
                results[index] = error.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_attempt_limit_holds_under_concurrency(app: Flask, auth: AuthActions) -> None:
    """16 simultaneous attempt starts for one student create exactly the quiz's 3 attempts."""
    user_id = auth.create_user("ada@example.com")
    with app.app_context():
        quiz = get_quiz("rnn-week1")
    assert quiz.settings.max_attempts == 3
    results = race(app, 16, lambda: quizzes.start_attempt(user_id, quiz).id)
    assert sorted(r for r in results if r == "attempt_limit") == ["attempt_limit"] * 13
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 3


def test_attempt_limit_holds_over_http(app: Flask, auth: AuthActions) -> None:
    """16 simultaneous POST .../attempts through the app: three 201s and thirteen 429s."""
    headers = auth.bearer("ada@example.com")
    clients = [app.test_client() for _ in range(16)]
    results = race(app, 16, lambda: clients.pop().post("/api/v1/quizzes/rnn-week1/attempts", headers=headers)
                   .status_code)  # fmt: skip
    assert sorted(results) == [201] * 3 + [429] * 13


@pytest.mark.parametrize("limit", ["4/minute"])
def test_submission_limit_counts_stored_submissions(app: Flask, auth: AuthActions, limit: str) -> None:
    """12 simultaneous submissions against a 4/minute limit store exactly 4; another student is unaffected."""
    ada = auth.create_user("ada@example.com")
    bob = auth.create_user("bob@example.com")

    def submit(user_id: int) -> Any:
        user = db.session.get(User, user_id)
        assert user is not None
        return submitting.accept(
            user, "rnn_cell_forward", CODE, source="api", capacity=1000, rate_limit=limit
        ).id

    results = race(app, 12, lambda: submit(ada))
    assert sum(isinstance(r, int) for r in results) == 4
    assert results.count("rate_limited") == 8
    with app.app_context():
        assert submit(bob) > 0
        counts = dict(
            db.session.execute(select(Submission.user_id, func.count()).group_by(Submission.user_id)).all()
        )
    assert counts == {ada: 4, bob: 1}
