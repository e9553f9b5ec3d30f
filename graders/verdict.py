"""The verdict: what a grading returns, serialised exactly as the contract's verdict JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

GRADER_VERSION = "1.0.0"

Status = Literal["passed", "failed", "error", "timeout", "resource_limit", "rejected"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "error", "timeout", "resource_limit", "rejected")


@dataclass(frozen=True)
class OutputResult:
    """One graded output of a case: the contract's ``cases[].outputs`` entry.

    ``yours``/``expected`` are the values at ``worst_index`` (None for hidden cases, whose expected
    values stay secret). Additive keys: ``outside_count`` (values outside the tolerance), ``worst``
    (the few worst entries, public cases only), ``diff_grid`` (a pooled |yours - expected| grid
    for a heatmap, public wrong outputs only; None when not drawn) and ``problem`` (the wrong
    output's sentence, as in the message; None when right).
    """

    name: str
    passed: bool
    shape: tuple[int, ...] | None = None
    max_abs_error: float | None = None
    worst_index: tuple[int, ...] | None = None
    yours: float | str | None = None
    expected: float | str | None = None
    first_wrong_step: int | None = None
    outside_count: int | None = None
    worst: tuple[dict[str, Any], ...] = ()
    diff_grid: dict[str, Any] | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's output object, then the additive keys."""
        return {
            "name": self.name,
            "passed": self.passed,
            "shape": list(self.shape) if self.shape is not None else None,
            "max_abs_error": self.max_abs_error,
            "worst_index": list(self.worst_index) if self.worst_index is not None else None,
            "yours": self.yours,
            "expected": self.expected,
            "first_wrong_step": self.first_wrong_step,
            "outside_count": self.outside_count,
            "worst": [dict(w) for w in self.worst],
            "diff_grid": self.diff_grid,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class CaseResult:
    """One case's outcome. Hidden cases never carry inputs or expected values in ``message``
    or ``outputs``."""

    name: str
    passed: bool
    hidden: bool
    message: str
    wrong_outputs: tuple[str, ...] = ()
    outputs: tuple[OutputResult, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's case object."""
        return {
            "name": self.name,
            "passed": self.passed,
            "hidden": self.hidden,
            "message": self.message,
            "outputs": [output.to_dict() for output in self.outputs],
        }


@dataclass(frozen=True)
class Verdict:
    """The result of grading one submission.

    ``to_dict()`` gives the contract's verdict JSON plus these additive keys: ``seed`` (replays
    the hidden cases with ``grade(..., seed=...)``), ``grader_version``, ``exercise_version``
    and ``mistakes`` (ids of the named mistakes diagnosed, for the dashboard).
    """

    exercise: str
    status: Status
    score: float
    max_score: float
    cases: tuple[CaseResult, ...] = ()
    feedback: tuple[str, ...] = ()
    output: str = ""
    seed: int | None = None
    grader_version: str = GRADER_VERSION
    exercise_version: int | None = None
    mistakes: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return self.status == "passed"

    def to_dict(self) -> dict[str, Any]:
        """The verdict JSON (contract keys first, then the additive ones)."""
        return {
            "exercise": self.exercise,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "cases": [case.to_dict() for case in self.cases],
            "feedback": list(self.feedback),
            "output": self.output,
            "seed": self.seed,
            "grader_version": self.grader_version,
            "exercise_version": self.exercise_version,
            "mistakes": list(self.mistakes),
        }
