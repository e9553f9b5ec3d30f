"""Classical item analysis of a quiz: facility, discrimination, distractors and flags.

Pure functions over plain data: the views load the attempts and hand them in.

* **Facility index** of a question: the mean share of its points that students earned, in percent
  (with all-or-nothing marking this is simply the percentage who got it right).
* **Discrimination index** (the one that is flagged): the *corrected item–rest* correlation, i.e. the
  Pearson correlation between the question's score and the total of the *other* questions. For a
  right/wrong item this is the point-biserial correlation; leaving the item out of the total keeps it
  from correlating with itself. It is undefined (``None``) when either side has no variance.
* **Upper–lower index** (shown alongside): the mean item score of the top 27% of students by total
  minus that of the bottom 27% (group size ``round(0.27 n)``, at least one).
* **Distractor table:** how often each option was ticked, overall and in the top and bottom thirds
  (``n // 3`` students each) by total score.
* **Flags:** discrimination below 0.2, or a distractor ticked by more of the top third than the key
  (for several correct options, than the least-ticked of them).

Ranking ties are broken by the student's key (their email), so every figure is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, TypeVar

LOW_DISCRIMINATION = 0.2
# Below about 30 students, correlations and alpha swing widely from one student to the next.
RELIABLE_MIN_STUDENTS = 30
UPPER_LOWER_SHARE = 0.27
Which = Literal["first", "best"]


@dataclass(frozen=True)
class ItemSpec:
    """What a question is: its options in display order, its key and its points."""

    id: str
    options: tuple[str, ...]
    key: frozenset[str]
    points: float


@dataclass(frozen=True)
class Response:
    """One student's marked answer to one question."""

    selected: frozenset[str]
    points: float


BLANK = Response(frozenset(), 0.0)


@dataclass(frozen=True)
class Sitting:
    """The attempt analysed for one student: who (a sortable key) and their answers by question id."""

    student: str
    responses: Mapping[str, Response]

    def response(self, item_id: str) -> Response:
        """The answer to one question; an unanswered question counts as blank with no points."""
        return self.responses.get(item_id, BLANK)

    def total(self, items: Sequence[ItemSpec]) -> float:
        """Points earned on the given questions."""
        return sum(self.response(item.id).points for item in items)


@dataclass(frozen=True)
class OptionRow:
    """How often one option was ticked: overall, by the top third and by the bottom third."""

    option: str
    is_key: bool
    count: int
    share: float | None
    top_count: int
    top_share: float | None
    bottom_count: int
    bottom_share: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    """Every figure for one question."""

    id: str
    responses: int
    blank: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    options: list[OptionRow]
    flags: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """Whether the question looks possibly flawed."""
        return bool(self.flags)


@dataclass(frozen=True)
class QuizAnalysis:
    """Item analysis of a whole quiz for one choice of attempts."""

    students: int
    mean_total: float | None
    max_total: float
    alpha: float | None
    items: list[ItemAnalysis]
    reliable: bool = False
    caution: str | None = None


# --- statistics --------------------------------------------------------------------------------


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None


