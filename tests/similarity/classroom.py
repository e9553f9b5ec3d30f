"""A class whose lstm_cell_forward submissions hold a renamed copy and two independent solutions."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from quizapp.services import similarity
from tests.instructor import factories as f

SLUG = "lstm_cell_forward"
CODE = Path(__file__).resolve().parent / "code"


STARTER = (CODE.parents[2] / "exercises" / SLUG / "starter.py").read_text(encoding="utf-8")


def code(name: str) -> str:
    """One of the test solutions in tests/similarity/code."""
    return (CODE / f"{name}.py").read_text(encoding="utf-8")


def passed() -> dict[str, Any]:
    """A passing verdict for the exercise."""
    return f.verdict(SLUG, "passed", 10.0)


@pytest.fixture
def similar_class(app: Flask) -> dict[str, int]:
    """An instructor and four students: ann (original), bob (ann's code renamed), cy and dee (independent).

    Bob's first, unrelated try is superseded by his later copy, and the instructor's own submission of
    ann's code is left out of the comparison. Returns the submission id of each student's latest try.
    """
    with app.app_context():
        teacher = f.user("teacher@example.com", role="instructor")
        ann, bob, cy, dee = (f.user(f"{n}@example.com") for n in ("ann", "bob", "cy", "dee"))
        ids = {"bob_first": f.graded(bob, SLUG, passed(), code=code("independent_a"))}
        ids["ann"] = f.graded(ann, SLUG, passed(), code=code("original"))
        ids["bob"] = f.graded(bob, SLUG, passed(), code=code("renamed_copy"))
        ids["cy"] = f.graded(cy, SLUG, passed(), code=code("independent_a"))
        ids["dee"] = f.graded(dee, SLUG, passed(), code=code("independent_b"))
        ids["teacher"] = f.graded(teacher, SLUG, passed(), code=code("original"))
    return ids


def hold_computation(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make every similarity computation wait (10 s at most) until the returned event is set, so a test
    can look at a report while its job is still running."""
    release = threading.Event()
    real = similarity.compute_pairs

    def held(*args: Any, **kwargs: Any) -> dict[str, Any]:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(similarity, "compute_pairs", held)
    return release
