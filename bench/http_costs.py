"""What one request costs a live gunicorn worker: server CPU milliseconds per request kind, over real HTTP.

bench/request_costs.py measures the app in one process through Flask's test client; the same requests cost
more under gunicorn (docs/pipeline.md). This script starts one gunicorn worker with `make run`'s threads
and keep-alive on a migrated SQLite file, signs a student in through the login form, and sends each
request kind ``--n`` times in a row on one kept-alive connection. The figure is the worker process's CPU
time (user + system, every thread, from /proc) per request, so the client's own work is not in it. The
``test-client`` variant runs the same requests through Flask's test client in this process (this thread's
CPU, the test client's own work included), so that both paths are measured in one run, interleaved.

    .venv/bin/python bench/http_costs.py                         # browser-like requests (Accept-Encoding)
    .venv/bin/python bench/http_costs.py --variants all          # ... beside the test client, uncompressed
                                                                 # and with an access log
    .venv/bin/python bench/http_costs.py --runs 3 --json out.json
    taskset -c 0 .venv/bin/python bench/http_costs.py --variants test-client,identity,pinned

The gunicorn variants leave the worker free to move between cores, except ``pinned``, which uses
`make run`'s hook (deploy/gunicorn_pinning.py: the one worker goes to the second core, so run the
client on the first, as above, to keep the two apart).

The grading pool is off in the worker (``GRADING_POOL_IN_APP=0``): this measures the request path alone.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cpu_roles
import requests
from loadtest import BIN, CSRF, ROOT, free_port, wait_up  # this script's folder comes first on sys.path

PASSWORD = "http-costs-password"
EMAIL = "bench@example.com"
BROWSER_ENCODING = "gzip, deflate, br, zstd"  # what Chromium and Firefox send
VARIANTS: dict[str, dict[str, Any]] = {
    # Flask's test client in this process, as bench/request_costs.py: no HTTP server, no compression.
    "test-client": {"in_process": True},
    "browser": {"encoding": BROWSER_ENCODING},
    "identity": {"encoding": "identity"},
    "browser+access-log": {"encoding": BROWSER_ENCODING, "access_log": True},
    # As `make run`: the worker on a core of its own.
    "pinned": {"encoding": "identity", "pinned": True},
}


def prepare(database_url: str) -> tuple[str, int]:
    """Migrate, create the student, and store one graded submission; returns (API token, submission id)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench", "GRADER_BACKEND": "local"}
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.grading import grading_for, runner
    from quizapp.services import accounts

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "GRADING_WORKERS": 1,
                      "GRADING_POOL_IN_APP": False})
    with app.app_context():
        user = accounts.create_user(EMAIL, PASSWORD)
        db.session.commit()
        token = accounts.issue_token(user, 1)
    code = (ROOT / "exercises" / "rnn_cell_forward" / "solution.py").read_text(encoding="utf-8")
    submitted = app.test_client().post("/api/v1/exercises/rnn_cell_forward/submissions",
                                       headers={"Authorization": f"Bearer {token}"}, json={"code": code})
    assert submitted.status_code == 202, submitted.get_data(as_text=True)
    with app.app_context():
        assert runner.run_next(), "the submission was not queued"
        db.engine.dispose()
    grading_for(app).shutdown()
    return token, int(submitted.get_json()["id"])


def start_gunicorn(database_url: str, variant: dict[str, Any],
                   workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """One worker with `make run`'s threads and keep-alive; returns the master process and the base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "GRADER_BACKEND": "local", "GRADING_POOL_IN_APP": "0", "LOGIN_RATE_LIMIT": "100000/minute"}
    command = [str(BIN / "gunicorn"), "--workers", "1", "--threads", "32", "--keep-alive", "30",
               "--reuse-port", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    if variant.get("access_log"):
        command[1:1] = ["--access-logfile", str(workdir / "access.log")]
    if variant.get("pinned"):
        command[1:1] = ["--config", "deploy/gunicorn_pinning.py"]
    with (workdir / "gunicorn.log").open("wb") as log:
        master = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_up(base, "gunicorn (its log: " + str(workdir / "gunicorn.log") + ")")
    return master, base


def worker_cpu_s(master: int) -> float:
    """CPU seconds used so far by the master's children (the one worker), all threads."""
    processes = cpu_roles.server_processes({master})  # the master leads a session of its own
    ticks = sum(int(f[11]) + int(f[12]) for f in processes.values() if int(f[1]) == master)  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def kinds(session: Any, token: str, submission: int) -> dict[str, Callable[[], None]]:
    """The request kinds, each a call that asserts its answer (``session``: requests' or Flask's client)."""
    api = {"Authorization": f"Bearer {token}"}

    def get(path: str, headers: dict[str, str] | None = None) -> Callable[[], None]:
        def call() -> None:
            response = session.get(path, headers=headers or {})
            assert response.status_code == 200, (path, response.status_code)
        return call

    return {
        "static file (style.css)": get("/static/style.css"),
        "login form": get("/login"),
        "course page": get("/"),
        "exercise page": get("/exercises/rnn_cell_forward"),
        "quiz page": get("/quizzes/rnn-week1"),
        "status (graded)": get(f"/api/v1/submissions/{submission}", api),
        "openapi.json": get("/api/v1/openapi.json"),
    }


class BaseSession(requests.Session):
    """A requests session that sends every path to one base URL."""

    def __init__(self, base: str, encoding: str) -> None:
        super().__init__()
        self.base = base
        self.headers["Accept-Encoding"] = encoding

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + str(url), *args, **kwargs)


