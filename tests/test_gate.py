"""The request gate: at most REQUEST_CONCURRENCY requests of a process run at once; long polls wait apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

from quizapp.extensions import db
from tests.conftest import AuthActions

CODE = "def rnn_cell_forward(xt, a_prev, parameters):\n    return None\n"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Two slots, and no grading pool, so a submission stays queued while a test waits on it."""
    return {"REQUEST_CONCURRENCY": 2, "GRADING_POOL_IN_APP": False}


def _slow_view(app: Flask, meet: int = 1) -> dict[str, int]:
    """Add ``/slow``, which records how many of its calls run at once; returns that record. With
    ``meet`` > 1 each call waits (5 s at most) until that many calls are inside together, so a test
    proves the overlap instead of hoping the threads start in time."""
    seen = {"now": 0, "most": 0}
    guard = threading.Lock()
    barrier = threading.Barrier(meet, timeout=5) if meet > 1 else None

    def slow() -> str:
        with guard:
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        if barrier is not None:
            barrier.wait()
        time.sleep(0.05)
        with guard:
            seen["now"] -= 1
        return "ok"

    app.add_url_rule("/slow", "slow", slow)
    return seen


def _together(count: int, call: Callable[[], Any]) -> list[Any]:
    """Run ``call`` in ``count`` threads at once; the results in order."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: call(), range(count)))


def test_no_more_requests_run_at_once_than_the_slots(app: Flask) -> None:
    """Eight simultaneous slow requests on two slots: two at a time in the view, never more, all answered."""
    seen = _slow_view(app, meet=2)
    statuses = _together(8, lambda: app.test_client().get("/slow").status_code)
    assert statuses == [200] * 8
    assert seen["most"] == 2


def test_a_failing_request_gives_its_slot_back(app: Flask) -> None:
    """Requests that end in errors (a 404, a view that raises) release their slot: later ones still run."""

    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    seen = _slow_view(app, meet=2)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    for _ in range(5):
        assert client.get("/no-such-page").status_code == 404
        assert client.get("/broken").status_code == 500
    assert _together(4, lambda: app.test_client().get("/slow").status_code) == [200] * 4
    assert seen["most"] == 2


def test_long_polls_wait_without_holding_a_slot(app: Flask, auth: AuthActions) -> None:
    """Two long polls on a queued submission fill both slots' worth of requests, yet a page loads at once
    while they wait, and both polls still answer when their time is up."""
    headers = auth.bearer("ada@example.com")
    created = app.test_client().post(
        "/api/v1/exercises/rnn_cell_forward/submissions", headers=headers, json={"code": CODE}
    )
    assert created.status_code == 202
    url = f"/api/v1/submissions/{created.get_json()['id']}?wait=2"
    polls = [threading.Thread(target=lambda: app.test_client().get(url, headers=headers)) for _ in range(2)]
    started = time.perf_counter()
    for poll in polls:
        poll.start()
    time.sleep(0.3)
    page = app.test_client().get("/login")
    assert page.status_code == 200
    assert time.perf_counter() - started < 1.5  # well before the polls' 2 s are up
    for poll in polls:
        poll.join(10)
        assert not poll.is_alive()


def test_zero_turns_the_gate_off(database_url: str) -> None:
    """REQUEST_CONCURRENCY=0 installs no gate: six requests are inside the view together."""
    from quizapp import create_app
    from tests.conftest import TEST_SECRET

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET,
                      "REQUEST_CONCURRENCY": 0})
    try:
        assert "quizapp_gate" not in app.extensions
        seen = _slow_view(app, meet=6)
        assert _together(6, lambda: app.test_client().get("/slow").status_code) == [200] * 6
        assert seen["most"] == 6
    finally:
        with app.app_context():
            db.engine.dispose()
