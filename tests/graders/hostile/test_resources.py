"""Hostile submissions that attack time, memory, processes or the machinery around them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graders import Grader
from graders.bench import tree_cpu
from graders.sandbox.pool import PoolConfig
from tests.graders.conftest import EXERCISE, SOLUTION, sandbox_processes, solution_with
from tests.graders.hostile.conftest import TIME_LIMIT_S, assert_sane

WRONG = "a_next * 0, yt_pred, cache"


def test_fork_bomb_is_contained(grade: Any) -> None:
    """An endless fork loop hits the process limit: resource_limit, and every process is gone after."""
    bomb = "import os\nwhile True:\n    os.fork()"
    v = grade(solution_with(body_prefix=bomb))
    assert_sane(v, allowed={"resource_limit", "timeout"})


def test_fork_bomb_that_swallows_errors_times_out(grade: Any) -> None:
    """A fork bomb that ignores fork failures keeps running until the wall clock kills the tree."""
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    v = grade(solution_with(body_prefix=bomb))
    assert_sane(v, allowed={"timeout", "resource_limit"})


HOG = "hog = []\nwhile True:\n    hog.append(bytearray(10 << 20))"
THREAD_STORM = "import threading, time\nfor _ in range(5000):\n"
THREAD_STORM += "    threading.Thread(target=time.sleep, args=(60,)).start()"

# Attacks stopped with one of the allowed statuses: (code, allowed statuses, words the feedback must contain).
STOPPED = [
    # Starting thousands of threads stops at the process limit.
    pytest.param(solution_with(body_prefix=THREAD_STORM), {"resource_limit"}, "process", id="thread-storm"),
    # Asking for 80 GB at once fails with MemoryError.
    pytest.param(
        solution_with(body_prefix="big = np.ones((100000, 100000))"), {"resource_limit"}, "memory",
        id="memory-bomb-in-one-allocation",
    ),
    # Growing a list of buffers until memory runs out while loading.
    pytest.param(
        solution_with(module_code=HOG), {"resource_limit"}, "out of memory", id="memory-bomb-that-grows"
    ),
    # The same bomb inside the function runs out of memory in each case until the time limit.
    pytest.param(
        solution_with(body_prefix=HOG), {"resource_limit", "timeout"}, "out of memory",
        id="memory-bomb-in-every-case",
    ),
    # A ctypes segfault is an error that says the code crashed with a segmentation fault.
    pytest.param(
        solution_with(body_prefix="import ctypes\nctypes.string_at(0)"), {"error"}, "segmentation fault",
        id="segfault",
    ),
    # A 32 MB return value exceeds the result cap, and the grader reads no more.
    pytest.param(
        solution_with(returns="np.zeros((2000, 2000)), yt_pred, cache"), {"resource_limit"}, "MiB of data",
        id="huge-return-value",
    ),
]


@pytest.mark.parametrize(("code", "allowed", "says"), STOPPED)
def test_attack_is_stopped_and_the_feedback_says_why(
    grade: Any, code: str, allowed: set[str], says: str
) -> None:
    """Each attack ends with one of its allowed statuses, and the feedback names what stopped it."""
    v = grade(code)
    assert_sane(v, allowed=allowed)
    assert any(says in f for f in v.feedback), v.feedback


def test_memory_bomb_across_processes_meets_the_cgroup() -> None:
    """Children under the per-process limit but over the 192 MiB cgroup together are OOM-killed."""
    bomb = """import os, time
for _ in range(8):
    if os.fork() == 0:
        hog = np.ones(100 << 17)
        time.sleep(0.5)
        os._exit(0)
for _ in range(8):
    os.wait()"""
    config = PoolConfig(workers=1, cgroup_memory_bytes=192 << 20)
    small = Grader(pool_config=config)
    try:
        if not small.pool().report["cgroup"]["version"]:
            pytest.skip("no writable memory cgroup on this host")
        uids = small.pool().job_uids()
        v = small.grade("rnn_cell_forward", solution_with(module_code=bomb))
        assert sandbox_processes(uids) == []
    finally:
        small.close()
    assert_sane(v, allowed={"resource_limit"}, seconds=10)
    assert any("out of memory" in f for f in v.feedback)
    assert all(c.passed for c in v.cases)  # the function is right: its cases keep their credit


def test_busy_loop_times_out(grade: Any) -> None:
    """An infinite loop is stopped at the wall-clock limit: timeout."""
    v = grade(solution_with(body_prefix="while True:\n    pass"))
    assert_sane(v, allowed={"timeout"})
    assert v.timings["wall_s"] >= TIME_LIMIT_S
    assert any("time limit" in f for f in v.feedback)


def test_sleeping_while_ignoring_signals_times_out(grade: Any) -> None:
    """Sleeping with every catchable signal ignored uses no CPU; the wall clock still ends it."""
    sleeper = """import signal, time
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)
time.sleep(1000)"""
    v = grade(solution_with(body_prefix=sleeper))
    assert_sane(v, allowed={"timeout"})


def test_sigstop_does_not_freeze_the_grader(grade: Any) -> None:
    """A child that stops itself (and a parent waiting on it) is killed at the deadline."""
    stop = """import os, signal, time
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGSTOP)
    time.sleep(1000)
