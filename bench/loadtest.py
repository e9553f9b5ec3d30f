"""Load test: simulated students against a real gunicorn on loopback (embedded default: SQLite + local pool).

    .venv/bin/python bench/loadtest.py                      # 100 students, 60 s, 20 submissions/s
    .venv/bin/python bench/loadtest.py --students 50 --duration 30 --rate 10 --json bench/results/run.json
    .venv/bin/python bench/loadtest.py --sweep 10,20,30,40 --repeat 3 --duration 30   # find the knee
    .venv/bin/python bench/loadtest.py --sweep 10,20,30 --backend celery              # PostgreSQL + Celery

Each student logs in (before the clock starts), then for the duration browses pages (course home, exercise
page, quiz page), takes the week-1 quiz through the API (start, save, submit; at most twice) and submits code
on a fixed schedule so that the whole class sends ``--rate`` submissions per second: a mix of correct, buggy
and hostile code (exit tricks, file snooping, output floods, memory bombs, exceptions, fake verdicts and a
few busy loops). A submission waits for its verdict as the page and the CLI do: the POST itself waits
(``?wait=5``: 201 with the verdict), and long polls (``GET /api/v1/submissions/{id}?wait=25``) follow
only when it answered first (202); ``--no-post-wait`` submits without waiting and long-polls (the clients
before the POST could wait).

Reported: requests/s; p50/p95/p99 for page loads, quiz submits, submission POSTs and submit-to-verdict
(seen by the client, and ``finished_at - queued_at`` in the database); every error by status; and, from
the database afterwards, lost submissions (accepted but absent), stuck ones (not graded 30 s after the
end) and duplicated results (more than one automatic grading); status requests per graded submission; CPU
seconds used by the server's processes (gunicorn, pools, sandboxes, Celery workers) and by the generator;
and how busy the whole machine was.

``--sweep`` runs each rate in turn (``--repeat`` times, each on fresh services and a fresh database), prints
one row per rate with the median and range over the repeats, and names the capacity figure: the highest
rate whose client-side submit-to-verdict p95 stays under 1 s in every repeat with 0 5xx and 0 lost. The
grader-alone throughput (``python -m graders bench``'s sandboxed row) is measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import random
import re
import resource
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import cpu_roles  # noqa: E402  (this script's folder comes first on sys.path)
import keepalive  # noqa: E402

BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
PASSWORD = "load-test-password"
QUIZ = "rnn-week1"
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# After a submission, wait for the verdict with long polls, as the page and the CLI do.
LONG_POLL_S = 25.0
SUBMIT_WAIT_S = 5.0  # as the page and the CLI ask of the submission request
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
        # One kept-alive connection with its cookies, like a browser tab (and far cheaper than requests).
        self.session = keepalive.Client(base)
        self.exceptions: Counter[str] = Counter()
        self.api = {"Authorization": f"Bearer {token}"}
        self.samples: list[tuple[str, float, int, float]] = []  # category, seconds, status, started at
        self.submissions: list[dict[str, Any]] = []
        self.quiz_attempts = 0

    def call(self, category: str, method: str, path: str, **kwargs: Any) -> keepalive.Response | None:
        started, at = time.perf_counter(), time.time()
        kwargs.setdefault("timeout", 30)
        try:
            response = self.session.request(method, path, **kwargs)
        except keepalive.ERRORS as exc:
            self.samples.append((category, time.perf_counter() - started, 0, at))
            self.exceptions[f"{category}: {type(exc).__name__}"] += 1
            return None
        self.samples.append((category, time.perf_counter() - started, response.status_code, at))
        return response

    def login(self) -> None:
        page = self.session.get("/login", timeout=60).text
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        form = {"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)}
        response = self.session.post("/login", timeout=60, data=form)
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
        path = f"/api/v1/exercises/{exercise}/submissions"
        if self.args["post_wait"]:
            path += f"?wait={SUBMIT_WAIT_S:g}"
        response = self.call("submission POST", "POST", path, headers=self.api, json={"code": code},
                             timeout=SUBMIT_WAIT_S + 30)
        record: dict[str, Any] = {"kind": kind, "exercise": exercise, "at": time.time(),
                                  "status": response.status_code if response is not None else 0}
        self.submissions.append(record)
        if response is None or response.status_code not in (201, 202):
            return
        record["id"] = response.json()["id"]
        if response.status_code == 201:  # the POST waited for the verdict, as the page and the CLI ask it to
            record["latency"] = time.perf_counter() - started
            record["verdict"] = response.json()["verdict"]["status"]
            return
        deadline = started + VERDICT_TIMEOUT_S
        while time.perf_counter() < deadline:
            asked = time.perf_counter()
            wait = max(0.0, min(LONG_POLL_S, deadline - asked))
            polled = self.call("status", "GET", f"/api/v1/submissions/{record['id']}?wait={wait:.1f}",
                               headers=self.api, timeout=wait + 30)
            if polled is not None and polled.status_code == 200 and polled.json()["status"] == "graded":
                record["latency"] = time.perf_counter() - started
                record["verdict"] = polled.json()["verdict"]["status"]
                return
            if time.perf_counter() - asked < 1.0:  # answered early: the server had its fill of waiters
                time.sleep(1.0)

    def run(self, start_at: float, end_at: float) -> None:
        period = self.args["students"] / self.args["rate"]
        next_submit = start_at + (self.number % self.args["students"]) * period / self.args["students"]
        # Students arrive over the first two seconds rather than all in the same millisecond, then browse
        # every one to three seconds between their scheduled submissions.
        next_browse = start_at + self.rng.uniform(0.0, 2.0)
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < end_at:
            now = time.time()
            if now >= next_submit:
                self.submit_code()
                next_submit += period
                continue
            if now >= next_browse:
                if self.quiz_attempts < 2 and self.rng.random() < 0.08:
                    self.take_quiz()
                else:
                    self.browse()
                next_browse = time.time() + self.rng.uniform(1.0, 3.0)
            time.sleep(max(0.0, min(next_browse, next_submit, end_at) - time.time()))


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def client_process(students: list[tuple[int, str, str]], base: str, args: dict[str, Any], out: Any) -> None:
    """Log a slice of the class in, say so, then run it in threads from the start time the parent sends
    back, and send the results (with this process's CPU time)."""
    mix = code_mix()
    class_ = [Student(number, email, token, base, args, mix) for number, email, token in students]
    login_threads = [threading.Thread(target=s.login) for s in class_]
    for thread in login_threads:
        thread.start()
    for thread in login_threads:
        thread.join()
    out.send("logged in")
    start_at, end_at, args["measured_from"] = out.recv()
    threads = [threading.Thread(target=s.run, args=(start_at, end_at)) for s in class_]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, args["measured_from"] - time.time()))
    cpu_before = _own_cpu_s()  # from the end of the warm-up, like the server's
    for thread in threads:
        thread.join()
    out.send({"samples": [x for s in class_ for x in s.samples],
              "submissions": [x for s in class_ for x in s.submissions],
              "exceptions": dict(sum((s.exceptions for s in class_), Counter())),
              "cpu_s": _own_cpu_s() - cpu_before})
    out.close()


