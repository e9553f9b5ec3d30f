"""Quiz attempts: starting with a stored shuffle, autosaving, submitting, scoring and the attempt policy."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from quizapp.content.quizzes import Option, Question, QuizDefinition, all_quizzes, get_quiz
from quizapp.errors import BadRequest, Conflict, NotFound, TooManyRequests, ValidationFailed
from quizapp.extensions import db
from quizapp.models import QuizAnswer, QuizAttempt
from quizapp.models.types import utcnow
from quizapp.services import schedules
from quizapp.services.throttle import serialise_account

AnswerMap = dict[str, list[str]]
DEFAULT_QUIZ_SLUG = "rnn-week1"
MAX_SEED = 2**31 - 1
# Scores are sums of fractions; rounding keeps 0.1 + 0.2 from showing up as 0.30000000000000004.
SCORE_DIGITS = 6


@dataclass(frozen=True)
class OptionReview:
    """How one option fared in a submitted attempt."""

    id: str
    html: str
    selected: bool
    correct: bool
    feedback_html: str | None


@dataclass(frozen=True)
class QuestionResult:
    """One question of a submitted attempt.

    While the key is withheld, ``explanation_html`` is None and ``options`` lists only the chosen options
    (whether each was right, and its feedback); once shown, ``options`` lists every option.
    """

    question: str
    correct: bool
    points: float
    max_points: float
    selected: list[str]
    explanation_html: str | None
    options: list[OptionReview]

    def to_dict(self) -> dict[str, Any]:
        """The contract's result item, plus the selection and the per-option review."""
        return {
            "question": self.question,
            "correct": self.correct,
            "points": self.points,
            "max_points": self.max_points,
            "selected": self.selected,
            "explanation_html": self.explanation_html,
            "options": [
                {"id": o.id, "selected": o.selected, "correct": o.correct, "feedback_html": o.feedback_html}
                for o in self.options
            ],
        }


@dataclass(frozen=True)
class AttemptResult:
    """The outcome of a submitted attempt."""

    attempt_id: int
    quiz: str
    score: float
    max_score: float
    passed: bool
    auto_submitted: bool
    submitted_at: datetime
    explanations_shown: bool
    review: str
    results: list[QuestionResult]

    def to_dict(self) -> dict[str, Any]:
        """The submit response of the API contract (with a few extra keys)."""
        return {
            "id": self.attempt_id,
            "quiz": self.quiz,
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "auto_submitted": self.auto_submitted,
            "submitted_at": self.submitted_at.isoformat(),
            "explanations_shown": self.explanations_shown,
            "review": self.review,
            "results": [result.to_dict() for result in self.results],
        }


@dataclass(frozen=True)
class SavedAnswers:
    """An open attempt's answers as stored by an autosave."""

    attempt_id: int
    status: str
    answers: AnswerMap


@dataclass(frozen=True)
class Allowance:
    """Where a student stands against the attempt limit."""

    used: int
    limit: int | None
    retry_after: int | None

    @property
    def remaining(self) -> int | None:
        """Attempts left in the current window, or None when unlimited."""
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass
class QuizSummary:
    """What the course page shows for one quiz: attempts, best score, what the student can do next."""

    quiz: QuizDefinition
    attempts: list[QuizAttempt] = field(default_factory=list)
    counted_score: float | None = None
    passed: bool = False
    open_attempt: QuizAttempt | None = None
    allowance: Allowance | None = None


# --- scoring ---------------------------------------------------------------------------------------


def score_question(question: Question, selected: Sequence[str], scoring: str) -> float:
    """Points earned: all-or-nothing, or net-correct partial credit (right ticks minus wrong ones)."""
    chosen = set(selected)
    key = set(question.correct)
    if scoring == "net_correct":
        net = len(chosen & key) - len(chosen - key)
        return round(question.points * max(0, net) / len(key), SCORE_DIGITS)
    return question.points if chosen == key else 0.0


# --- shuffling -------------------------------------------------------------------------------------


def option_order_for(quiz: QuizDefinition, seed: int) -> dict[str, list[str]]:
    """The option order of every question for this seed; the same seed always gives the same order."""
    order = {}
    for question in quiz.questions:
        ids = question.option_ids
        if question.shuffle:
            random.Random(f"{seed}:{question.id}").shuffle(ids)
        order[question.id] = ids
    return order


def ordered_questions(attempt: QuizAttempt, quiz: QuizDefinition) -> list[tuple[Question, list[Option]]]:
    """The attempt's questions with their options in its stored order (options added later go last)."""
    stored = attempt.option_order or {}
    items = []
    for question in quiz.questions:
        known = question.option_ids
        ids = [i for i in stored.get(question.id, []) if i in known]
        ids += [i for i in known if i not in ids]
        items.append((question, [question.option(i) for i in ids]))
    return items


