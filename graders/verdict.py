"""The verdict: what a grading returns, serialised exactly as the contract's verdict JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

GRADER_VERSION = "1.0.0"

Status = Literal["passed", "failed", "error", "timeout", "resource_limit", "rejected"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "error", "timeout", "resource_limit", "rejected")


@dataclass(frozen=True)
class CaseResult:
    """One case's outcome. Hidden cases never carry inputs or expected values in ``message``."""

    name: str
    passed: bool
    hidden: bool
    message: str
    wrong_outputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's case object."""
        return {"name": self.name, "passed": self.passed, "hidden": self.hidden, "message": self.message}


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
