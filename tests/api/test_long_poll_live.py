"""Long polls on a real gunicorn served as `make run` does (2 workers x 32 threads), grading elsewhere.

Hundreds of clients waiting at once must neither lose an answer nor keep pages from being served, and a
verdict stored by a separate grading process must reach the waiting clients at once.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.grading.helpers import CORRECT_LSTM, EXERCISE
from tests.live import REPO, _server_env, gunicorn_server, run_flask

WAITERS = 500
WAIT_S = 30.0  # long enough for a separate grader process to start and grade, even on a busy machine
PAGE_WITHIN_S = 10.0  # a page is never queued behind the waiters: it loads well within one wait


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A two-worker gunicorn that runs no grading pool of its own; yields (base URL, database URL)."""
    path = tmp_path_factory.mktemp("long-poll") / "live.sqlite"
    database_url = f"sqlite:///{path}"
    assert run_flask(database_url, "db", "upgrade").returncode == 0
    created = run_flask(database_url, "users", "create", "wait@example.com", "--password", "correct-horse")
    assert created.returncode == 0, created.stderr
    log = tmp_path_factory.mktemp("long-poll-log") / "gunicorn.log"
    env = {"GRADING_POOL_IN_APP": "false"}
    with gunicorn_server(database_url, log, workers=2, threads=32, env=env) as url:
        yield url, database_url


def _grader_process(database_url: str) -> subprocess.Popen[bytes]:
    """`flask grader run`: the pool as its own process, as a second machine's grader would be."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "grader", "run"],
        cwd=REPO, env=_server_env(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def test_many_waiters_lose_nothing_and_pages_are_still_served(server: tuple[str, str]) -> None:
    """500 simultaneous long polls all get answers, pages load meanwhile, and the verdict wakes waiters."""
    base, database_url = server
    token = requests.post(f"{base}/api/v1/tokens", auth=("wait@example.com", "correct-horse"), timeout=30)
    assert token.status_code == 201, token.text
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    posted = requests.post(f"{base}/api/v1/exercises/{EXERCISE}/submissions", json={"code": CORRECT_LSTM},
                           headers=headers, timeout=30)
    assert posted.status_code == 202
    path = f"{base}/api/v1/submissions/{posted.json()['id']}?wait={WAIT_S:g}"

    def wait_once(_: int) -> tuple[int, str, float]:
        started = time.monotonic()
        response = requests.get(path, headers=headers, timeout=120)
        return response.status_code, response.json()["status"], time.monotonic() - started

    page_times: list[float] = []
    waiting = threading.Event()

    def load_pages() -> None:
        waiting.wait()
        for _ in range(5):
            started = time.monotonic()
            assert requests.get(f"{base}/login", timeout=60).status_code == 200
            page_times.append(time.monotonic() - started)

    pages = threading.Thread(target=load_pages)
    pages.start()
    with ThreadPoolExecutor(WAITERS) as pool:
        answers = pool.map(wait_once, range(WAITERS))
        time.sleep(1.0)  # let the waiters reach the server and fill its slots
        waiting.set()
        grader = _grader_process(database_url)
        try:
            results: list[Any] = list(answers)
        finally:
            grader.terminate()
            grader.wait(30)
    pages.join()

    assert len(results) == WAITERS and all(status == 200 for status, _, _ in results)
    assert {state for _, state, _ in results} <= {"queued", "running", "graded"}
    woken = [elapsed for _, state, elapsed in results if state == "graded"]
    assert woken, "no waiter heard of the verdict stored by the separate grader"
    assert all(elapsed < WAIT_S for elapsed in woken)
    assert len(page_times) == 5 and max(page_times) < PAGE_WITHIN_S, page_times
    final = requests.get(path.replace(f"?wait={WAIT_S:g}", ""), headers=headers, timeout=30).json()
    assert final["status"] == "graded" and final["verdict"]["status"] == "passed"


def test_the_server_holds_no_more_waiters_than_its_cap(server: tuple[str, str]) -> None:
    """With every slot taken, further long polls answer at once: no thread is held per client unbounded."""
    base, _ = server
    token = requests.post(f"{base}/api/v1/tokens", auth=("wait@example.com", "correct-horse"), timeout=30)
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    posted = requests.post(f"{base}/api/v1/exercises/{EXERCISE}/submissions", json={"code": CORRECT_LSTM},
                           headers=headers, timeout=30)
    path = f"{base}/api/v1/submissions/{posted.json()['id']}?wait=4"

    def timed(_: int) -> float:
        started = time.monotonic()
        assert requests.get(path, headers=headers, timeout=60).json()["status"] == "queued"
        return time.monotonic() - started

    with ThreadPoolExecutor(60) as pool:
        elapsed = list(pool.map(timed, range(60)))
    held = [t for t in elapsed if t >= 3.5]
    # Two processes, at most 24 waiters each (LONG_POLL_MAX_WAITERS); the rest were answered at once.
    assert 0 < len(held) <= 48, sorted(elapsed)
    assert sum(1 for t in elapsed if t < 3.0) >= 60 - 48
