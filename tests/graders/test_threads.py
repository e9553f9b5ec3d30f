"""Thread safety: concurrent grade() calls share the pool and each get their own correct verdict."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.graders.conftest import SOLUTION, solution_with


def test_concurrent_gradings_get_their_own_verdicts(grade: Any) -> None:
    """Sixteen threads grading a mix of right and wrong code each get the verdict of their own code."""
    codes = {
        "right": SOLUTION,
        "wrong": solution_with(returns="a_next, yt_pred * 2, cache"),
        "crash": solution_with(body_prefix="raise ValueError('boom')"),
    }
    expected = {"right": "passed", "wrong": "failed", "crash": "error"}
    jobs = [name for _ in range(8) for name in codes]
    with ThreadPoolExecutor(max_workers=16) as pool:
        verdicts = list(pool.map(lambda name: (name, grade(codes[name], seed=hash(name) % 1000)), jobs))
    for name, verdict in verdicts:
        assert verdict.status == expected[name], (name, verdict.feedback)
        assert verdict.seed == hash(name) % 1000
    outputs = {name: [v.to_dict() for n, v in verdicts if n == name] for name in codes}
    for name, same in outputs.items():
        assert all(d == same[0] for d in same), name


def test_default_grader_is_shared_and_closable() -> None:
    """graders.grade() uses one process-wide grader; graders.close() stops its zygotes."""
    import graders

    v = graders.grade("rnn_cell_forward", SOLUTION)
    assert v.status == "passed"
    pool = graders.default_grader().pool()
    pids = pool.processes()
    assert len(pids) >= 1
    graders.close()
    assert pool.processes() == []
