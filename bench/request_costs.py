"""What one request of each kind costs the web process: CPU milliseconds per request, and where they go.

The load test (bench/loadtest.py) measures the whole system; this script measures the request path alone,
in one process, with Flask's test client on a migrated SQLite file (the embedded default), so a change to
a view, a query or a setting shows up as a number. Usage:

    .venv/bin/python bench/request_costs.py                  # a table of CPU ms per request kind
    .venv/bin/python bench/request_costs.py --profile 15     # and each kind's 15 costliest functions
    .venv/bin/python bench/request_costs.py --json out.json  # also write the figures

Each kind runs ``--n`` times after a warm-up; the figure is process CPU time (user + system) per request,
which does not count time spent waiting (for a lock or the disk), and the wall time beside it. The
grading line is the trusted side of one grading (claim, sandbox I/O, judging, storing the verdict) of the
submissions the ``submission POST`` line queued; the sandboxed child's own CPU is not in it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUIZ = "rnn-week1"
PASSWORD = "load-test-password"


def build(workdir: Path, spare: int) -> tuple[Any, dict[str, Any]]:
    """A migrated app with one student (signed in through the form), its API token, and ``spare`` more
    students' tokens: a quiz allows three attempts and an account 20 submissions a minute."""
    from flask_migrate import upgrade

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.services import accounts

    url = f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "GRADER_BACKEND": "local",
                      "GRADING_WORKERS": 1, "GRADING_POOL_IN_APP": False,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        user = accounts.create_user("bench@example.com", PASSWORD)
        others = [accounts.create_user(f"spare{n}@example.com", PASSWORD) for n in range(spare)]
        db.session.commit()
        token = accounts.issue_token(user, 30)
        spares = [{"Authorization": f"Bearer {accounts.issue_token(other, 30)}"} for other in others]
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    return app, {"app": app, "client": client, "api": {"Authorization": f"Bearer {token}"}, "spares": spares}


def kinds(ctx: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """The request kinds a class sends, as in the load test, and the trusted side of one grading."""
    from quizapp.grading import runner

    client, api, spares, app = ctx["client"], ctx["api"], ctx["spares"], ctx["app"]
    code = (ROOT / "exercises" / "rnn_cell_forward" / "solution.py").read_text(encoding="utf-8")
    submitted = client.post("/api/v1/exercises/rnn_cell_forward/submissions", headers=api,
                            json={"code": code})
    assert submitted.status_code == 202, submitted.get_data(as_text=True)
    ctx["submission"] = submitted.get_json()["id"]

    def grade_queued() -> None:
        """Claim, grade (the sandbox's own CPU is in another process) and record, as a pool thread does."""
        with app.app_context():
            assert runner.run_next(), "nothing was queued"

    grade_queued()

    def submit() -> None:
        response = client.post("/api/v1/exercises/rnn_cell_forward/submissions", headers=spares.pop(),
                               json={"code": code})
        assert response.status_code == 202, response.status_code

    def quiz_round() -> None:
        headers = spares.pop()
        started = client.post(f"/api/v1/quizzes/{QUIZ}/attempts", headers=headers)
        assert started.status_code == 201, started.get_data(as_text=True)
        attempt = started.get_json()
        answers = {q["id"]: [q["options"][0]["id"]] for q in attempt["questions"]}
        assert client.put(f"/api/v1/attempts/{attempt['id']}/answers", headers=headers,
                          json={"answers": answers}).status_code == 200
        assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers,
                           json={"answers": answers}).status_code == 200

    def get(path: str, headers: dict[str, str] | None = None) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path, headers=headers or {})
            assert response.status_code == 200, (path, response.status_code)
        return call

    return {
        "course page": get("/"),
        "exercise page": get("/exercises/rnn_cell_forward"),
        "quiz page": get(f"/quizzes/{QUIZ}"),
        "status (graded)": get(f"/api/v1/submissions/{ctx['submission']}", api),
        "submission POST": submit,
        "quiz start+save+submit": quiz_round,
        "grading (trusted side)": grade_queued,
    }


def measure(call: Callable[[], Any], n: int) -> tuple[float, float]:
    """Mean CPU (of this thread) and wall milliseconds per call."""
    for _ in range(3):
        call()
    cpu, wall = time.thread_time(), time.perf_counter()
    for _ in range(n):
        call()
    return (time.thread_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="requests per kind")
    parser.add_argument("--profile", type=int, default=0, metavar="K",
                        help="print each kind's K costliest functions")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    from quizapp.grading import grading_for

    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as workdir:
        app, ctx = build(Path(workdir), spare=2 * (min(options.n, 40) + 3) + 2 * min(options.n, 30))
        # Submissions are graded by the app's pool meanwhile; a pause lets it drain between kinds.
        for name, call in kinds(ctx).items():
            n = min(options.n, 40) if name in ("submission POST", "quiz start+save+submit") else options.n
            n = min(n, 40) if name.startswith("grading") else n  # one per submission queued above
            cpu, wall = measure(call, n)
            figures[name] = {"cpu_ms": round(cpu, 2), "wall_ms": round(wall, 2), "n": n}
            print(f"{name:24} {cpu:7.2f} ms CPU {wall:7.2f} ms wall   (n={n})")
            if options.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(min(n, 30) if n > 40 else min(n, 15)):
                    call()
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(options.profile)
        grading_for(app).shutdown()
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
