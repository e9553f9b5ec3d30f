"""Exercise analytics: which test cases fail, which named mistakes students make, attempts to pass.

The figures are computed from each graded submission's current verdict (the verdict JSON's ``cases``,
``status`` and, when the grader diagnosed one, the named ``mistakes``). Hidden cases are aggregated by
the name the verdict gives them (their names describe the edge profile, e.g. ``hidden 1: m=1``), or by
their position among the hidden cases when they come without a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Submission, User

TOP_MISTAKES = 10


@dataclass(frozen=True)
class CaseStat:
    """How often one test case failed."""

    name: str
    hidden: bool
    runs: int
    failures: int

    @property
    def failure_rate(self) -> float:
        """Failures over runs (0..1)."""
        return self.failures / self.runs if self.runs else 0.0


@dataclass(frozen=True)
class MistakeStat:
    """A named mistake, how many submissions (and students) made it, and the latest example."""

    id: str
    message: str
    submissions: int
    students: int
    example_submission_id: int


@dataclass(frozen=True)
class GradedSubmission:
    """What the analytics need from one submission."""

    id: int
    user_id: int
    verdict: Mapping[str, Any]


@dataclass(frozen=True)
class ExerciseAnalytics:
    """All analytics for one exercise."""

    slug: str
    submissions: int
    graded: int
    students: int
    statuses: dict[str, int]
    cases: list[CaseStat]
    mistakes: list[MistakeStat]
    attempts_to_pass: list[tuple[int, int]]
    never_passed: int


def case_key(case: Mapping[str, Any], hidden_position: int) -> str:
    """The name a case is aggregated under: its own name, or ``hidden #k`` for an unnamed hidden case."""
    name = case.get("name")
    if isinstance(name, str) and name.strip():
        return name
    return f"hidden #{hidden_position}" if case.get("hidden") else "unnamed case"


def case_failure_rates(verdicts: Iterable[Mapping[str, Any]]) -> list[CaseStat]:
    """Per case, how many verdicts ran it and how many failed it; public cases first, in verdict order."""
    runs: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    hidden: dict[str, bool] = {}
    for verdict in verdicts:
        cases = verdict.get("cases")
        if not isinstance(cases, list):
            continue
        hidden_position = 0
        for case in cases:
            if not isinstance(case, Mapping):
                continue
            is_hidden = bool(case.get("hidden"))
            hidden_position += is_hidden
            key = case_key(case, hidden_position)
            hidden.setdefault(key, is_hidden)
            runs[key] += 1
            failures[key] += not case.get("passed")
    order = sorted(hidden, key=lambda k: hidden[k])  # stable: first-seen order within public, then hidden
    return [CaseStat(name=k, hidden=hidden[k], runs=runs[k], failures=failures[k]) for k in order]


def mistakes_in(verdict: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The named mistakes a verdict reports, as (id, message); entries may be ids or {id, message}."""
    found: list[tuple[str, str]] = []
    raw = verdict.get("mistakes")
    if not isinstance(raw, list):
        return found
    for entry in raw:
        if isinstance(entry, str) and entry:
            found.append((entry, ""))
        elif isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            found.append((entry["id"], str(entry.get("message") or "")))
    return found


def common_mistakes(
    submissions: Iterable[GradedSubmission],
    messages: Mapping[str, str] | None = None,
    top: int = TOP_MISTAKES,
) -> list[MistakeStat]:
    """The most frequent named mistakes, each with submission and student counts and its latest example.

    ``messages`` explains mistakes whose verdicts carry only the id.
    """
    counts: Counter[str] = Counter()
    students: dict[str, set[int]] = {}
    reported: dict[str, str] = {}
    example: dict[str, int] = {}
    for sub in submissions:
        for mistake_id, message in dict(mistakes_in(sub.verdict)).items():
            counts[mistake_id] += 1
            students.setdefault(mistake_id, set()).add(sub.user_id)
            if message or mistake_id not in reported:
                reported[mistake_id] = message
            example[mistake_id] = max(example.get(mistake_id, sub.id), sub.id)
    ranked = sorted(counts, key=lambda m: (-counts[m], m))[:top]
    return [
        MistakeStat(
            id=m,
            message=reported[m] or (messages or {}).get(m, ""),
            submissions=counts[m],
            students=len(students[m]),
            example_submission_id=example[m],
        )
        for m in ranked
    ]


def attempts_until_pass(
    statuses_by_student: Mapping[int, Sequence[str]],
) -> tuple[list[tuple[int, int]], int]:
    """From each student's verdict statuses in submission order: a histogram of the number of attempts up
    to and including the first ``passed`` as (attempts, students), and how many have not passed yet."""
    histogram: Counter[int] = Counter()
    never = 0
    for statuses in statuses_by_student.values():
        try:
            histogram[list(statuses).index("passed") + 1] += 1
        except ValueError:
            never += 1
    return sorted(histogram.items()), never


def analyse_exercise(slug: str, messages: Mapping[str, str] | None = None) -> ExerciseAnalytics:
    """Analytics over students' submissions to one exercise (instructors' own tries are left out).

    ``messages`` maps mistake ids to their explanations, for verdicts that name only the id.
    """
    rows = db.session.execute(
        select(Submission.id, Submission.user_id, Submission.status, Submission.verdict)
        .join(User, User.id == Submission.user_id)
        .where(Submission.exercise_slug == slug, User.role == "student")
        .order_by(Submission.queued_at, Submission.id)
    ).all()
    graded = [
        GradedSubmission(id=r.id, user_id=r.user_id, verdict=r.verdict)
        for r in rows
        if r.status == "graded" and isinstance(r.verdict, Mapping)
    ]
    by_student: dict[int, list[str]] = {}
    for sub in graded:
        by_student.setdefault(sub.user_id, []).append(str(sub.verdict.get("status")))
    histogram, never = attempts_until_pass(by_student)
    return ExerciseAnalytics(
        slug=slug,
        submissions=len(rows),
        graded=len(graded),
        students=len({r.user_id for r in rows}),
        statuses=dict(Counter(str(s.verdict.get("status")) for s in graded).most_common()),
        cases=case_failure_rates(s.verdict for s in graded),
        mistakes=common_mistakes(graded, messages),
        attempts_to_pass=histogram,
        never_passed=never,
    )
