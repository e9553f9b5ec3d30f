"""Fixtures for the grader tests: a shared sandbox pool and checks that nothing is left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders import Grader, Verdict
from graders.sandbox.pool import PoolConfig

REPO = Path(__file__).resolve().parents[2]
EXERCISE = "rnn_cell_forward"
SOLUTION = (REPO / "exercises" / EXERCISE / "solution.py").read_text(encoding="utf-8")
STARTER = (REPO / "exercises" / EXERCISE / "starter.py").read_text(encoding="utf-8")
WORKERS = 2


def solution_with(
    module_code: str = "", body_prefix: str = "", returns: str = "a_next, yt_pred, cache"
) -> str:
    """The course solution with extra module-level code, extra code at the start of the function
    body, and a replaced return expression."""
    code = SOLUTION.replace(
        '    # Retrieve parameters from "parameters"\n',
        "".join(f"    {line}\n" for line in body_prefix.splitlines()) + "    # Retrieve parameters\n",
    )
    code = code.replace("    return a_next, yt_pred, cache\n", f"    return {returns}\n")
    return code + "\n" + module_code + "\n"


def sandbox_processes(uids: list[int]) -> list[int]:
    """PIDs of live processes running as one of these (sandbox job) uids."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        if uid in uids:
            found.append(int(entry))
    return found


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc/PID/task/*/children)."""
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(p) for p in (task / "children").read_text().split()]
    return kids


@pytest.fixture(scope="session")
def grader() -> Iterator[Grader]:
    """One warm grader (two zygotes) shared by the grader tests."""
    g = Grader(pool_config=PoolConfig(workers=WORKERS))
    g.pool()
    yield g
    zygotes = g.pool().processes()
    g.close()
    for pid in zygotes:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


@pytest.fixture
def grade(grader: Grader) -> Iterator[object]:
    """``grade(code, **kw)`` for rnn_cell_forward; afterwards, asserts no sandbox process was left
    behind and the zygotes survived unchanged."""
    zygotes = sorted(grader.pool().processes())
    uids = grader.pool().job_uids()
    assert len(uids) == WORKERS and all(uid >= 1_000_000_000 for uid in uids)

    def run(code: str | bytes, *, exercise: str = EXERCISE, seed: int | None = None) -> Verdict:
        return grader.grade(exercise, code, seed=seed)

    yield run
    assert sandbox_processes(uids) == [], "a sandboxed process outlived its grading"
    assert sorted(grader.pool().processes()) == zygotes, "a zygote died or was replaced"
    for pid in zygotes:
        assert children_of(pid) == [], "a zygote still has a job child"
