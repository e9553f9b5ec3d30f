"""The push, end to end: the CLI, the notebook client and the browser each show a slowed grader's verdict
within 100 ms of it being stored, on the live gunicorn server.

Each client submits code that keeps the grader busy for a while, so the client is already waiting in its
long poll when the verdict is stored. The moment the verdict was stored is the submission's
``finished_at`` in the database (taken just before the storing transaction commits, so the figure
includes the commit); the moment the student sees it is taken where they would: the CLI's first byte
on stdout, the notebook client's call that displays the verdict, and the page's "Graded: ..." line.
"""

from __future__ import annotations

import importlib.util
import os
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from quizapp.models import Submission, User
from tests.grading.helpers import CORRECT_LSTM, EXERCISE, PUSH_WITHIN_S, ROOT, SLOW_LSTM

pytestmark = pytest.mark.timing


@pytest.fixture
def stored_at(live_database_url: str) -> Iterator[Callable[[str], tuple[int, datetime]]]:
    """Look up a student's latest submission: its id and when its verdict was stored."""
    engine = create_engine(live_database_url)

    def lookup(email: str) -> tuple[int, datetime]:
        with Session(engine) as session:
            row = session.execute(
                sql_select(Submission.id, Submission.finished_at)
                .join(User, User.id == Submission.user_id)
                .where(User.email == email)
                .order_by(Submission.id.desc())
                .limit(1)
            ).one()
        assert row.finished_at is not None, "the submission was never graded"
        return row.id, row.finished_at

    yield lookup
    engine.dispose()


def _token(live_server: str, email: str) -> str:
    response = requests.post(f"{live_server}/api/v1/tokens", auth=(email, "correct-horse"), timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def _assert_pushed(heard_at: datetime, stored: datetime, who: str) -> None:
    delay = (heard_at - stored).total_seconds()
    assert 0 <= delay < PUSH_WITHIN_S, f"{who} showed the verdict {delay:.3f} s after it was stored"


def test_the_cli_prints_the_verdict_as_soon_as_it_is_stored(
    live_server: str, create_live_user: Callable[..., str], stored_at: Any, tmp_path: Path
) -> None:
    """``python -m quizapp.client submit`` prints a slowed grader's verdict within 100 ms of its storing."""
    email = create_live_user("push-cli@example.com")
    source = tmp_path / "slow_lstm.py"
    source.write_text(SLOW_LSTM)
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZAPP_")}
    # As on a terminal, where a student reads it: each line is written out when printed.
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", QUIZAPP_TOKEN=_token(live_server, email))
    process = subprocess.Popen(
        [sys.executable, "-m", "quizapp.client", "submit", EXERCISE, str(source), "--server", live_server],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], 60)
    heard_at = datetime.now(UTC)
    assert readable, "the client printed nothing within 60 s"
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()
    assert out.decode().startswith("PASSED: 10 / 10 points")
    _, stored = stored_at(email)
    _assert_pushed(heard_at, stored, "the CLI")


def _notebook_client() -> Any:
    path = ROOT / "quizapp" / "static" / "quizapp_submit.py"
    spec = importlib.util.spec_from_file_location("quizapp_submit", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebook_client_shows_the_verdict_as_soon_as_it_is_stored(
    live_server: str,
    create_live_user: Callable[..., str],
    stored_at: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The notebook's ``submit(fn)`` displays a slowed grader's verdict within 100 ms of its storing."""
    email = create_live_user("push-notebook@example.com")
    # A notebook's function, slowed on every call (a module-level pause would not be sent along).
    slowed = CORRECT_LSTM.replace(
        "def lstm_cell_forward(xt, a_prev, c_prev, parameters):\n",
        "def lstm_cell_forward(xt, a_prev, c_prev, parameters):\n    time.sleep(0.05)\n",
    )
    assert slowed != CORRECT_LSTM
    (tmp_path / "student_cells.py").write_text("import time\n" + slowed)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT / "quizapp" / "static"))  # rnn_utils, as beside the notebook
    import student_cells  # type: ignore[import-not-found]

    client = _notebook_client()
    shown: list[datetime] = []
    monkeypatch.setattr(client, "_show", lambda verdict: shown.append(datetime.now(UTC)))
    sent: list[tuple[str, str]] = []
    request = client._request

    def recorded(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        sent.append((method, url))
        return request(method, url, *args, **kwargs)

    monkeypatch.setattr(client, "_request", recorded)
    token = _token(live_server, email)
    verdict = client.submit(student_cells.lstm_cell_forward, server=live_server, token=token)
    assert verdict["status"] == "passed"
    assert len(shown) == 1
    # The submission request itself waited for the verdict: no status request was needed.
    assert [(method, url.partition("?")[2]) for method, url in sent] == [("POST", "wait=10")]
    _, stored = stored_at(email)
    _assert_pushed(shown[0], stored, "the notebook client")


@pytest.mark.browser
def test_the_exercise_page_shows_the_verdict_as_soon_as_it_is_stored(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str], stored_at: Any
) -> None:
    """The exercise page shows "Graded: passed" for a slowed grader's verdict within 100 ms of its storing."""
    from tests.browser.test_exercise_page import set_code, sign_in

    email = create_live_user("push-browser@example.com")
    page = new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/{EXERCISE}")
    # The moment the verdict line appears, by the page's own clock (the machine's, as the server's).
    page.evaluate(
        """() => {
          const progress = document.getElementById("progress");
          new MutationObserver(() => {
            if (!window.__gradedAt && progress.textContent.startsWith("Graded:")) {
              window.__gradedAt = Date.now();
            }
          }).observe(progress, { childList: true, characterData: true, subtree: true });
        }"""
    )
    set_code(page, SLOW_LSTM)
    api_calls: list[tuple[str, str]] = []
    page.on("request", lambda r: "/api/v1/" in r.url and api_calls.append((r.method, r.url)))
    page.get_by_role("button", name="Submit for grading").click()
    page.wait_for_function("() => window.__gradedAt", timeout=60_000)
    # One request: the submission POST waited for the verdict, so the page asked for no status.
    assert [(method, url.split("/api/v1/")[1]) for method, url in api_calls if "/draft" not in url] == [
        ("POST", f"exercises/{EXERCISE}/submissions?wait=5")
    ]
    assert "passed, 10 / 10 points" in page.locator("#progress").inner_text()
    heard_at = datetime.fromtimestamp(page.evaluate("window.__gradedAt") / 1000, UTC)
    _, stored = stored_at(email)
    _assert_pushed(heard_at, stored, "the exercise page")
