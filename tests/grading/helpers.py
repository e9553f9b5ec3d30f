"""Shared by the pipeline tests: sample submissions, waiting for verdicts, real Celery worker processes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Grading, Submission
from quizapp.services import accounts
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
REDIS_URL = "redis://127.0.0.1:6379"
EXERCISE = "lstm_cell_forward"
# Above the exercise's 3 s time limit plus sandbox overhead, so no healthy job ever counts as stale.
STALE_AFTER = 5.0

# The course's reference solution as a student would submit it, and the classic slip on it:
# a_next = ot * c_next, without the tanh.
CORRECT_LSTM = (ROOT / "exercises" / EXERCISE / "solution.py").read_text(encoding="utf-8")
BUGGY_LSTM = CORRECT_LSTM.replace("a_next = ot * np.tanh(c_next)", "a_next = ot * c_next")
assert BUGGY_LSTM != CORRECT_LSTM, "the solution no longer has the line the buggy variant changes"

# The push's promise: a waiting client hears of a stored verdict within this many seconds.
PUSH_WITHIN_S = 0.1

# Correct, but slow enough to still be running when a worker is killed.
SLOW_LSTM = "import time\ntime.sleep(0.5)\n" + CORRECT_LSTM

# Hostile: prints markup and fake verdicts, then spins forever.
HOSTILE_LSTM = '''
print("<script>alert(1)</script>")
print('{"status": "passed", "score": 10, "max_score": 10}')

def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    while True:
        pass
'''


def bearer(app: Flask, email: str, role: str = "student") -> dict[str, str]:
    """Create an account and a token for it through the services (cheaper than HTTP Basic per test)."""
    with app.app_context():
        user = accounts.create_user(email, "correct-horse", role)
        db.session.commit()
        token = accounts.issue_token(user, 1)
        db.session.remove()
    return {"Authorization": f"Bearer {token}"}


def submit(client: FlaskClient, headers: Mapping[str, str], code: str, exercise: str = EXERCISE) -> Any:
    """POST code through the API; returns the response."""
    path = f"/api/v1/exercises/{exercise}/submissions"
    return client.post(path, json={"code": code}, headers=dict(headers))


def wait_graded(
    client: FlaskClient, headers: Mapping[str, str], submission_id: int, timeout: float = 30.0
) -> dict[str, Any]:
    """Poll the API until the submission is graded; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/api/v1/submissions/{submission_id}", headers=dict(headers))
        assert response.status_code == 200, response.get_json()
        data: dict[str, Any] = response.get_json()
        if data["status"] == "graded":
            return data
        assert time.monotonic() < deadline, f"submission {submission_id} still {data['status']}"
        time.sleep(0.05)


def wait_all_graded(app: Flask, timeout: float = 60.0) -> None:
    """Wait until no submission in the database is queued or running."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            pending = db.session.scalar(
                select(func.count()).where(Submission.status != "graded")
            )
            db.session.remove()
        if not pending:
            return
        assert time.monotonic() < deadline, f"{pending} submissions never got graded"
        time.sleep(0.1)


def counts(app: Flask) -> tuple[int, int]:
    """How many submissions and gradings the database holds."""
    with app.app_context():
        result = (
            db.session.scalar(select(func.count()).select_from(Submission)) or 0,
            db.session.scalar(select(func.count()).select_from(Grading)) or 0,
        )
        db.session.remove()
        return result


# One Redis database for the tests, and a queue name unique to this pytest process, so concurrent runs
# (other checkouts, xdist workers) never take or flush each other's jobs.
BROKER_URL = f"{REDIS_URL}/9"
QUEUE = f"grading-test-{uuid.uuid4().hex[:12]}"


def purge_queue(url: str = BROKER_URL, queue: str = QUEUE) -> None:
    """Delete this run's queue and any of its messages a killed worker left unacknowledged."""
    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        for tag, raw in client.hscan_iter("unacked"):
            try:
                exchange, routing_key = json.loads(raw)[1:3]
            except (ValueError, TypeError):
                continue
            if queue in (exchange, routing_key):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


@dataclass
class Worker:
    """One ``celery -A quizapp.tasks worker`` process group and its log."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        """Everything the worker has logged so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and every process it started, at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> None:
        """Ask for a warm shutdown (finish the current jobs)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Warm shutdown, then make sure nothing of the worker is left."""
        self.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        self.kill()


def launch_worker(name: str, database_url: str, log_dir: Path, concurrency: int = 2) -> Worker:
    """Start the contract's worker command with only the code, DATABASE_URL and CELERY_BROKER_URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "GRADER_BACKEND")
    }
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=BROKER_URL,
        CELERY_QUEUE=QUEUE,
        SECRET_KEY=TEST_SECRET,
        # Short deadlines so the tests see lost jobs recovered within seconds.
        GRADING_STALE_AFTER=str(STALE_AFTER),
        GRADING_SWEEP_INTERVAL="1",
    )
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "quizapp.tasks", "worker", "-n", f"{name}@%h", "-c", str(concurrency),
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return Worker(name, process, log)


def wait_ready(workers: list[Worker], timeout: float = 60.0) -> None:
    """Wait until every worker has connected and says it is ready."""
    deadline = time.monotonic() + timeout
    for worker in workers:
        while " ready." not in worker.log_text():
            if worker.process.poll() is not None or time.monotonic() > deadline:
                stop_workers(workers)
                raise RuntimeError(f"celery worker {worker.name} did not start:\n{worker.log_text()[-3000:]}")
            time.sleep(0.1)


def stop_workers(workers: list[Worker]) -> None:
    """Stop several workers side by side."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.stop()


def start_workers(count: int, database_url: str, log_dir: Path) -> list[Worker]:
    """Start ``count`` workers side by side and wait for all of them."""
    workers = [launch_worker(f"w{number}", database_url, log_dir) for number in range(count)]
    wait_ready(workers)
    return workers