# --- answers ---------------------------------------------------------------------------------------


def parse_answers(raw: object) -> AnswerMap:
    """Check the shape ``{"q1": ["a"], ...}`` of submitted answers; raises BadRequest when it is wrong."""
    if not isinstance(raw, dict):
        raise BadRequest('"answers" must be an object mapping question ids to lists of option ids.')
    answers: AnswerMap = {}
    for question_id, selected in raw.items():
        if not isinstance(selected, list) or not all(isinstance(item, str) for item in selected):
            raise BadRequest(f'answers["{question_id}"] must be a list of option ids (strings).')
        answers[str(question_id)] = list(selected)
    return answers


def _normalised(quiz: QuizDefinition, answers: Mapping[str, Sequence[str]]) -> AnswerMap:
    """Check ids against the quiz and return each selection in the quiz's option order."""
    clean: AnswerMap = {}
    for question_id, selected in answers.items():
        try:
            question = quiz.question(question_id)
        except KeyError:
            raise ValidationFailed(f"There is no question {question_id!r} in this quiz.") from None
        unknown = sorted(set(selected) - set(question.option_ids))
        if unknown:
            raise ValidationFailed(f"Question {question_id} has no option {', '.join(map(repr, unknown))}.")
        if question.kind == "single" and len(set(selected)) > 1:
            raise ValidationFailed(f"Question {question_id} takes a single answer.")
        clean[question_id] = [i for i in question.option_ids if i in set(selected)]
    return clean


def saved_answers(attempt: QuizAttempt) -> AnswerMap:
    """The selections stored for an attempt, by question id."""
    return {answer.question_id: list(answer.selected) for answer in attempt.answers}


def _store(attempt: QuizAttempt, answers: AnswerMap, now: datetime) -> None:
    rows = {answer.question_id: answer for answer in attempt.answers}
    for question_id, selected in answers.items():
        row = rows.get(question_id)
        if row is None:
            attempt.answers.append(QuizAnswer(question_id=question_id, selected=selected, saved_at=now))
        elif list(row.selected) != selected:
            row.selected = selected
            row.saved_at = now


# --- the attempt lifecycle --------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


# The statements of the course page, the quiz page and the quiz API, built once with bound parameters:
# building one and working out its cache key cost SQLAlchemy about as much as running it.
_OF_STUDENT = QuizAttempt.user_id == bindparam("user_id")
_OF_QUIZ = QuizAttempt.quiz_slug == bindparam("slug")
_SUBMITTED = QuizAttempt.status == "submitted"
_ATTEMPTS_OF = select(QuizAttempt).where(_OF_STUDENT)
_ATTEMPTS_OLDEST_FIRST = _ATTEMPTS_OF.order_by(QuizAttempt.id)
_RUN_OUT = (QuizAttempt.status == "open", QuizAttempt.deadline_at <= bindparam("now"))
_EXPIRED = select(QuizAttempt).where(*_RUN_OUT).with_for_update()
_EXPIRED_OF = _ATTEMPTS_OF.where(*_RUN_OUT).with_for_update()
_STARTS = select(QuizAttempt.started_at).where(_OF_STUDENT, _OF_QUIZ)
_LAST_ORDER = (
    select(QuizAttempt.option_order).where(_OF_STUDENT, _OF_QUIZ).order_by(QuizAttempt.id.desc()).limit(1)
)
_ATTEMPT = select(QuizAttempt).where(QuizAttempt.id == bindparam("attempt_id"))
_ATTEMPT_LOCKED = _ATTEMPT.with_for_update().execution_options(populate_existing=True)
_BEST_SUBMITTED = select(func.max(QuizAttempt.score)).where(_OF_STUDENT, _OF_QUIZ, _SUBMITTED)
_SUBMITTED_COUNT = select(func.count(QuizAttempt.id)).where(_OF_STUDENT, _OF_QUIZ, _SUBMITTED)
_SUBMITTED_COUNT_SINCE = _SUBMITTED_COUNT.where(QuizAttempt.started_at > bindparam("since"))


def allowance(user_id: int, quiz: QuizDefinition, now: datetime | None = None) -> Allowance:
    """How many attempts the student has used in the current window, and when the next one frees up."""
    started = db.session.scalars(_STARTS, {"user_id": user_id, "slug": quiz.slug})
    return _allowance(list(started), quiz, _now(now))


