"""The exercise catalogue for the web: what ``graders`` knows, with statements rendered to HTML + MathML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select

from quizapp.content.render import markdown_to_html
from quizapp.errors import NotFound
from quizapp.extensions import db
from quizapp.models import Grading, Submission, User


@dataclass(frozen=True)
class ExerciseInfo:
    """One exercise as the web shows it."""

    slug: str
    title: str
    function: str
    points: float
    version: int
    statement_md: str
    starter_code: str

    @property
    def max_score(self) -> float:
        """The most points a submission can earn."""
        return self.points


def _info(exercise: Any) -> ExerciseInfo:
    data = exercise.to_dict()
    return ExerciseInfo(
        slug=str(data["slug"]),
        title=str(data["title"]),
        function=str(data["function"]),
        points=float(data["max_score"]),
        version=int(data["version"]),
        statement_md=str(data["statement_md"]),
        starter_code=str(data["starter_code"]),
    )


def catalogue() -> list[ExerciseInfo]:
    """Every exercise, in catalogue order."""
    import graders

    return [_info(exercise) for exercise in graders.list_exercises()]


def find(slug: str) -> ExerciseInfo | None:
    """The exercise with this slug, or None."""
    import graders

    try:
        return _info(graders.get_exercise(slug))
    except graders.UnknownExercise:
        return None


def get(slug: str) -> ExerciseInfo:
    """The exercise with this slug; NotFound if there is none."""
    exercise = find(slug)
    if exercise is None:
        raise NotFound(f"No exercise {slug!r}.", code="unknown_exercise")
    return exercise


_HEADING = re.compile(r"<(/?)h([1-5])>")


@lru_cache(maxsize=64)
def _render(slug: str, version: int, title: str, markdown: str) -> str:
    html = markdown_to_html(markdown)
    # The page's <h1> is the title: drop the statement's own title heading and shift the rest so that the
    # statement's top level is <h2>, right under the page's <h1> (no skipped levels).
    html = re.sub(rf"^<h1>{re.escape(title)}</h1>\s*", "", html)
    levels = [int(m.group(2)) for m in _HEADING.finditer(html) if not m.group(1)]
    shift = 2 - min(levels) if levels else 0
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", html)


def statement_html(exercise: ExerciseInfo) -> str:
    """The statement as HTML with the formulas as MathML (rendered on the server, cached)."""
    return _render(exercise.slug, exercise.version, exercise.title, exercise.statement_md)


def summary_dict(exercise: ExerciseInfo) -> dict[str, Any]:
    """An exercise in the API's list."""
    return {
        "slug": exercise.slug,
        "title": exercise.title,
        "function": exercise.function,
        "max_score": exercise.max_score,
        "version": exercise.version,
    }


def detail_dict(exercise: ExerciseInfo) -> dict[str, Any]:
    """One exercise in the API, with its statement and starter code."""
    return {
        **summary_dict(exercise),
        "statement_html": statement_html(exercise),
        "starter_code": exercise.starter_code,
    }


# The course page's two statements, built once with bound parameters (building them cost SQLAlchemy about
# as much as running them). Exercises whose best score is one an instructor set (the latest grading of that
# submission is an override) are found so the list can say so.
_BEST_AND_COUNT = (
    select(Submission.exercise_slug, func.max(Submission.score), func.count())
    .where(Submission.user_id == bindparam("user_id"))
    .group_by(Submission.exercise_slug)
)
_LATEST_GRADING = (
    select(Grading.submission_id, func.max(Grading.id).label("last"))
    .join(Submission, Submission.id == Grading.submission_id)
    .where(Submission.user_id == bindparam("user_id"))
    .group_by(Grading.submission_id)
    .subquery()
)
_OVERRIDDEN_SCORES = (
    select(Submission.exercise_slug, Submission.score)
    .join(_LATEST_GRADING, _LATEST_GRADING.c.submission_id == Submission.id)
    .join(Grading, Grading.id == _LATEST_GRADING.c.last)
    .where(Grading.kind == "override")
)


def overview_for(user: User) -> list[dict[str, Any]]:
    """Each exercise with this user's best score (None until one is graded) and number of submissions."""
    rows = db.session.execute(_BEST_AND_COUNT, {"user_id": user.id}).all()
    stats: dict[str, tuple[float | None, int]] = {row[0]: (row[1], row[2]) for row in rows}
    overridden_scores = db.session.execute(_OVERRIDDEN_SCORES, {"user_id": user.id}).all()
    result: list[dict[str, Any]] = []
    for exercise in catalogue():
        best, attempts = stats.get(exercise.slug, (None, 0))
        overridden = any(slug == exercise.slug and score == best for slug, score in overridden_scores)
        result.append({"exercise": exercise, "best": best, "attempts": attempts, "overridden": overridden})
    return result


def slugs() -> Sequence[str]:
    """The exercise slugs in catalogue order."""
    return [exercise.slug for exercise in catalogue()]
