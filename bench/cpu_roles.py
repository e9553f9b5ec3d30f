"""Where the server's CPU goes under load: CPU seconds by role, from /proc, without pausing anything.

A profiler that samples a live server either pauses it (py-spy's default, which makes the latencies of the
profiled run meaningless) or cannot tell a waiting thread from a running one (``--nonblocking``). This
module reads the kernel's own per-thread counters instead, twice, and names each thread by its Python
name, read once with ``py-spy dump --nonblocking`` (the thread ids it prints are the kernel's):

* ``requests``: gunicorn's request threads (``ThreadPoolExecutor-*``), views and templates and SQL;
* ``web main loop``: each gunicorn worker's main thread (accepting, keep-alive, handing to threads), and
  the main thread of a ``flask grader run`` process;
* ``grading``: the local pool's grading threads (``grader-N``): the trusted side, claim and verdict;
* ``sandboxes``: the sandbox zygotes and the jobs they reaped (student code, in processes of their own);
* ``celery``: Celery worker processes (their tasks run the trusted side);
* ``other threads``: the rest (the verdict watcher, the sweeper, the gunicorn master).

``bench/loadtest.py`` takes a snapshot when its measured window opens and another when it closes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
_THREAD = re.compile(r'^Thread (\d+) \(\w+\): "([^"]*)"', re.MULTILINE)


def _stat(path: str) -> list[str] | None:
    try:
        return Path(path).read_text().rpartition(")")[2].split()
    except OSError:
        return None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_processes(session_ids: set[int]) -> dict[int, list[str]]:
    """Every live process in these sessions or descended from one, with its /proc stat fields."""
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(f"/proc/{entry}/stat")) is not None:
            stats[int(entry)] = fields
    counted = {pid for pid, fields in stats.items() if int(fields[3]) in session_ids}  # field 6: session
    grew = True
    while grew:  # add the descendants (the sandbox zygotes start sessions of their own)
        more = {pid for pid, fields in stats.items() if pid not in counted and int(fields[1]) in counted}
        counted |= more
        grew = bool(more)
    return {pid: stats[pid] for pid in counted}


def thread_names(pids: list[int], tries: int = 3) -> dict[int, str]:
    """Kernel thread id -> Python thread name, for the Python threads of these processes (py-spy dump;
    a dump that reads the process mid-change can fail, so each is tried up to ``tries`` times)."""
    names: dict[int, str] = {}
    for pid in pids:
        for _ in range(tries):
            try:
                dump = subprocess.run([str(PY_SPY), "dump", "--nonblocking", "-p", str(pid)],
                                      capture_output=True, text=True, timeout=20).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            found = {int(tid): name for tid, name in _THREAD.findall(dump)}
            if found:
                names.update(found)
                break
    return names


def _thread_role(name: str | None) -> str:
    if name is None:
        return "unnamed threads"
    if name.startswith("ThreadPoolExecutor"):
        return "requests"
    if name == "MainThread":
        return "web main loop"
    if re.fullmatch(r"grader-\d+", name):
        return "grading"
    return "other threads"


def threaded_servers(processes: dict[int, list[str]]) -> list[int]:
    """The gunicorn workers and ``flask grader run`` processes, whose threads are told apart by name."""
    out = []
    for pid, fields in processes.items():
        command = _cmdline(pid)
        parent = _cmdline(int(fields[1]))
        if ("gunicorn" in command and "gunicorn" in parent) or " grader run" in command:
            out.append(pid)
    return out


def snapshot(session_ids: set[int]) -> dict[str, float]:
    """CPU seconds used so far: ``thread:<pid>:<tid>`` for each thread of a threaded server, and
    ``<role>:<pid>`` for every other process (its own CPU and its reaped children's)."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = server_processes(session_ids)
    threaded = set(threaded_servers(processes))
    counters: dict[str, float] = {}
    for pid, fields in processes.items():
        own = (int(fields[11]) + int(fields[12])) / tick
        reaped = (int(fields[13]) + int(fields[14])) / tick
        if pid in threaded:
            counters[f"sandboxes:{pid}"] = reaped  # zygotes that exited
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                if (thread := _stat(f"/proc/{pid}/task/{tid}/stat")) is not None:
                    counters[f"thread:{pid}:{tid}"] = (int(thread[11]) + int(thread[12])) / tick
            continue
        command = _cmdline(pid)
        role = "celery" if "celery" in command else "other threads" if "gunicorn" in command else "sandboxes"
        counters[f"{role}:{pid}"] = own + reaped
    return counters


def by_role(before: dict[str, float], after: dict[str, float], names: dict[int, str]) -> dict[str, float]:
    """CPU seconds by role between two snapshots; a thread or process that ended meanwhile is left out
    (gunicorn's request threads and the zygotes live as long as their worker)."""
    roles: defaultdict[str, float] = defaultdict(float)
    for key, value in after.items():
        used = value - before.get(key, 0.0)
        if key.startswith("thread:"):
            role = _thread_role(names.get(int(key.rpartition(":")[2])))
        else:
            role = key.rpartition(":")[0]
        roles[role] += used
    return {role: round(seconds, 2) for role, seconds in sorted(roles.items())}


def name_threads(session_ids: set[int], known: dict[int, str]) -> dict[int, str]:
    """``known`` with the names of the threaded servers' current threads added."""
    return {**known, **thread_names(threaded_servers(server_processes(session_ids)))}
