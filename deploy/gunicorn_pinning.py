"""gunicorn settings for `make run`: each worker process runs on a core of its own.

Measured on the project's 2-core VM (docs/pipeline.md, "Fifth round"): with the workers free to move, a
request cost a worker 1 to 3 ms more CPU than the same request through Flask's test client; pinned, the
same as the test client, and at 25 submissions/s page loads and submissions were answered 2 to 8 times
faster at p95. Workers are spread round-robin over the cores this process may use; the threads a worker
starts inherit its core, while its sandboxes set theirs back to every core (graders/sandbox/zygote.py).
"""

from __future__ import annotations

import os
from typing import Any


def post_fork(server: Any, worker: Any) -> None:
    """Pin the new worker to one of the allowed cores (its age counts the workers spawned so far)."""
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[worker.age % len(cores)]})
