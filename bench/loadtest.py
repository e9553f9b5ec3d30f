"""Load test: simulated students against a real gunicorn on loopback (embedded default: SQLite + local pool).

    .venv/bin/python bench/loadtest.py                      # 100 students, 60 s, 20 submissions/s
    .venv/bin/python bench/loadtest.py --students 50 --duration 30 --rate 10 --json bench/results/run.json

Each student logs in (before the clock starts), then for the duration browses pages (course home, exercise
page, quiz page), takes the week-1 quiz through the API (start, save, submit; at most twice) and submits code
on a fixed schedule so that the whole class sends ``--rate`` submissions per second: a mix of correct, buggy
and hostile code (exit tricks, file snooping, output floods, memory bombs, exceptions, fake verdicts and a
few busy loops). After a submission it polls ``GET /api/v1/submissions/{id}`` until the verdict arrives
(every 100 ms for a second, then backing off).

Reported: requests/s; p50/p95/p99 for page loads, quiz submits, submission POSTs and submit-to-verdict
(seen by the client, and ``finished_at - queued_at`` in the database); every error by status; and, from
the database afterwards, lost submissions (accepted but absent), stuck ones (not graded 30 s after the
end) and duplicated results (more than one automatic grading).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
PASSWORD = "load-test-password"
QUIZ = "rnn-week1"
# Poll every 100 ms for the first second, then back off (x1.5, at most 1 s), as a patient student would.
POLL_S, POLL_FAST_FOR_S, POLL_MAX_S = 0.1, 1.0, 1.0
VERDICT_TIMEOUT_S = 30.0
EXIT_IN_FUNCTION = "    __import__('os')._exit(0)\n    cache = ("
FAKE_VERDICT = 'print(\'{"status": "passed", "score": 10}\')\nprint("x" * 5_000_000)\n'


def _solution(slug: str) -> str:
    return (ROOT / "exercises" / slug / "solution.py").read_text(encoding="utf-8")


def code_mix() -> list[tuple[str, str, str, float]]:
    """(kind, exercise, code, weight): correct ~55%, buggy ~30%, hostile ~15% (busy loops ~1%)."""
    rnn, lstm = _solution("rnn_cell_forward"), _solution("lstm_cell_forward")
    lstm_head = lstm.split("def lstm_cell_forward", 1)[0]
    return [
        ("correct", "rnn_cell_forward", rnn, 30),
        ("correct", "lstm_cell_forward", lstm, 25),
        ("buggy", "rnn_cell_forward", rnn.replace("np.tanh(", "sigmoid(", 1), 15),
        ("buggy", "lstm_cell_forward", lstm.replace("ot * np.tanh(c_next)", "ot * c_next"), 15),
        ("hostile", "rnn_cell_forward", "import sys\nsys.exit(0)\n", 2),
        ("hostile", "rnn_cell_forward", rnn.replace("    cache = (", EXIT_IN_FUNCTION), 2),
        ("hostile", "lstm_cell_forward", "print(open('/etc/shadow').read())\n" + lstm, 2),
        ("hostile", "lstm_cell_forward", FAKE_VERDICT + lstm_head + "def lstm_cell_forward(*a): pass\n", 2),
        ("hostile", "rnn_cell_forward", "blob = bytearray(8 * 1024 ** 3)\n" + rnn, 2),
        ("hostile", "rnn_cell_forward", "raise BaseException('boom')\n", 2),
        ("hostile", "lstm_cell_forward", "def lstm_cell_forward(:\n    pass\n", 2),
        ("hostile", "rnn_cell_forward", "def rnn_cell_forward(*a):\n    while True:\n        pass\n", 1),
    ]


def percentiles(values: list[float]) -> dict[str, float | int | None]:
    """Count, p50, p95, p99 and max in milliseconds."""
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)
    if len(ordered) == 1:
        cuts = [ordered[0]] * 99
    else:
        cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"n": len(ordered), "p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1),
            "p99": round(cuts[98] * 1000, 1), "max": round(ordered[-1] * 1000, 1)}


class Student:
    """One simulated student, run in a thread of a client process."""

    def __init__(self, number: int, email: str, token: str, base: str, args: dict[str, Any], mix: list[Any]):
        self.number = number
        self.email = email
        self.token = token
        self.base = base
        self.args = args
        self.mix = mix
        self.rng = random.Random(number)
        self.session = requests.Session()
        # Like a browser, retry a GET once when the server has just closed an idle keep-alive connection.
        retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods=frozenset({"GET"}))
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.exceptions: Counter[str] = Counter()
        self.api = {"Authorization": f"Bearer {token}"}
        self.samples: list[tuple[str, float, int]] = []
        self.submissions: list[dict[str, Any]] = []
        self.quiz_attempts = 0

    def call(self, category: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            self.samples.append((category, time.perf_counter() - started, 0))
            self.exceptions[f"{category}: {type(exc).__name__}"] += 1
            return None
        self.samples.append((category, time.perf_counter() - started, response.status_code))
        return response

    def login(self) -> None:
        page = self.session.get(self.base + "/login", timeout=60).text
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        form = {"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)}
        response = self.session.post(self.base + "/login", timeout=60, allow_redirects=False, data=form)
        assert response.status_code in (302, 303), f"login failed: {response.status_code}"

    def browse(self) -> None:
        path = self.rng.choice(["/", "/exercises/rnn_cell_forward", "/exercises/lstm_cell_forward",
                                f"/quizzes/{QUIZ}"])
        self.call("page load", "GET", path)

    def take_quiz(self) -> None:
        self.quiz_attempts += 1
        started = self.call("quiz api", "POST", f"/api/v1/quizzes/{QUIZ}/attempts", headers=self.api)
        if started is None or started.status_code != 201:
            return
        attempt = started.json()
        answers = {q["id"]: [self.rng.choice(q["options"])["id"]] for q in attempt["questions"]}
        half = dict(list(answers.items())[: len(answers) // 2])
        self.call("quiz api", "PUT", f"/api/v1/attempts/{attempt['id']}/answers", headers=self.api,
                  json={"answers": half})
        time.sleep(self.rng.uniform(0.5, 2.0))
        self.call("quiz submit", "POST", f"/api/v1/attempts/{attempt['id']}/submit", headers=self.api,
                  json={"answers": answers})

    def submit_code(self) -> None:
        kind, exercise, code, _ = self.rng.choices(self.mix, weights=[m[3] for m in self.mix])[0]
        started = time.perf_counter()
        response = self.call("submission POST", "POST", f"/api/v1/exercises/{exercise}/submissions",
                             headers=self.api, json={"code": code})
        record: dict[str, Any] = {"kind": kind, "exercise": exercise,
                                  "status": response.status_code if response is not None else 0}
        self.submissions.append(record)
        if response is None or response.status_code != 202:
            return
        record["id"] = response.json()["id"]
        deadline = started + VERDICT_TIMEOUT_S
        delay = POLL_S
        while time.perf_counter() < deadline:
            time.sleep(delay)
            if time.perf_counter() - started > POLL_FAST_FOR_S:
                delay = min(delay * 1.5, POLL_MAX_S)
            polled = self.call("poll", "GET", f"/api/v1/submissions/{record['id']}", headers=self.api)
            if polled is not None and polled.status_code == 200 and polled.json()["status"] == "graded":
                record["latency"] = time.perf_counter() - started
                record["verdict"] = polled.json()["verdict"]["status"]
                return

    def run(self, start_at: float, end_at: float) -> None:
        period = self.args["students"] / self.args["rate"]
        next_submit = start_at + (self.number % self.args["students"]) * period / self.args["students"]
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < end_at:
            now = time.time()
            if now >= next_submit:
                self.submit_code()
                next_submit += period
                continue
            if self.quiz_attempts < 2 and self.rng.random() < 0.08:
                self.take_quiz()
            else:
                self.browse()
            pause = min(self.rng.uniform(1.0, 3.0), max(0.0, next_submit - time.time()))
            time.sleep(max(0.0, min(pause, end_at - time.time())))


def client_process(students: list[tuple[int, str, str]], base: str, args: dict[str, Any],
                   start_at: float, end_at: float, out: Any) -> None:
    """Run a slice of the class in threads and send the results back."""
    mix = code_mix()
    class_ = [Student(number, email, token, base, args, mix) for number, email, token in students]
    login_threads = [threading.Thread(target=s.login) for s in class_]
    for thread in login_threads:
        thread.start()
    for thread in login_threads:
        thread.join()
    threads = [threading.Thread(target=s.run, args=(start_at, end_at)) for s in class_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.send({"samples": [x for s in class_ for x in s.samples],
              "submissions": [x for s in class_ for x in s.submissions],
              "exceptions": dict(sum((s.exceptions for s in class_), Counter()))})
    out.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(database_url: str, students: int) -> list[tuple[int, str, str]]:
    """Migrate the database and create the class, each with an API token."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load", "GRADER_BACKEND": "local"}
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import accounts

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "load"})
    shared_hash = accounts._hasher.hash(PASSWORD)
    roster = []
    with app.app_context():
        for number in range(students):
            user = User(email=f"student{number:03d}@example.com", password_hash=shared_hash, role="student")
            db.session.add(user)
        db.session.commit()
        for user in db.session.scalars(db.select(User).order_by(User.id)):
            roster.append((user.id - 1, user.email, accounts.issue_token(user, 1)))
        db.engine.dispose()
    return roster