def sign_in(session: BaseSession) -> None:
    """Sign in through the form, CSRF token included, as a browser does."""
    page = session.get("/login").text
    match = CSRF.search(page)
    assert match, "no CSRF token on the login form"
    response = session.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": match[1]},
                            allow_redirects=False)
    assert response.status_code in (302, 303), response.status_code


def _timed(calls: dict[str, Callable[[], None]], n: int, cpu_s: Callable[[], float]) -> dict[str, float]:
    figures = {}
    for name, call in calls.items():
        for _ in range(20):  # warm: templates compiled, connections pooled
            call()
        time.sleep(0.2)
        before = cpu_s()
        for _ in range(n):
            call()
        figures[name] = (cpu_s() - before) * 1000 / n
    return figures


def measure_in_process(database_url: str, token: str, submission: int, n: int) -> dict[str, float]:
    """CPU ms per request of each kind through Flask's test client, in this thread."""
    from quizapp import create_app

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "GRADER_BACKEND": "local",
                      "GRADING_POOL_IN_APP": False, "LOGIN_RATE_LIMIT": "100000/minute"})
    client = app.test_client()
    match = CSRF.search(client.get("/login").get_data(as_text=True))
    assert match, "no CSRF token on the login form"
    signed_in = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": match[1]})
    assert signed_in.status_code in (302, 303), signed_in.status_code
    try:
        return _timed(kinds(client, token, submission), n, time.thread_time)
    finally:
        from quizapp.extensions import db

        with app.app_context():
            db.engine.dispose()


def measure_variant(database_url: str, token: str, submission: int, variant: dict[str, Any], n: int,
                    workdir: Path) -> dict[str, float]:
    """Measure one variant: the server CPU ms per request of each kind."""
    if variant.get("in_process"):
        return measure_in_process(database_url, token, submission, n)
    master, base = start_gunicorn(database_url, variant, workdir)
    try:
        session = BaseSession(base, variant["encoding"])
        sign_in(session)
        return _timed(kinds(session, token, submission), n, lambda: worker_cpu_s(master.pid))
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        master.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="requests per kind and run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant, on a fresh worker each")
    parser.add_argument("--variants", default="browser",
                        help="comma-separated: " + ", ".join(VARIANTS) + "; or all")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    chosen = list(VARIANTS) if options.variants == "all" else options.variants.split(",")
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="quizapp-http-") as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
        token, submission = prepare(database_url)
        for run in range(options.runs):
            for name in chosen:  # interleaved, so a drift of the machine's speed touches every variant
                figures = measure_variant(database_url, token, submission, VARIANTS[name], options.n, workdir)
                for kind, ms in figures.items():
                    results.setdefault(name, {}).setdefault(kind, []).append(round(ms, 2))
                print(f"run {run + 1}, {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()),
                      file=sys.stderr)
    kinds_seen = list(next(iter(results.values())))
    print(f"\nserver CPU ms per request, one gunicorn worker, median (min-max) of {options.runs} runs "
          f"of {options.n}")
    print(f"{'request':26}" + "".join(f"{name:>24}" for name in chosen))
    for kind in kinds_seen:
        cells = []
        for name in chosen:
            values = results[name][kind]
            cells.append(f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
        print(f"{kind:26}" + "".join(f"{cell:>24}" for cell in cells))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
