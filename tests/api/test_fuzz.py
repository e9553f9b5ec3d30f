"""Schemathesis against a live server, as a student and as an instructor, with every check on.

The CI run is short (``QUIZAPP_FUZZ_EXAMPLES``, default 5 examples per operation and phase); a long
run is the same test with a larger number, e.g. ``QUIZAPP_FUZZ_EXAMPLES=200`` (README, "Fuzzing").
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import REPO, gunicorn_server, run_flask

HERE = Path(__file__).resolve().parent
EXAMPLES = int(os.environ.get("QUIZAPP_FUZZ_EXAMPLES", "5"))
SEED = os.environ.get("QUIZAPP_FUZZ_SEED", "20261201")
PASSWORD = "correct-horse"
ROLES = {"student": "fuzz-student@example.com", "instructor": "fuzz-teacher@example.com"}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn (2 workers) on a fresh SQLite database with one account per role; its base URL.

    Grading stays off (fuzzed code is only stored), long polls answer at once and the per-minute limits
    are raised so the fuzzer reaches the logic behind them; the quiz's own attempt limit stays as it is.
    """
    folder = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite:///{folder / 'fuzz.sqlite'}"
    assert run_flask(database_url, "db", "upgrade").returncode == 0
    for role, email in ROLES.items():
        created = run_flask(database_url, "users", "create", email, "--password", PASSWORD, "--role", role)
        assert created.returncode == 0, created.stderr
    env = {
        "GRADING_POOL_IN_APP": "0",
        "SUBMISSION_RATE_LIMIT": "100000/minute",
        "TOKEN_RATE_LIMIT": "100000/minute",
        # With nothing graded, a long poll (a status or submission request with ?wait) would wait out
        # its seconds; with no waiter allowed it answers at once, as a busy server does.
        "LONG_POLL_MAX_WAITERS": "0",
    }
    with gunicorn_server(database_url, folder / "gunicorn.log", workers=2, threads=1, env=env) as url:
        yield url


@pytest.mark.parametrize("role", sorted(ROLES))
def test_api_conforms_to_its_document(fuzz_server: str, role: str) -> None:
    """Schemathesis (all phases, --checks all) finds no failure and no error, signed in as ``role``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "QUIZAPP_FUZZ_URL": fuzz_server,
        "QUIZAPP_FUZZ_EMAIL": ROLES[role],
        "QUIZAPP_FUZZ_PASSWORD": PASSWORD,
    }
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(HERE / "schemathesis.toml"),
        "--no-color", "run", f"{fuzz_server}/api/v1/openapi.json", "--checks", "all",
        "--max-examples", str(EXAMPLES), "--seed", SEED, "--workers", "1", "--output-truncate", "true",
        "--request-timeout", "40",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    report = result.stdout[-12000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert "No issues found" in result.stdout or " passed" in result.stdout, report