def database_checks(database_url: str, accepted: list[int], settle_s: float) -> dict[str, Any]:
    """Lost, stuck and duplicated submissions, and server-side submit-to-verdict times."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    deadline = time.time() + settle_s
    with engine.connect() as conn:
        while time.time() < deadline:
            pending = conn.execute(text("SELECT count(*) FROM submissions WHERE status != 'graded'")).scalar()
            if not pending:
                break
            time.sleep(0.5)
        rows = conn.execute(text("SELECT id, status, queued_at, finished_at FROM submissions")).all()
        gradings = dict(conn.execute(text(
            "SELECT submission_id, count(*) FROM gradings WHERE kind = 'auto' GROUP BY submission_id")).all())
    engine.dispose()
    stored = {row[0] for row in rows}

    def seconds(value: Any) -> float:
        from datetime import datetime

        return datetime.fromisoformat(str(value)).timestamp()

    server = [seconds(row[3]) - seconds(row[2]) for row in rows if row[3] is not None]
    return {
        "accepted": len(accepted),
        "lost": sorted(set(accepted) - stored),
        "stuck": sorted(row[0] for row in rows if row[1] != "graded"),
        "duplicated": sorted(sid for sid, n in gradings.items() if n > 1),
        "server_submit_to_verdict": percentiles(server),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20.0, help="code submissions per second, whole class")
    parser.add_argument("--processes", type=int, default=4, help="client processes running the students")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="as `make run`")
    parser.add_argument("--gunicorn-threads", type=int, default=4, help="as `make run`")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    load_before = [round(x, 2) for x in os.getloadavg()]
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    database_url = f"sqlite:///{workdir / 'load.sqlite'}"
    print(f"Preparing {args.students} students in {workdir} ...", file=sys.stderr)
    roster = prepare(database_url, args.students)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "GRADER_BACKEND": "local"}
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(args.gunicorn_workers),
         "--threads", str(args.gunicorn_threads), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start; see " + str(workdir / "gunicorn.log"))

        context = multiprocessing.get_context("spawn")
        start_at = time.time() + 5 + args.students * 0.03
        end_at = start_at + args.duration
        pipes, procs = [], []
        for index in range(args.processes):
            receiver, sender = context.Pipe(duplex=False)
            chunk = roster[index :: args.processes]
            proc = context.Process(target=client_process,
                                   args=(chunk, base, vars(args), start_at, end_at, sender))
            proc.start()
            pipes.append(receiver)
            procs.append(proc)
        print(f"Logging in, then running for {args.duration:g} s ...", file=sys.stderr)
        results = [pipe.recv() for pipe in pipes]
        for proc in procs:
            proc.join()
        samples = [tuple(x) for r in results for x in r["samples"]]
        submissions = [x for r in results for x in r["submissions"]]
        accepted = [s["id"] for s in submissions if "id" in s]
        checks = database_checks(database_url, accepted, settle_s=30.0)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()

    by_category: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for category, latency, status in samples:
        statuses[category][status] += 1
        if 200 <= status < 400:
            by_category[category].append(latency)
    graded = [s for s in submissions if "latency" in s]
    kinds = Counter(s["kind"] for s in submissions)
    unexpected = [s for s in graded
                  if (s["kind"] == "correct" and s["verdict"] != "passed")
                  or (s["kind"] != "correct" and s["verdict"] == "passed")]
    report = {
        "config": {k: v for k, v in vars(args).items() if k != "json"},
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before,
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "requests": len(samples),
        "requests_per_s": round(len(samples) / args.duration, 1),
        "submissions_per_s": round(len(submissions) / args.duration, 1),
        "server_errors_5xx": sum(n for c in statuses.values() for s, n in c.items() if s >= 500),
        "connection_errors": sum(c[0] for c in statuses.values()),
        "connection_error_kinds": dict(sum((Counter(r["exceptions"]) for r in results), Counter())),
        "statuses": {category: dict(counter) for category, counter in statuses.items()},
        "latency_ms": {category: percentiles(values) for category, values in by_category.items()},
        "submit_to_verdict_ms": {
            "all": percentiles([s["latency"] for s in graded]),
            "without_timeouts": percentiles([s["latency"] for s in graded if s["verdict"] != "timeout"]),
        },
        "submission_kinds": dict(kinds),
        "verdicts": dict(Counter(s["verdict"] for s in graded)),
        "unexpected_verdicts": len(unexpected),
        "not_seen_graded_by_client": len(accepted) - len(graded),
        **checks,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    ok = (not checks["lost"] and not checks["stuck"] and not checks["duplicated"]
          and report["server_errors_5xx"] == 0 and report["connection_errors"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
