"""Helpers for the hostile-submission suite: host-side evidence that nothing escaped."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

from graders import STATUSES, Verdict
from tests.graders.conftest import REPO

TIME_LIMIT_S = 2.0  # rnn_cell_forward's info.yaml
HOST_DIRS = ("/tmp", "/dev/shm", "/root", str(REPO), str(REPO / "graders" / "sandbox_lib"))


def nonce() -> str:
    """A unique marker for files and keys one test's submission tries to create."""
    return f"hostile-{uuid.uuid4().hex[:12]}"


def host_traces(marker: str) -> list[str]:
    """Host paths named ``marker`` (a submission tried to create them); must stay empty."""
    return [
        f"{d}/{marker}"
        for d in HOST_DIRS
        if Path(f"{d}/{marker}").exists() or Path(f"{d}/{marker}").is_symlink()
    ]


def assert_sane(v: Verdict, *, allowed: set[str], seconds: float = TIME_LIMIT_S + 3.0) -> None:
    """A well-formed verdict with one of the allowed statuses, never `passed` unless allowed,
    full marks only if every case really passed, delivered within the time limit (plus slack)."""
    assert v.status in STATUSES and v.status in allowed, (v.status, v.feedback)
    assert v.score < v.max_score or all(c.passed for c in v.cases)
    assert v.to_dict()["exercise"] == "rnn_cell_forward"
    assert v.timings.get("total_s", 0.0) < seconds, v.timings
    assert v.timings.get("wall_s", 0.0) < TIME_LIMIT_S + 0.5, v.timings


def redis_get(key: str) -> bytes | None:
    """GET key from the host's Redis (None if Redis is not running here)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:
            s.sendall(f"*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode())
            return s.recv(1024)
    except OSError:
        return None
