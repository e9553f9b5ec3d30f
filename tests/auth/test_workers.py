"""The limits against the real deployment shape: gunicorn with two worker processes, on both engines.

Nothing is shared between the workers but the database, so a limit that holds here holds for any
number of web processes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import fresh_database
from tests.live import gunicorn_server, run_flask

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CODE = "def rnn_cell_forward(xt, a_prev, parameters):\n    return None\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``(base URL, database URL)`` of gunicorn with 2 workers on a fresh database (no grading pool)."""
    database_url = fresh_database(request.param, request, tmp_path)
    log = tmp_path / "gunicorn.log"
    env = {"GRADING_POOL_IN_APP": "0"}
    with gunicorn_server(database_url, log, workers=2, threads=1, env=env) as url:
        yield url, database_url


def together(count: int, action: Callable[[int], Any]) -> list[Any]:
    """Run ``action(i)`` for ``count`` values of i, 8 at a time, so both workers are busy at once."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(action, range(count)))


def wrong_login(base: str, index: int) -> int:
    """A login form POST (own session, own CSRF token) for an unknown account; its status."""
    with requests.Session() as browser:
        match = CSRF.search(browser.get(f"{base}/login", timeout=30).text)
        assert match
        data = {"email": f"nobody{index}@example.com", "password": "wrong-pass", "csrf_token": match.group(1)}
        return browser.post(f"{base}/login", data=data, timeout=30, allow_redirects=False).status_code


def test_limits_hold_across_two_workers(two_workers: tuple[str, str]) -> None:
    """Attempts (3), submissions (20/minute), tokens and logins (20/minute each) hold across 2 workers."""
    base, database_url = two_workers
    for email in ("ada@example.com", "bob@example.com"):
        result = run_flask(database_url, "users", "create", email, "--password", "correct-horse")
        assert result.returncode == 0, result.stderr
    tokens = [
        requests.post(f"{base}/api/v1/tokens", auth=(email, "correct-horse"), timeout=30).json()["token"]
        for email in ("ada@example.com", "bob@example.com")
    ]
    ada, bob = ({"Authorization": f"Bearer {token}"} for token in tokens)

    attempts = together(16, lambda _: requests.post(
        f"{base}/api/v1/quizzes/rnn-week1/attempts", headers=ada, timeout=60).status_code)  # fmt: skip
    assert sorted(attempts) == [201] * 3 + [429] * 13

    submitted = together(30, lambda _: requests.post(
        f"{base}/api/v1/exercises/rnn_cell_forward/submissions", json={"code": CODE}, headers=ada,
        timeout=60).status_code)  # fmt: skip
    assert sorted(submitted) == [202] * 20 + [429] * 10
    other = requests.post(f"{base}/api/v1/exercises/rnn_cell_forward/submissions", json={"code": CODE},
                          headers=bob, timeout=60)  # fmt: skip
    assert other.status_code == 202

    # Two of the 20 token requests a minute went on the set-up above.
    def wrong_token(index: int) -> int:
        creds = (f"nobody{index}@example.com", "wrong-pass")
        return requests.post(f"{base}/api/v1/tokens", auth=creds, timeout=60).status_code

    token_codes = together(30, wrong_token)
    assert set(token_codes) == {401, 429}
    assert 14 <= token_codes.count(401) <= 18

    login_codes = together(30, lambda i: wrong_login(base, i))
    assert set(login_codes) == {400, 429}
    assert 16 <= login_codes.count(400) <= 20
