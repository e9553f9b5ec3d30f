"""Through ``graders.grade``: correct code gets full marks; buggy code is caught and its mistake named."""

from __future__ import annotations

import ast
from functools import cache
from typing import Any

import pytest

from tests.exercises.helpers import ALT, BUGGY, EXERCISES, PRESENT, Submission, content, submissions

graders = pytest.importorskip("graders")
if not hasattr(graders, "grade"):
    pytest.skip("graders.grade is not available in this tree", allow_module_level=True)

BUGGY_SUBMISSIONS = submissions(BUGGY)
ALTERNATIVES = submissions(ALT)
NAMED_RATE_GOAL = 0.8


@cache
def verdict(slug: str, code: str) -> dict[str, Any]:
    """The verdict JSON for one submission (cached: several tests look at the same gradings)."""
    result: dict[str, Any] = graders.grade(slug, code).to_dict()
    return result


def full_marks(v: dict[str, Any]) -> bool:
    return v["status"] == "passed" and v["score"] == v["max_score"] == 10


def names(v: dict[str, Any], message: str) -> bool:
    """Whether the verdict's feedback (overall or per case) carries the mistake's message."""
    texts = [*v["feedback"], *(case.get("message") or "" for case in v["cases"])]
    return any(message in text for text in texts)


def expected_message(sub: Submission) -> str | None:
    return next((m.message for m in content(sub.slug).mistakes if m.id == sub.expect), None)


def test_catalogue_lists_the_contract_order() -> None:
    """``python -m graders list`` order: the catalogue starts with the contract's slugs, in order."""
    slugs = graders.Catalogue().slugs()
    assert slugs[: len(PRESENT)] == list(PRESENT)


@pytest.mark.parametrize("slug", PRESENT)
def test_catalogue_loads_and_validates(slug: str) -> None:
    """The grader's own loader accepts the folder: info, trusted modules, mistakes and the signature."""
    exercise = graders.get_exercise(slug)
    loaded = exercise.content()
    assert exercise.function == slug and exercise.max_score == 10
    assert {m.id for m in loaded.mistakes} == {m.id for m in content(slug).mistakes}
    starter = ast.parse(exercise.starter_code)
    fn = next(n for n in starter.body if isinstance(n, ast.FunctionDef) and n.name == slug)
    assert loaded.argument_names == tuple(a.arg for a in fn.args.args)


@pytest.mark.parametrize("slug", PRESENT)
def test_course_solution_gets_full_marks(slug: str) -> None:
    """The clean course-style solution.py passes every public and hidden case."""
    v = verdict(slug, (EXERCISES / slug / "solution.py").read_text(encoding="utf-8"))
    assert full_marks(v), v


@pytest.mark.parametrize("slug", PRESENT)
def test_untouched_starter_is_an_error_not_a_crash(slug: str) -> None:
    """Submitting the starter as is yields a verdict with no points (its blanks are None)."""
    v = verdict(slug, (EXERCISES / slug / "starter.py").read_text(encoding="utf-8"))
    assert v["status"] in {"error", "failed"} and v["score"] == 0, v


@pytest.mark.parametrize("sub", ALTERNATIVES, ids=lambda s: s.id)
def test_correct_but_different_solution_gets_full_marks(sub: Submission) -> None:
    """Stacked weights, `@`, an own softmax, vectorised or loop forms: all get full marks."""
    v = verdict(sub.slug, sub.code)
    assert full_marks(v), v


@pytest.mark.parametrize("sub", BUGGY_SUBMISSIONS, ids=lambda s: s.id)
def test_buggy_submission_is_caught(sub: Submission) -> None:
    """Every realistic buggy submission loses points."""
    v = verdict(sub.slug, sub.code)
    assert v["status"] != "passed" and v["score"] < v["max_score"], v


def test_most_buggy_submissions_are_named() -> None:
    """At least 80% of the buggy submissions get feedback that quotes their mistake's message."""
    unnamed, ambiguous = [], []
    for sub in BUGGY_SUBMISSIONS:
        v = verdict(sub.slug, sub.code)
        message = expected_message(sub)
        if message is None or not names(v, message):
            unnamed.append(sub.id)
        elif any(names(v, m.message) for m in content(sub.slug).mistakes if m.id != sub.expect):
            ambiguous.append(sub.id)  # named, alongside other candidate mistakes
    total = len(BUGGY_SUBMISSIONS)
    rate = 1 - len(unnamed) / total
    print(f"named {total - len(unnamed)}/{total} ({rate:.0%}); unnamed: {unnamed}; "
          f"named with other candidates: {ambiguous}")
    assert rate >= NAMED_RATE_GOAL, unnamed