os.kill(os.getpid(), signal.SIGSTOP)
os.waitpid(pid, 0)"""
    v = grade(solution_with(body_prefix=stop))
    assert_sane(v, allowed={"timeout"})


def test_detached_daemon_dies_with_the_job(grade: Any) -> None:
    """A signal-ignoring, stopped grandchild in a process group of its own, left behind by correct code,
    is killed too."""
    daemon = """import os, signal, time
if os.fork() == 0:
    os.setpgid(0, 0)
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        if os.fork() == 0:
            os.kill(os.getpid(), signal.SIGSTOP)
        time.sleep(1000)
    os._exit(0)"""
    v = grade(solution_with(module_code=daemon))
    assert_sane(v, allowed={"passed"})  # the fixture asserts that no process outlived the grading


def test_output_flood_is_cut_off(grade: Any) -> None:
    """Printing without end stops at the output limit: resource_limit, with the output capped."""
    v = grade(solution_with(body_prefix="while True:\n    print('x' * 10000)"))
    assert_sane(v, allowed={"resource_limit"})
    assert len(v.output) < 17 * 1024 and "[output truncated" in v.output


def test_killing_the_parent_is_impossible(grade: Any) -> None:
    """Signals to the parent, to everyone (-1) and to every pid reach nothing outside the sandbox."""
    killer = """import os, signal
print('PPID', os.getppid())
for target in (os.getppid(), -1):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError as e:
        print('NOKILL', target, e.errno)
hits = []
for pid in range(2, 40000):
    try:
        os.kill(pid, signal.SIGKILL)
        hits.append(pid)
    except OSError:
        pass
print('HITS', hits)"""
    grader_pid = os.getpid()
    v = grade(solution_with(module_code=killer))
    assert_sane(v, allowed={"passed", "error"})
    assert "PPID 0" in v.output and "HITS []" in v.output
    assert os.getpid() == grader_pid
    assert_sane(
        grade(SOLUTION), allowed={"passed"}
    )  # the zygotes still work (the fixture checks they survived)


def test_student_code_runs_below_the_web_and_cannot_raise_its_priority(grade: Any, grader: Grader) -> None:
    """Zygotes and their jobs run at nice 10, so a busy loop only takes CPU the web leaves idle; a job that
    tries to raise its own priority back is refused."""
    probe = (
        "import os\n"
        "print('PRIORITY', os.getpriority(os.PRIO_PROCESS, 0))\n"
        "try:\n"
        "    os.setpriority(os.PRIO_PROCESS, 0, 0)\n"
        "    print('RAISED')\n"
        "except OSError:\n"
        "    print('REFUSED')\n"
    )
    v = grade(probe + SOLUTION)
    assert v.status == "passed"
    assert "PRIORITY 10" in v.output and "REFUSED" in v.output and "RAISED" not in v.output
    assert grader.pool().report["nice"] == 10
    for pid in grader.pool().processes():
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        assert int(fields[16]) == 10  # field 19 of stat: the nice value


AUTOGROUPS = Path("/proc/sys/kernel/sched_autogroup_enabled")


@pytest.mark.skipif(not AUTOGROUPS.exists(), reason="this kernel has no autogroups")
def test_the_sandboxes_scheduling_group_runs_at_their_priority(grader: Grader) -> None:
    """With autogrouping, a thread's nice value ranks it only inside its session's group, so each zygote's
    session (the group its jobs run in) has nice 10 too."""
    assert grader.pool().report["autogroup_nice"] == 10
    for pid in grader.pool().processes():
        assert Path(f"/proc/{pid}/autogroup").read_text().split()[-1] == "10"


@pytest.mark.timing
@pytest.mark.skipif(not AUTOGROUPS.exists(), reason="this kernel has no autogroups")
def test_a_busy_loop_takes_little_cpu_from_a_busy_server() -> None:
    """While this session keeps every core busy at nice 0 (as a loaded web server does), a submission that
    loops until its 2-s limit gets a small share of a core, not a whole one (its session's group used to
    weigh as much as the server's)."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)
    ]
    grader = Grader(workers=1)
    try:
        grader.grade(EXERCISE, SOLUTION)  # warm
        zygotes = grader.pool().processes()
        before = tree_cpu(zygotes)
        v = grader.grade(EXERCISE, "def rnn_cell_forward(*a):\n    while True:\n        pass\n")
        used = tree_cpu(zygotes) - before
    finally:
        grader.close()
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert v.status == "timeout"
    assert used < TIME_LIMIT_S / 2, used  # 0.38 and 0.47 s in two runs; 1.91 s before


def test_a_job_cannot_leave_its_scheduling_group(grade: Any) -> None:
    """A job stays in its zygote's session (so in its low-priority group), and neither it nor a child can
    start a session of its own, which would be a scheduling group outside that priority."""
    probe = (
        "import os\n"
        "print('SESSION', os.getsid(0), flush=True)\n"  # led by the zygote, outside the job's pid namespace
        "child = os.fork()\n"
        "if child == 0:\n"  # not a process group leader: only the filter stops it
        "    try:\n"
        "        os.setsid()\n"
        "        print('NEW SESSION', flush=True)\n"
        "    except PermissionError:\n"
        "        print('REFUSED', flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(child, 0)\n"
    )
    v = grade(probe + SOLUTION)
    assert v.status == "passed"
    assert "SESSION 0" in v.output and "REFUSED" in v.output and "NEW SESSION" not in v.output
