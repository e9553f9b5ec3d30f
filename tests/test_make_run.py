"""`make run`'s server, started with the Makefile's own gunicorn options: kept-alive connections are spread
over its worker processes."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import psutil
import pytest
import requests

from tests.conftest import fresh_database
from tests.live import REPO, gunicorn_server

CONNECTIONS = 60


def make_run_options() -> list[str]:
    """The gunicorn options of `make run` (the Makefile's line), without the address, log and app."""
    line = next(row for row in (REPO / "Makefile").read_text().splitlines() if "$(BIN)/gunicorn" in row)
    words = shlex.split(line.split("$(BIN)/gunicorn", 1)[1])
    options: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("--bind", "--access-logfile"):
            skip = True
        elif word != "wsgi:app":
            options.append(word)
    return options


def gunicorn_master(port: int) -> psutil.Process:
    """The gunicorn master this test process started on ``port``."""
    return next(
        process
        for process in psutil.process_iter(["cmdline"])
        if f"127.0.0.1:{port}" in " ".join(process.info["cmdline"] or ())
        and process.parent() is not None
        and process.parent().pid == psutil.Process().pid
    )


def test_make_run_options_are_read_from_the_makefile() -> None:
    """The helper finds `make run`'s worker shape and keeps nothing that would clash with the test server."""
    options = make_run_options()
    assert "--workers" in options and "--reuse-port" in options
    assert options[options.index("--config") + 1] == "deploy/gunicorn_pinning.py"
    assert not any(re.match(r"\$\(|--bind|wsgi:", word) for word in options)


def test_kept_alive_connections_are_spread_over_the_workers(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A class opening 60 kept-alive connections at once lands on both of `make run`'s workers, not nearly
    all on one (with a single shared socket, one worker took 149 of a load test's 160)."""
    database_url = fresh_database("sqlite", request, tmp_path)
    env = {"GRADING_POOL_IN_APP": "0"}
    with gunicorn_server(database_url, tmp_path / "gunicorn.log", env=env, options=make_run_options()) as url:
        port = int(url.rsplit(":", 1)[1])
        sessions = [requests.Session() for _ in range(CONNECTIONS)]
        try:
            for session in sessions:
                assert session.get(f"{url}/login", timeout=30).status_code == 200
            master = gunicorn_master(port)
            per_worker = sorted(
                sum(
                    1
                    for connection in worker.net_connections(kind="tcp")
                    if connection.status == psutil.CONN_ESTABLISHED and connection.laddr.port == port
                )
                for worker in master.children()
            )
        finally:
            for session in sessions:
                session.close()
    assert len(per_worker) == 2 and sum(per_worker) == CONNECTIONS
    # Spread by the kernel's hash of each connection: 30 each on average, 15 is about four deviations off.
    assert per_worker[0] >= 15, per_worker


def test_each_worker_runs_on_a_core_of_its_own(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """`make run`'s workers are each pinned to one core, different cores while there are enough, and the
    threads they start (the request handlers) stay on it."""
    database_url = fresh_database("sqlite", request, tmp_path)
    cores = sorted(os.sched_getaffinity(0))
    with gunicorn_server(database_url, tmp_path / "gunicorn.log", env={"GRADING_POOL_IN_APP": "0"},
                         options=make_run_options()) as url:
        port = int(url.rsplit(":", 1)[1])
        assert requests.get(f"{url}/login", timeout=30).status_code == 200
        master = gunicorn_master(port)
        workers = master.children()
        pinned = [
            {frozenset(os.sched_getaffinity(thread.id)) for thread in worker.threads()} for worker in workers
        ]
    assert len(workers) == 2
    assert all(len(sets) == 1 and len(next(iter(sets))) == 1 for sets in pinned), pinned
    used = {next(iter(next(iter(sets)))) for sets in pinned}
    assert used <= set(cores) and len(used) == min(2, len(cores)), (used, cores)