def _allowance(started_at: list[datetime], quiz: QuizDefinition, moment: datetime) -> Allowance:
    """The allowance given when each of the student's attempts at ``quiz`` started (those before the
    window are left out here, so the course page's summary and the limit count alike)."""
    settings = quiz.settings
    window = timedelta(hours=settings.window_hours) if settings.window_hours else None
    started = sorted(at for at in started_at if window is None or at > moment - window)
    retry_after = None
    if settings.max_attempts is not None and len(started) >= settings.max_attempts and window is not None:
        frees_at = started[len(started) - settings.max_attempts] + window
        retry_after = max(1, math.ceil((frees_at - moment).total_seconds()))
    return Allowance(used=len(started), limit=settings.max_attempts, retry_after=retry_after)


def start_attempt(
    user_id: int, quiz: QuizDefinition, *, now: datetime | None = None, seed: int | None = None
) -> QuizAttempt:
    """Open a new attempt with its own seeded, stored option shuffle; enforces the attempt limit."""
    moment = _now(now)
    schedules.check_open(quiz.slug, user_id, moment)  # Closed (403) outside the student's window
    # Serialise starts per student so two concurrent requests cannot both take the last attempt.
    serialise_account(user_id)
    _close_expired(_EXPIRED_OF, moment, user_id)
    standing = allowance(user_id, quiz, moment)
    if standing.limit is not None and standing.used >= standing.limit:
        db.session.commit()
        window = f" in {quiz.settings.window_hours:g} hours" if quiz.settings.window_hours else ""
        raise TooManyRequests(
            f"You have used all {standing.limit} attempts{window} for this quiz.",
            code="attempt_limit",
            retry_after=standing.retry_after,
        )
    previous = db.session.scalar(_LAST_ORDER, {"user_id": user_id, "slug": quiz.slug})
    chosen = seed if seed is not None else secrets.randbelow(MAX_SEED)
    order = option_order_for(quiz, chosen)
    # A fresh attempt should look different from the last one; re-draw the rare identical shuffle.
    for _ in range(20):
        if seed is not None or order != previous:
            break
        chosen = secrets.randbelow(MAX_SEED)
        order = option_order_for(quiz, chosen)
    limit = quiz.settings.time_limit_minutes
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_slug=quiz.slug,
        quiz_version=quiz.version,
        seed=chosen,
        option_order=order,
        status="open",
        started_at=moment,
        deadline_at=moment + timedelta(minutes=limit) if limit else None,
        auto_submitted=False,
        max_score=quiz.max_score,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def is_expired(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Whether an open attempt has run past its time limit."""
    return attempt.status == "open" and attempt.deadline_at is not None and _now(now) >= attempt.deadline_at


def _close(attempt: QuizAttempt, quiz: QuizDefinition, when: datetime, *, auto: bool) -> None:
    """Mark every question and close the attempt (the caller commits)."""
    answers = saved_answers(attempt)
    _store(attempt, {q.id: answers.get(q.id, []) for q in quiz.questions}, when)
    total = 0.0
    for answer in attempt.answers:
        try:
            question = quiz.question(answer.question_id)
        except KeyError:
            answer.points, answer.correct = 0.0, False
            continue
        answer.points = score_question(question, answer.selected, quiz.scoring)
        answer.correct = answer.points >= question.points
        total += answer.points
    attempt.score = round(total, SCORE_DIGITS)
    attempt.max_score = quiz.max_score
    attempt.status = "submitted"
    attempt.auto_submitted = auto
    attempt.submitted_at = when
    attempt.days_late = schedules.window_for(attempt.quiz_slug, attempt.user_id).days_late(when)


def _close_expired(
    expired_query: Select[tuple[QuizAttempt]], now: datetime, user_id: int | None = None
) -> int:
    """Auto-submit the open attempts ``expired_query`` finds run out at ``now`` (``_EXPIRED``, or the
    student's: ``_EXPIRED_OF`` with ``user_id``); how many."""
    expired = db.session.scalars(expired_query, {"now": now, "user_id": user_id}).all()
    quizzes = all_quizzes()
    closed = 0
    for attempt in expired:
        quiz = quizzes.get(attempt.quiz_slug)
        if quiz is not None:
            _close(attempt, quiz, attempt.deadline_at or now, auto=True)
            closed += 1
    return closed


def close_expired_attempts(now: datetime | None = None) -> int:
    """Auto-submit every open attempt whose time is up, with its saved answers; returns how many."""
    closed = _close_expired(_EXPIRED, _now(now))
    db.session.commit()
    return closed


def load_attempt(
    user_id: int, attempt_id: int, *, now: datetime | None = None, for_update: bool = False
) -> QuizAttempt:
    """The student's own attempt (404 for anyone else's), auto-submitted first if its time is up."""
    # Writes lock the row so an autosave and a submit of the same attempt cannot interleave; a read locks
    # (and reads again) only the attempt it has found expired, to close it.
    found = {"attempt_id": attempt_id}
    attempt = db.session.scalar(_ATTEMPT_LOCKED if for_update else _ATTEMPT, found)
    if not for_update and attempt is not None and is_expired(attempt, now):
        attempt = db.session.scalar(_ATTEMPT_LOCKED, found)
    if attempt is None or attempt.user_id != user_id:
        db.session.rollback()
        raise NotFound("There is no such attempt.", code="unknown_attempt")
    if is_expired(attempt, now):
        _close(attempt, get_quiz(attempt.quiz_slug), attempt.deadline_at or _now(now), auto=True)
        db.session.commit()
    return attempt


def save_answers(
    user_id: int, attempt_id: int, answers: Mapping[str, Sequence[str]], *, now: datetime | None = None
) -> SavedAnswers:
    """Autosave part or all of an open attempt's answers; a closed attempt is a 409."""
    attempt = load_attempt(user_id, attempt_id, now=now, for_update=True)
    if attempt.status != "open":
        db.session.rollback()
        if attempt.auto_submitted:
            raise Conflict(
                "Time is up: this attempt was submitted automatically with the answers saved before the "
                "deadline.",
                code="attempt_closed",
            )
        raise Conflict(
            "This attempt has been submitted; its answers can no longer change.", code="attempt_closed"
        )
    _store(attempt, _normalised(get_quiz(attempt.quiz_slug), answers), _now(now))
    saved = SavedAnswers(attempt.id, attempt.status, saved_answers(attempt))  # before the commit expires it
    db.session.commit()
    return saved


def submit_attempt(
    user_id: int,
    attempt_id: int,
    answers: Mapping[str, Sequence[str]] | None = None,
    *,
    now: datetime | None = None,
) -> AttemptResult:
    """Merge ``answers`` over the saved ones, mark and close the attempt and return the result.

    Submitting again returns the same result; trying to change the answers of a closed attempt is a 409.
    """
    attempt = load_attempt(user_id, attempt_id, now=now, for_update=True)
    quiz = get_quiz(attempt.quiz_slug)
    if attempt.status != "open":
        if answers and _would_change(attempt, answers):
            db.session.rollback()
            reason = "it was already submitted"
            if attempt.auto_submitted:
                reason = "time ran out and it was submitted automatically"
            raise Conflict(
                f"This attempt is closed ({reason}); its answers can no longer change.", code="attempt_closed"
            )
        result = attempt_result(attempt, quiz)
        db.session.commit()
        return result
    moment = _now(now)
    _store(attempt, _normalised(quiz, answers or {}), moment)
    _close(attempt, quiz, moment, auto=False)
    # The result is read inside the transaction (its queries flush the marks first), so the commit
    # leaves nothing to load again.
    result = attempt_result(attempt, quiz)
    db.session.commit()
    return result


def _would_change(attempt: QuizAttempt, answers: Mapping[str, Sequence[str]]) -> bool:
    saved = saved_answers(attempt)
    return any(set(selected) != set(saved.get(question_id, [])) for question_id, selected in answers.items())


# --- results and standing ---------------------------------------------------------------------------


def has_passed(user_id: int, quiz: QuizDefinition) -> bool:
    """Whether any submitted attempt of the student reached the pass mark."""
    best = db.session.scalar(_BEST_SUBMITTED, {"user_id": user_id, "slug": quiz.slug})
    return best is not None and _passes(best, quiz)


def _passes(score: float, quiz: QuizDefinition) -> bool:
    return score + 1e-9 >= quiz.pass_score


def key_shown(user_id: int, quiz: QuizDefinition, now: datetime | None = None) -> bool:
    """Whether the student's reviews may show the key and explanations under the quiz's review policy.

    ``after_pass_or_last_attempt`` opens them once the student has passed, or has submitted the last
    attempt allowed: with a rolling window (``window_hours``), the last one the current window allows.
    When the window later gives an attempt back, the key closes again until that attempt is used.
    """
    policy = quiz.settings.review
    if policy != "after_pass_or_last_attempt":
        return policy == "always"
    if has_passed(user_id, quiz):
        return True
    limit = quiz.settings.max_attempts
    if limit is None:
        return False
    given: dict[str, Any] = {"user_id": user_id, "slug": quiz.slug}
    query = _SUBMITTED_COUNT
    if quiz.settings.window_hours:
        given["since"] = _now(now) - timedelta(hours=quiz.settings.window_hours)
        query = _SUBMITTED_COUNT_SINCE
    return (db.session.scalar(query, given) or 0) >= limit


def attempt_result(attempt: QuizAttempt, quiz: QuizDefinition) -> AttemptResult:
    """The result of a submitted attempt; the key and explanations only where the review policy allows."""
    if attempt.status != "submitted" or attempt.score is None or attempt.submitted_at is None:
        raise Conflict("This attempt has not been submitted yet.", code="attempt_open")
    shown = key_shown(attempt.user_id, quiz)
    rows = {answer.question_id: answer for answer in attempt.answers}
    results = []
    for question, options in ordered_questions(attempt, quiz):
        row = rows.get(question.id)
        selected = list(row.selected) if row else []
        points = row.points if row and row.points is not None else 0.0
        reviews = [
            OptionReview(o.id, o.html, o.id in selected, o.correct, o.feedback_html)
            for o in options
            if shown or o.id in selected
        ]
        results.append(
            QuestionResult(
                question=question.id,
                correct=bool(row and row.correct),
                points=points,
                max_points=question.points,
                selected=selected,
                explanation_html=question.explanation_html if shown else None,
                options=reviews,
            )
        )
    return AttemptResult(
        attempt_id=attempt.id,
        quiz=quiz.slug,
        score=attempt.score,
        max_score=attempt.max_score,
        passed=_passes(attempt.score, quiz),
        auto_submitted=attempt.auto_submitted,
        submitted_at=attempt.submitted_at,
        explanations_shown=shown,
        review=quiz.settings.review,
        results=results,
    )


def summaries(user_id: int, now: datetime | None = None) -> list[QuizSummary]:
    """One summary per quiz for the course page; expired attempts are closed first.

    One read of the student's attempts at every quiz; only when one of them has run out of time (rare)
    are they closed under a lock and read again.
    """
    moment = _now(now)
    mine = {"user_id": user_id}
    everything = list(db.session.scalars(_ATTEMPTS_OLDEST_FIRST, mine))
    if any(is_expired(attempt, moment) for attempt in everything):
        if _close_expired(_EXPIRED_OF, moment, user_id):
            db.session.commit()
        everything = list(db.session.scalars(_ATTEMPTS_OLDEST_FIRST, mine))
    by_quiz: dict[str, list[QuizAttempt]] = {}
    for attempt in everything:
        by_quiz.setdefault(attempt.quiz_slug, []).append(attempt)
    items = []
    for quiz in all_quizzes().values():
        attempts = by_quiz.get(quiz.slug, [])
        scores = [a.score for a in attempts if a.status == "submitted" and a.score is not None]
        counted = _counted(scores, quiz)
        items.append(
            QuizSummary(
                quiz=quiz,
                attempts=attempts,
                counted_score=counted,
                passed=any(_passes(s, quiz) for s in scores),
                open_attempt=next((a for a in reversed(attempts) if a.status == "open"), None),
                allowance=_allowance([a.started_at for a in attempts], quiz, moment),
            )
        )
    return items


def _counted(scores: list[float], quiz: QuizDefinition) -> float | None:
    if not scores:
        return None
    return scores[-1] if quiz.settings.counted_score == "latest" else max(scores)


def best_attempt_scores(
    session: Session | None = None, quiz_slug: str = DEFAULT_QUIZ_SLUG
) -> dict[int, float]:
    """Each student's best submitted score on a quiz, by user id (students with none are absent)."""
    rows = (session or db.session).execute(
        select(QuizAttempt.user_id, func.max(QuizAttempt.score))
        .where(QuizAttempt.quiz_slug == quiz_slug, QuizAttempt.status == "submitted")
        .group_by(QuizAttempt.user_id)
    )
    return {int(user_id): float(score) for user_id, score in rows if score is not None}


def counted_scores(session: Session | None = None, quiz_slug: str = DEFAULT_QUIZ_SLUG) -> dict[int, float]:
    """Each student's score that counts under the quiz's policy (best by default, or latest)."""
    quiz = all_quizzes().get(quiz_slug)
    if quiz is None or quiz.settings.counted_score == "best":
        return best_attempt_scores(session, quiz_slug)
    rows = (session or db.session).execute(
        select(QuizAttempt.user_id, QuizAttempt.score)
        .where(QuizAttempt.quiz_slug == quiz_slug, QuizAttempt.status == "submitted")
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    return {int(user_id): float(score) for user_id, score in rows if score is not None}
