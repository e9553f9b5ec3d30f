"""Start-up and shut-down: no zygote, job or cgroup outlives the grader, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders import Grader
from graders.sandbox.pool import PoolConfig
from tests.graders.conftest import REPO

# A grader process that starts two zygotes, prints their pids, then grades a busy loop.
PARENT = """
import sys, threading
from graders import Grader
g = Grader(workers=2)
pool = g.pool()
print(' '.join(map(str, pool.processes())), flush=True)
code = "def rnn_cell_forward(xt, a_prev, parameters):\\n    while True:\\n        pass\\n"
threading.Thread(target=g.grade, args=("rnn_cell_forward", code), daemon=True).start()
threading.Event().wait()
"""


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                kids = [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def test_killing_the_grader_mid_job_leaves_nothing_behind() -> None:
    """SIGKILL to a grader process that is running a job: its zygotes and the job's processes all exit."""
    proc = subprocess.Popen([sys.executable, "-c", PARENT], cwd=REPO, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    zygotes = [int(p) for p in proc.stdout.readline().split()]
    deadline = time.monotonic() + 10
    while not (tree := [p for z in zygotes for p in [z, *descendants(z)]])[len(zygotes) :]:
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)  # wait until the busy loop runs under one of the zygotes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in tree)
    assert not any(
        Path(f"/sys/fs/cgroup/{c}/graders/z{z}").exists() for c in ("memory", "pids") for z in zygotes
    )


def test_closing_the_grader_stops_its_zygotes_and_removes_their_cgroups() -> None:
    """Grader.close() waits for every zygote to exit and removes its cgroups."""
    from graders import Grader

    g = Grader(workers=2)
    zygotes = g.pool().processes()
    assert all(alive(z) for z in zygotes)
    g.close()
    assert not any(alive(z) for z in zygotes)
    assert not any(
        Path(f"/sys/fs/cgroup/{c}/graders/z{z}").exists() for c in ("memory", "pids") for z in zygotes
    )


def test_a_sandbox_that_cannot_start_is_a_platform_error() -> None:
    """If zygotes cannot start, grading raises SandboxError (a platform failure), never runs unsandboxed."""
    import pytest

    from graders import Grader, SandboxError
    from graders.sandbox.pool import PoolConfig

    broken = Grader(pool_config=PoolConfig(workers=1, python="/bin/false"))
    with pytest.raises(SandboxError, match="could not start"):
        broken.grade("rnn_cell_forward", "def rnn_cell_forward(*a):\n    return 1\n")


def test_configure_sets_the_process_wide_graders_sandbox_count_before_it_starts() -> None:
    """``graders.configure(workers=N)`` sizes the process-wide grader (the web pool gives one sandbox per
    grading thread); after the grader exists it changes nothing."""
    script = (
        "import graders\n"
        "graders.configure(workers=3)\n"
        "first = graders.default_grader().pool_config.workers\n"
        "graders.configure(workers=5)\n"
        "print(first, graders.default_grader().pool_config.workers)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "3"]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_zygotes_use_every_core_when_the_grader_is_pinned() -> None:
    """A grader whose thread is pinned to one core (make run pins each web worker) starts zygotes, and
    so jobs, that may run on every core the process may use."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        pinned = Grader(pool_config=PoolConfig(workers=1))
        try:
            zygotes = pinned.pool().processes()
            assert zygotes
            assert all(os.sched_getaffinity(pid) == allowed for pid in zygotes)
        finally:
            pinned.close()
    finally:
        os.sched_setaffinity(0, allowed)
