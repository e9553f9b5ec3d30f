"""Sandboxed, auto-graded coding exercises.

``grade(exercise, code)`` returns a :class:`Verdict` (``to_dict()`` is the verdict JSON);
``list_exercises()`` / ``get_exercise(slug)`` expose the catalogue to the web app. A
process-wide :class:`Grader` is created on first use and shut down at exit; ``close()``
stops it earlier. See ``docs/grader.md``.
"""

from __future__ import annotations

import threading

from graders.catalogue import Catalogue, CatalogueError, Exercise, UnknownExercise
from graders.grader import Grader
from graders.sandbox.limits import Limits
from graders.sandbox.pool import SandboxError
from graders.verdict import GRADER_VERSION, STATUSES, CaseResult, Verdict

__all__ = [
    "GRADER_VERSION",
    "STATUSES",
    "CaseResult",
    "Catalogue",
    "CatalogueError",
    "Exercise",
    "Grader",
    "Limits",
    "SandboxError",
    "UnknownExercise",
    "Verdict",
    "close",
    "configure",
    "default_grader",
    "get_exercise",
    "grade",
    "list_exercises",
]

_default: Grader | None = None
_default_lock = threading.Lock()
_default_workers: int | None = None


def configure(*, workers: int) -> None:
    """Give the process-wide grader ``workers`` sandboxes (zygotes) when it starts; no effect after."""
    global _default_workers
    with _default_lock:
        _default_workers = max(1, workers)


def default_grader() -> Grader:
    """The process-wide grader (catalogue from ``$GRADER_EXERCISES_DIR`` or ``exercises/``)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Grader(workers=_default_workers)
        return _default


def grade(exercise: str, code: str | bytes, *, seed: int | None = None) -> Verdict:
    """Grade ``code`` for the exercise ``exercise`` in a warm sandbox. Thread-safe."""
    return default_grader().grade(exercise, code, seed=seed)


def list_exercises() -> list[Exercise]:
    """Every exercise, in catalogue order (``Exercise.to_dict()`` for the web app)."""
    return default_grader().exercises()


def get_exercise(slug: str) -> Exercise:
    """One exercise by slug; raises :class:`UnknownExercise`."""
    return default_grader().catalogue.get(slug)


def close() -> None:
    """Stop the process-wide grader's sandboxes now (also done automatically at exit)."""
    global _default
    with _default_lock:
        if _default is not None:
            _default.close()
            _default = None