def population_variance(values: Sequence[float]) -> float | None:
    """The variance with divisor n, or None for no values."""
    centre = mean(values)
    if centre is None:
        return None
    return sum((v - centre) ** 2 for v in values) / len(values)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when there are fewer than two pairs or either side is constant."""
    if len(xs) != len(ys):
        raise ValueError("pearson needs two sequences of equal length")
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def ranked(sittings: Iterable[Sitting], items: Sequence[ItemSpec]) -> list[Sitting]:
    """Sittings from highest to lowest total; ties broken by the student key, ascending."""
    return sorted(sittings, key=lambda s: (-s.total(items), s.student))


def group_size(n: int, share: float) -> int:
    """How many students make up a top or bottom group of ``share`` of ``n`` (round half up, ≥ 1)."""
    if n < 2:
        return 0
    return max(1, math.floor(share * n + 0.5))


def thirds(sittings: Sequence[Sitting], items: Sequence[ItemSpec]) -> tuple[list[Sitting], list[Sitting]]:
    """The top and bottom thirds (``n // 3`` students each) by total score."""
    order = ranked(sittings, items)
    k = len(order) // 3
    return order[:k], (order[-k:] if k else [])


# --- per-question figures ------------------------------------------------------------------------


def fraction(item: ItemSpec, sitting: Sitting) -> float:
    """The share of the question's points this student earned (0..1)."""
    return sitting.response(item.id).points / item.points if item.points else 0.0


def facility(item: ItemSpec, sittings: Sequence[Sitting]) -> float | None:
    """Mean share of the question's points earned, in percent."""
    if not sittings or not item.points:
        return None
    return 100.0 * sum(fraction(item, s) for s in sittings) / len(sittings)


def item_rest_correlation(
    item: ItemSpec, sittings: Sequence[Sitting], items: Sequence[ItemSpec]
) -> float | None:
    """Corrected discrimination: correlation of the item's score with the total of the other items."""
    scores = [s.response(item.id).points for s in sittings]
    rests = [s.total(items) - score for s, score in zip(sittings, scores, strict=True)]
    return pearson(scores, rests)


def upper_lower_index(
    item: ItemSpec, sittings: Sequence[Sitting], items: Sequence[ItemSpec], share: float = UPPER_LOWER_SHARE
) -> float | None:
    """Mean item score (as a share of its points) of the top group minus the bottom group."""
    k = group_size(len(sittings), share)
    if k == 0:
        return None
    order = ranked(sittings, items)
    upper = sum(fraction(item, s) for s in order[:k]) / k
    lower = sum(fraction(item, s) for s in order[-k:]) / k
    return upper - lower


def _share(count: int, n: int) -> float | None:
    return count / n if n else None


def distractor_table(
    item: ItemSpec, sittings: Sequence[Sitting], items: Sequence[ItemSpec]
) -> list[OptionRow]:
    """Per option: how many ticked it overall, in the top third and in the bottom third."""
    top, bottom = thirds(sittings, items)

    def ticked(group: Sequence[Sitting], option: str) -> int:
        return sum(1 for s in group if option in s.response(item.id).selected)

    rows = []
    for option in item.options:
        n_all, n_top, n_bottom = ticked(sittings, option), ticked(top, option), ticked(bottom, option)
        rows.append(
            OptionRow(
                option=option,
                is_key=option in item.key,
                count=n_all,
                share=_share(n_all, len(sittings)),
                top_count=n_top,
                top_share=_share(n_top, len(top)),
                bottom_count=n_bottom,
                bottom_share=_share(n_bottom, len(bottom)),
            )
        )
    return rows


def flags_for(discrimination: float | None, options: Sequence[OptionRow], top_size: int) -> list[str]:
    """Why a question may be flawed: low discrimination, or the top third preferring a distractor."""
    flags = []
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(f"discrimination {discrimination:.2f} is below {LOW_DISCRIMINATION}")
    key_counts = [row.top_count for row in options if row.is_key]
    if top_size and key_counts:
        weakest_key = min(key_counts)
        for row in options:
            if not row.is_key and row.top_count > weakest_key:
                flags.append(
                    f"distractor {row.option} was ticked by {row.top_count} of the top third, "
                    f"more than the key ({weakest_key})"
                )
    return flags


def cronbach_alpha(sittings: Sequence[Sitting], items: Sequence[ItemSpec]) -> float | None:
    """Internal consistency of the quiz (KR-20 for right/wrong items); None when undefined."""
    if len(items) < 2 or len(sittings) < 2:
        return None
    total_var = population_variance([s.total(items) for s in sittings])
    if not total_var:
        return None
    item_vars = sum(population_variance([s.response(i.id).points for s in sittings]) or 0.0 for i in items)
    k = len(items)
    return k / (k - 1) * (1 - item_vars / total_var)


def small_sample_caution(n: int) -> str | None:
    """In words, why figures from ``n`` students should not be trusted; None from about 30 students up."""
    if n >= RELIABLE_MIN_STUDENTS:
        return None
    if n == 0:
        return "No submitted attempts yet: there is nothing to analyse."
    who = "1 student" if n == 1 else f"{n} students"
    return (
        f"Only {who} (n = {n}): statistics from fewer than about {RELIABLE_MIN_STUDENTS} attempts are "
        "unreliable. Discrimination and Cronbach's α can swing widely when one more student answers, and "
        "values such as 1.00 or flags on a question are not evidence that it works well or is flawed."
    )


def analyse(items: Sequence[ItemSpec], sittings: Sequence[Sitting]) -> QuizAnalysis:
    """Item analysis of a quiz for the given sittings (one per student)."""
    top, _ = thirds(sittings, items)
    results = []
    for item in items:
        discrimination = item_rest_correlation(item, sittings, items)
        options = distractor_table(item, sittings, items)
        results.append(
            ItemAnalysis(
                id=item.id,
                responses=len(sittings),
                blank=sum(1 for s in sittings if not s.response(item.id).selected),
                facility=facility(item, sittings),
                discrimination=discrimination,
                upper_lower=upper_lower_index(item, sittings, items),
                options=options,
                flags=flags_for(discrimination, options, len(top)),
            )
        )
    totals = [s.total(items) for s in sittings]
    return QuizAnalysis(
        students=len(sittings),
        mean_total=mean(totals),
        max_total=sum(item.points for item in items),
        alpha=cronbach_alpha(sittings, items),
        items=results,
        reliable=len(sittings) >= RELIABLE_MIN_STUDENTS,
        caution=small_sample_caution(len(sittings)),
    )


# --- adapters from the quiz definition and stored attempts --------------------------------------


class OptionLike(Protocol):
    """Anything with an option id."""

    @property
    def id(self) -> str: ...


class QuestionLike(Protocol):
    """The parts of a quiz question that item analysis needs."""

    @property
    def id(self) -> str: ...
    @property
    def options(self) -> Sequence[OptionLike]: ...
    @property
    def correct(self) -> Sequence[str]: ...
    @property
    def points(self) -> float: ...


class AnswerLike(Protocol):
    """A stored, marked answer."""

    @property
    def question_id(self) -> str: ...
    @property
    def selected(self) -> Sequence[object]: ...
    @property
    def points(self) -> float | None: ...


class AttemptLike(Protocol):
    """A stored quiz attempt."""

    @property
    def id(self) -> int: ...
    @property
    def user_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def answers(self) -> Sequence[AnswerLike]: ...


A = TypeVar("A", bound=AttemptLike)


def specs_from_questions(questions: Iterable[QuestionLike]) -> list[ItemSpec]:
    """Item specs from a quiz definition's questions."""
    return [
        ItemSpec(
            id=q.id,
            options=tuple(o.id for o in q.options),
            key=frozenset(q.correct),
            points=float(q.points),
        )
        for q in questions
    ]


def choose_attempts(attempts: Iterable[A], which: Which) -> list[A]:
    """One submitted attempt per student: their first, or their best (ties go to the earlier one)."""
    chosen: dict[int, A] = {}
    for attempt in attempts:
        if attempt.status != "submitted" or attempt.score is None:
            continue
        held = chosen.get(attempt.user_id)
        if held is None or _preferred(attempt, held, which):
            chosen[attempt.user_id] = attempt
    return list(chosen.values())


def _preferred(candidate: AttemptLike, held: AttemptLike, which: Which) -> bool:
    earlier = (candidate.started_at, candidate.id) < (held.started_at, held.id)
    if which == "first":
        return earlier
    assert candidate.score is not None and held.score is not None
    return candidate.score > held.score or (candidate.score == held.score and earlier)


def sitting_from_attempt(attempt: AttemptLike, student: str) -> Sitting:
    """A sitting from a submitted attempt's marked answers."""
    return Sitting(
        student=student,
        responses={
            a.question_id: Response(frozenset(str(o) for o in a.selected), float(a.points or 0.0))
            for a in attempt.answers
        },
    )