def server_cpu_s(session_ids: set[int]) -> float:
    """CPU seconds used so far by every live process in these sessions or descended from one (the sandbox
    zygotes start sessions of their own), and by the children they reaped (the sandboxed jobs)."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = cpu_roles.server_processes(session_ids)
    return sum(sum(int(v) for v in fields[11:15]) for fields in processes.values()) / tick  # utime .. cstime


def machine_busy_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat (idle and iowait idle)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal
    return (total - fields[3] - fields[4]) / tick, total / tick


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


def database_checks(
    database_url: str, accepted: list[int], settle_s: float, window: tuple[float, float]
) -> dict[str, Any]:
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
        gradings: dict[int, int] = {int(row[0]): int(row[1]) for row in conn.execute(text(
            "SELECT submission_id, count(*) FROM gradings WHERE kind = 'auto' GROUP BY submission_id"))}
    engine.dispose()
    stored = {row[0] for row in rows}

    def seconds(value: Any) -> float:
        from datetime import datetime

        return datetime.fromisoformat(str(value)).timestamp()

    server = [seconds(row[3]) - seconds(row[2]) for row in rows
              if row[3] is not None and seconds(row[2]) >= window[0]]
    in_window = [row for row in rows if row[3] is not None and window[0] <= seconds(row[3]) <= window[1]]
    return {
        "accepted": len(accepted),
        "lost": sorted(set(accepted) - stored),
        "stuck": sorted(row[0] for row in rows if row[1] != "graded"),
        "duplicated": sorted(sid for sid, n in gradings.items() if n > 1),
        "server_submit_to_verdict": percentiles(server),
        "graded_in_window_per_s": round(len(in_window) / (window[1] - window[0]), 1),
    }


def wait_up(base: str, what: str) -> None:
    """Wait until the server at ``base`` serves its login page (SystemExit after about a minute)."""
    for _ in range(300):
        try:
            if requests.get(base + "/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start")


def _new_postgres_database() -> str:
    import psycopg

    name = f"quizapp_load_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]


def start_services(options: argparse.Namespace, database_url: str, workdir: Path) -> tuple[str, list[Any]]:
    """Start gunicorn (and, for Celery, the workers); returns the base URL and the process list."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The whole class logs in from this one address: lift the per-client login limit (not the per-account
    # submission limit, which the schedule keeps every student under).
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "GRADER_BACKEND": options.backend, "LOGIN_RATE_LIMIT": "100000/minute"}
    processes = []
    if options.backend == "celery":
        queue = f"grading-load-{secrets.token_hex(4)}"
        env.update(CELERY_BROKER_URL=options.broker, CELERY_QUEUE=queue)
        for number in range(options.celery_workers):
            log = (workdir / f"celery{number}.log").open("wb")
            processes.append(subprocess.Popen(
                [str(BIN / "celery"), "-A", "quizapp.tasks", "worker", "-n", f"load{number}@%h",
                 "-c", str(options.celery_concurrency), "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-l", "WARNING"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    if options.backend == "local" and options.grader_processes:
        # Grading in processes of its own (their own interpreter locks) beside gunicorn, which runs no pool.
        env.update(GRADING_POOL_IN_APP="0", GRADING_POLL_INTERVAL=str(options.grader_poll))
        for number in range(options.grader_processes):
            log = (workdir / f"grader{number}.log").open("wb")
            processes.append(subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "grader", "run"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    log = (workdir / "gunicorn.log").open("wb")
    processes.append(subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(options.gunicorn_workers),
         "--threads", str(options.gunicorn_threads), "--keep-alive", "30", "--bind", f"127.0.0.1:{port}",
         *(["--reuse-port"] if options.reuse_port else []),
         *(["--config", "deploy/gunicorn_pinning.py"] if options.pin_workers else []), "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    wait_up(base, "gunicorn")
    return base, processes


def stop_services(processes: list[Any]) -> None:
    """Stop gunicorn and any Celery workers, with every process they started."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def run_point(options: argparse.Namespace, rate: float) -> dict[str, Any]:
    """One load-test run at ``rate`` submissions/s on fresh services and a fresh database."""
    # Each student stays under the per-account limit of 20 submissions a minute.
    students = max(options.students, math.ceil(rate * 60 / 15))
    args = {**vars(options), "rate": rate, "students": students}
    load_before = [round(x, 2) for x in os.getloadavg()]
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    if options.backend == "celery" or options.engine == "postgresql":
        database_url = _new_postgres_database()
    else:
        database_url = f"sqlite:///{workdir / 'load.sqlite'}"
    print(f"[{rate:g}/s] preparing {students} students in {workdir} ...", file=sys.stderr)
    roster = prepare(database_url, students)
    base, processes = start_services(options, database_url, workdir)
    sessions = {process.pid for process in processes}
    try:
        context = multiprocessing.get_context("spawn")
        pipes, procs = [], []
        for index in range(options.processes):
            ours, theirs = context.Pipe()
            chunk = roster[index :: options.processes]
            proc = context.Process(target=client_process, args=(chunk, base, args, theirs))
            proc.start()
            pipes.append(ours)
            procs.append(proc)
        # Every student logs in first (a password hash each: seconds of CPU for a large class), and the
        # clock starts only then. The class starts at begin_at; what it does before start_at warms the server
        # (first template renders, caches, sandboxes) and is not measured. Nothing submitted is left out of
        # the loss check.
        for pipe in pipes:
            pipe.recv()
        begin_at = time.time() + 1
        start_at = args["measured_from"] = begin_at + options.warmup
        end_at = start_at + options.duration
        for pipe in pipes:
            pipe.send((begin_at, end_at, start_at))
        time.sleep(max(0.0, start_at - 1.5 - time.time()))
        names = cpu_roles.name_threads(sessions, {})  # before the window, so its CPU is not in it
        time.sleep(max(0.0, start_at - time.time()))
        server_cpu_before, machine_before = server_cpu_s(sessions), machine_busy_s()
        roles_before = cpu_roles.snapshot(sessions)
        print(f"[{rate:g}/s] measuring for {options.duration:g} s ...", file=sys.stderr, flush=True)
        time.sleep(max(0.0, end_at - time.time()))
        server_cpu = server_cpu_s(sessions) - server_cpu_before
        machine_after = machine_busy_s()
        roles_after = cpu_roles.snapshot(sessions)
        # Threads started during the window are named after it (gunicorn starts request threads as needed).
        roles = cpu_roles.by_role(roles_before, roles_after, cpu_roles.name_threads(sessions, names))
        busy_s, span_s = (after - before for after, before in zip(machine_after, machine_before, strict=True))
        machine_busy = busy_s / max(1e-9, span_s)
        print(f"[{rate:g}/s] ran {options.duration:g} s, collecting ...", file=sys.stderr)
        results = [pipe.recv() for pipe in pipes]
        for proc in procs:
            proc.join()
        every_submission = [x for r in results for x in r["submissions"]]
        accepted = [s["id"] for s in every_submission if "id" in s]
        samples = [tuple(x) for r in results for x in r["samples"] if x[3] >= start_at]
        submissions = [x for x in every_submission if x["at"] >= start_at]
        checks = database_checks(database_url, accepted, settle_s=30.0, window=(start_at, end_at))
    finally:
        stop_services(processes)
        if database_url.startswith("postgresql"):
            _drop_postgres_database(database_url)

    if options.raw:
        options.raw.write_text(json.dumps({"window": [start_at, end_at], "requests": samples,
                                           "submissions": submissions}) + "\n", encoding="utf-8")
    by_category: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for category, latency, status, _at in samples:
        statuses[category][status] += 1
        if 200 <= status < 400:
            by_category[category].append(latency)
    graded = [s for s in submissions if "latency" in s]
    unexpected = [s for s in graded
                  if (s["kind"] == "correct" and s["verdict"] != "passed")
                  or (s["kind"] != "correct" and s["verdict"] == "passed")]
    return {
        "config": {k: v for k, v in args.items() if k not in ("json", "sweep", "raw", "measured_from")},
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before,
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "requests": len(samples),
        "requests_per_s": round(len(samples) / options.duration, 1),
        "submissions_per_s": round(len(submissions) / options.duration, 1),
        "server_errors_5xx": sum(n for c in statuses.values() for s, n in c.items() if s >= 500),
        "connection_errors": sum(c[0] for c in statuses.values()),
        "connection_error_kinds": dict(sum((Counter(r["exceptions"]) for r in results), Counter())),
        "statuses": {category: dict(counter) for category, counter in statuses.items()},
        "latency_ms": {category: percentiles(values) for category, values in by_category.items()},
        "submit_to_verdict_ms": {
            "all": percentiles([s["latency"] for s in graded]),
            "without_timeouts": percentiles([s["latency"] for s in graded if s["verdict"] != "timeout"]),
        },
        "status_requests_per_graded": round(sum(statuses["status"].values()) / max(1, len(graded)), 2),
        "cpu_s": {"server": round(server_cpu, 1), "generator": round(sum(r["cpu_s"] for r in results), 1)},
        "server_cpu_s_by_role": roles,
        "machine_busy_pct": round(100 * machine_busy, 1),
        "submission_kinds": dict(Counter(s["kind"] for s in submissions)),
        "verdicts": dict(Counter(s["verdict"] for s in graded)),
        "unexpected_verdicts": len(unexpected),
        "not_seen_graded_by_client": len(accepted) - len(graded),
        **checks,
    }


def healthy(report: dict[str, Any]) -> bool:
    """Nothing lost, stuck or duplicated, no 5xx and no connection errors."""
    return (not report["lost"] and not report["stuck"] and not report["duplicated"]
            and report["server_errors_5xx"] == 0 and report["connection_errors"] == 0)


def grader_alone() -> dict[str, Any]:
    """The sandbox's own throughput on this machine now (``python -m graders bench``'s sandboxed row)."""
    code = ("import json; from graders.bench import default_workers, measure; "
            "print(json.dumps(measure('rnn_cell_forward', 300, 5, default_workers())['sandboxed']))")
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return dict(json.loads(output.stdout.strip().splitlines()[-1]))


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def _pick(runs: list[dict[str, Any]], key: str, *path: str) -> list[float]:
    """The numbers at ``key/path...`` in each run's report (missing ones left out)."""
    out = []
    for run in runs:
        value: Any = run[key]
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, int | float):
            out.append(float(value))
    return out


def print_sweep(points: dict[float, list[dict[str, Any]]], grader: dict[str, Any], options: Any) -> float:
    """Print one row per rate (median and range over repeats); return the capacity figure."""
    print(f"\nbackend {options.backend}, gunicorn {options.gunicorn_workers} x {options.gunicorn_threads}, "
          f"{options.duration:g} s per point, {options.repeat} repeat(s); median (min-max)")
    head = (f"{'offered/s':>9} {'sustained/s':>13} {'db p50 ms':>14} {'db p95 ms':>16} {'db p99 ms':>16} "
            f"{'client p95 ms':>16} {'page p95 ms':>14} {'server CPU %':>13} {'gen CPU %':>10} "
            f"{'busy %':>10} "
            f"{'status/sub':>10} {'5xx':>4} {'lost':>4}")
    print(head)
    capacity = 0.0
    for rate, runs in sorted(points.items()):
        cpu = [100 * r["cpu_s"]["server"] / options.duration / (os.cpu_count() or 1) for r in runs]
        gen = [100 * r["cpu_s"]["generator"] / options.duration / (os.cpu_count() or 1) for r in runs]
        client_p95 = _pick(runs, "submit_to_verdict_ms", "without_timeouts", "p95")
        print(f"{rate:>9g} {_spread([r['graded_in_window_per_s'] for r in runs]):>13} "
              f"{_spread(_pick(runs, 'server_submit_to_verdict', 'p50')):>14} "
              f"{_spread(_pick(runs, 'server_submit_to_verdict', 'p95')):>16} "
              f"{_spread(_pick(runs, 'server_submit_to_verdict', 'p99')):>16} {_spread(client_p95):>16} "
              f"{_spread(_pick(runs, 'latency_ms', 'page load', 'p95')):>14} "
              f"{_spread(cpu):>13} {_spread(gen):>10} {_spread([r['machine_busy_pct'] for r in runs]):>10} "
              f"{_spread([r['status_requests_per_graded'] for r in runs]):>10} "
              f"{sum(r['server_errors_5xx'] for r in runs):>4} {sum(len(r['lost']) for r in runs):>4}")
        every_run_fast = len(client_p95) == len(runs) and max(client_p95, default=math.inf) < 1000
        if every_run_fast and all(healthy(r) for r in runs):
            capacity = max(capacity, rate)
    print_roles(points, options)
    print(f"\ncapacity: {capacity:g} submissions/s with submit-to-verdict p95 under 1 s in every repeat "
          f"(client side, timeouts excluded), 0 5xx, 0 lost")
    print(f"grader alone, same run: {grader['per_s']:.0f} gradings/s, p50 {grader['p50_ms']:.1f} ms")
    return capacity


def print_roles(points: dict[float, list[dict[str, Any]]], options: Any) -> None:
    """Print the server's CPU per graded submission by role (bench/cpu_roles.py), median over repeats."""
    roles = sorted({role for runs in points.values() for r in runs
                    for role in r.get("server_cpu_s_by_role", {})})
    if not roles:
        return
    print("\nserver CPU ms per graded submission, by role; median (min-max)")
    print(f"{'offered/s':>9} " + " ".join(f"{role:>16}" for role in roles))
    for rate, runs in sorted(points.items()):
        cells = []
        for role in roles:
            per = [1000 * r["server_cpu_s_by_role"].get(role, 0.0)
                   / max(1.0, r["graded_in_window_per_s"] * options.duration) for r in runs]
            cells.append(f"{_spread(per):>16}")
        print(f"{rate:>9g} " + " ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100,
                        help="at least this many; more at high rates, so each sends at most 15 a minute")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="seconds the class works before the measurement starts (not counted)")
    parser.add_argument("--rate", type=float, default=20.0, help="code submissions per second, whole class")
    parser.add_argument("--sweep", help="comma-separated rates to run in turn, e.g. 10,20,30,40")
    parser.add_argument("--repeat", type=int, default=1, help="runs per rate (with --sweep)")
    parser.add_argument("--processes", type=int, default=4, help="client processes running the students")
    parser.add_argument("--backend", choices=["local", "celery"], default="local",
                        help="local: SQLite, in-process pools (make run); celery: PostgreSQL, Celery workers")
    parser.add_argument("--celery-workers", type=int, default=2)
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite",
                        help="the local backend's database (Celery always uses PostgreSQL)")
    parser.add_argument("--grader-processes", type=int, default=0, metavar="N",
                        help="local backend: grade in N `flask grader run` processes beside gunicorn")
    parser.add_argument("--grader-poll", type=float, default=0.02,
                        help="with --grader-processes: seconds between their looks for queued work")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="as `make run`")
    parser.add_argument("--gunicorn-threads", type=int, default=32, help="as `make run`")
    parser.add_argument("--no-pin-workers", dest="pin_workers", action="store_false",
                        help="let gunicorn's workers move between cores (`make run` pins each to one)")
    parser.add_argument("--no-reuse-port", dest="reuse_port", action="store_false",
                        help="one listening socket shared by the workers (as before --reuse-port)")
    parser.add_argument("--no-post-wait", dest="post_wait", action="store_false",
                        help="submit without ?wait and long-poll the status (the clients before POST ?wait)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--raw", type=Path, help="write every request and submission of a --rate run here")
    options = parser.parse_args()

    if not options.sweep:
        report = run_point(options, options.rate)
        print(json.dumps(report, indent=2))
        if options.json:
            options.json.parent.mkdir(parents=True, exist_ok=True)
            options.json.write_text(json.dumps(report, indent=2))
        return 0 if healthy(report) else 1

    rates = [float(r) for r in options.sweep.split(",")]
    grader = grader_alone()
    points: dict[float, list[dict[str, Any]]] = defaultdict(list)
    for _ in range(options.repeat):
        for rate in rates:
            points[rate].append(run_point(options, rate))
    print_sweep(points, grader, options)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({"grader_alone": grader, "points": points}, indent=2))
    return 0 if all(healthy(r) for runs in points.values() for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
