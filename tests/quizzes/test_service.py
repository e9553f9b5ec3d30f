"""The quiz rules as plain functions: scoring, seeded shuffles, attempt limits, time limits, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, get_quiz, load_quizzes
from quizapp.errors import Conflict, TooManyRequests
from quizapp.extensions import db
from quizapp.models import QuizAnswer, QuizAttempt
from quizapp.models.types import utcnow
from quizapp.services import accounts
from quizapp.services import quizzes as service
from tests.conftest import recorded_statements
from tests.quizzes.helpers import ALL_WRONG, KEY, small_quiz, week1_copy

WEEK1 = load_quizzes(DEFAULT_QUIZ_DIR)["rnn-week1"]


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for calling services directly."""
    with app.app_context():
        yield


def student(email: str = "ada@example.com") -> int:
    """Create a student and return the id."""
    user = accounts.create_user(email, "correct-horse")
    db.session.commit()
    return user.id


def test_all_or_nothing_scoring() -> None:
    """A multiple-choice question scores only with exactly the key ticked."""
    q3 = WEEK1.question("q3")
    assert service.score_question(q3, ["b", "d"], "all_or_nothing") == 1
    assert service.score_question(q3, ["d", "b"], "all_or_nothing") == 1
    assert service.score_question(q3, ["b"], "all_or_nothing") == 0
    assert service.score_question(q3, ["a", "b", "d"], "all_or_nothing") == 0
    assert service.score_question(q3, [], "all_or_nothing") == 0


def test_net_correct_partial_credit() -> None:
    """Net-correct gives a share per right tick, takes one per wrong tick and never goes below zero."""
    q3 = WEEK1.question("q3")
    assert service.score_question(q3, ["b", "d"], "net_correct") == 1
    assert service.score_question(q3, ["b"], "net_correct") == 0.5
    assert service.score_question(q3, ["b", "d", "a"], "net_correct") == 0.5
    assert service.score_question(q3, ["a", "c"], "net_correct") == 0
    assert service.score_question(WEEK1.question("q1"), ["a"], "net_correct") == 1


def test_shuffle_is_fixed_by_the_seed() -> None:
    """The same seed gives the same order; different seeds (here 1 and 2) give different orders."""
    first = service.option_order_for(WEEK1, 1)
    assert service.option_order_for(WEEK1, 1) == first
    assert service.option_order_for(WEEK1, 2) != first
    assert all(sorted(ids) == ["a", "b", "c", "d"] for ids in first.values())
    assert len({tuple(ids) for ids in first.values()}) > 1


def test_attempt_stores_seed_and_order(ctx: None) -> None:
    """An attempt keeps its seed and the order that seed produces; reads return the stored order."""
    user_id = student()
    attempt = service.start_attempt(user_id, get_quiz("rnn-week1"), seed=12345)
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored is not None and stored.seed == 12345
    assert stored.option_order == service.option_order_for(WEEK1, 12345)
    items = service.ordered_questions(stored, WEEK1)
    shown = [[o.id for o in options] for _, options in items]
    assert shown == [stored.option_order[f"q{i}"] for i in range(1, 11)]


def test_consecutive_attempts_never_repeat_the_order(ctx: None) -> None:
    """Without a fixed seed, a new attempt's shuffle differs from the student's previous one."""
    user_id = student()
    quiz = get_quiz("rnn-week1")
    first = service.start_attempt(user_id, quiz)
    second = service.start_attempt(user_id, quiz)
    assert first.seed != second.seed
    assert first.option_order != second.option_order


def test_limit_counts_attempts_in_the_window(ctx: None) -> None:
    """Three attempts per 8 hours: the fourth is refused until the first is 8 hours old."""
    user_id = student()
    quiz = get_quiz("rnn-week1")
    start = utcnow()
    for minutes in (0, 10, 20):
        service.start_attempt(user_id, quiz, now=start + timedelta(minutes=minutes))
    with pytest.raises(TooManyRequests) as refused:
        service.start_attempt(user_id, quiz, now=start + timedelta(minutes=30))
    assert refused.value.retry_after == 8 * 3600 - 30 * 60
    later = start + timedelta(hours=8, seconds=1)
    assert service.allowance(user_id, quiz, later).remaining == 1
    assert service.start_attempt(user_id, quiz, now=later).id


def test_the_course_summary_counts_the_window_as_the_limit_does(ctx: None) -> None:
    """The course page's summary works out the allowance from the attempts it has loaded; it agrees with
    the limit's own count inside the window, at its edge and after it."""
    user_id = student()
    quiz = get_quiz("rnn-week1")
    start = utcnow()
    for minutes in (0, 10, 20):
        service.start_attempt(user_id, quiz, now=start + timedelta(minutes=minutes))
    for moment in (start + timedelta(minutes=30), start + timedelta(hours=8, minutes=5),
                   start + timedelta(hours=8, minutes=25)):
        summary = next(s for s in service.summaries(user_id, moment) if s.quiz.slug == quiz.slug)
        assert summary.allowance == service.allowance(user_id, quiz, moment)
    assert [service.allowance(user_id, quiz, start + timedelta(hours=h, minutes=m)).used
            for h, m in ((0, 30), (8, 5), (8, 25))] == [3, 2, 0]


def test_limits_are_per_student(ctx: None) -> None:
    """One student's attempts do not count against another's."""
    quiz = get_quiz("rnn-week1")
    ada, bob = student("ada@example.com"), student("bob@example.com")
    for _ in range(3):
        service.start_attempt(ada, quiz)
    assert service.allowance(bob, quiz).used == 0
    service.start_attempt(bob, quiz)


def test_submit_scores_and_stores_each_answer(ctx: None) -> None:
    """Submitting marks every question (unanswered ones too) and stores the total."""
    user_id = student()
    attempt = service.start_attempt(user_id, get_quiz("rnn-week1"))
    result = service.submit_attempt(user_id, attempt.id, {"q1": ["a"], "q3": ["b", "d"]})
    assert result.score == 2
    rows = db.session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id)).all()
    assert len(rows) == 10
    assert {r.question_id for r in rows if r.correct} == {"q1", "q3"}


def test_closed_attempt_cannot_change(ctx: None) -> None:
    """After submission, saving is a conflict and submitting different answers is a conflict."""
    user_id = student()
    attempt = service.start_attempt(user_id, get_quiz("rnn-week1"))
    service.submit_attempt(user_id, attempt.id, ALL_WRONG)
    with pytest.raises(Conflict):
        service.save_answers(user_id, attempt.id, KEY)
    with pytest.raises(Conflict):
        service.submit_attempt(user_id, attempt.id, KEY)
    assert service.submit_attempt(user_id, attempt.id).score == 0


def test_best_and_counted_scores(ctx: None) -> None:
    """best_attempt_scores gives each student's best submitted score; open attempts do not count."""
    quiz = get_quiz("rnn-week1")
    ada, bob = student("ada@example.com"), student("bob@example.com")
    first = service.start_attempt(ada, quiz)
    service.submit_attempt(ada, first.id, KEY)
    second = service.start_attempt(ada, quiz)
    service.submit_attempt(ada, second.id, {**KEY, "q1": ["b"]})
    service.start_attempt(bob, quiz)
    assert service.best_attempt_scores() == {ada: 10.0}
    assert service.counted_scores(db.session, "rnn-week1") == {ada: 10.0}


class TestPolicies:
    """Per-quiz settings: latest score counts, the key only after a pass, time limits."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """The week-1 quiz with the non-default settings and a 5-minute limit."""
        folder = week1_copy(
            tmp_path / "q", counted_score="latest", time_limit_minutes=5
        )
        return {"QUIZ_DIR": str(folder)}

    def test_latest_score_counts(self, ctx: None) -> None:
        """With counted_score: latest, the most recent submitted attempt is the one that counts."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        for answers in (KEY, ALL_WRONG):
            attempt = service.start_attempt(user_id, quiz)
            service.submit_attempt(user_id, attempt.id, answers)
        assert service.counted_scores(quiz_slug="rnn-week1") == {user_id: 0.0}
        assert service.best_attempt_scores(quiz_slug="rnn-week1") == {user_id: 10.0}
        assert service.summaries(user_id)[0].counted_score == 0

    def test_explanations_wait_for_a_pass(self, ctx: None) -> None:
        """With a rolling window, failed attempts never open the key; after a pass, every review shows it."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        for _ in range(2):
            failed = service.start_attempt(user_id, quiz)
            result = service.submit_attempt(user_id, failed.id, ALL_WRONG)
            assert not result.explanations_shown
            assert all(r.explanation_html is None for r in result.results)
            assert all(sorted(o.id for o in r.options) == r.selected for r in result.results)
        passed = service.start_attempt(user_id, quiz)
        assert service.submit_attempt(user_id, passed.id, {**KEY, "q1": ["b"]}).explanations_shown
        reread = service.attempt_result(service.load_attempt(user_id, failed.id), quiz)
        assert reread.explanations_shown and reread.results[0].explanation_html

    def test_time_limit_auto_submits_on_access(self, ctx: None) -> None:
        """An attempt read after its deadline is submitted with its saved answers, at the deadline."""
        user_id = student()
        start = utcnow()
        attempt = service.start_attempt(user_id, get_quiz("rnn-week1"), now=start)
        assert attempt.deadline_at == start + timedelta(minutes=5)
        service.save_answers(user_id, attempt.id, {"q1": ["a"]}, now=start + timedelta(minutes=4))
        late = start + timedelta(minutes=6)
        loaded = service.load_attempt(user_id, attempt.id, now=late)
        assert (loaded.status, loaded.auto_submitted, loaded.score) == ("submitted", True, 1)
        assert loaded.submitted_at == attempt.deadline_at

    def test_summaries_close_an_expired_attempt_first(self, ctx: None) -> None:
        """The course page's summary submits an attempt that ran out of time and counts its score."""
        user_id = student()
        start = utcnow()
        attempt = service.start_attempt(user_id, get_quiz("rnn-week1"), now=start)
        service.save_answers(user_id, attempt.id, KEY, now=start + timedelta(minutes=1))
        summary = service.summaries(user_id, start + timedelta(minutes=6))[0]
        assert summary.open_attempt is None and summary.counted_score == 10
        assert [(a.status, a.auto_submitted) for a in summary.attempts] == [("submitted", True)]

    def test_close_expired_attempts_sweeps_everyone(self, ctx: None) -> None:
        """The sweep closes every open attempt past its deadline and leaves the others open."""
        quiz = get_quiz("rnn-week1")
        start = utcnow()
        old = service.start_attempt(student("ada@example.com"), quiz, now=start - timedelta(minutes=10))
        fresh = service.start_attempt(student("bob@example.com"), quiz, now=start)
        assert service.close_expired_attempts(now=start + timedelta(seconds=1)) == 1
        assert db.session.get(QuizAttempt, old.id).status == "submitted"  # type: ignore[union-attr]
        assert db.session.get(QuizAttempt, fresh.id).status == "open"  # type: ignore[union-attr]


class TestTwoQuizzes:
    """Several quizzes side by side."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """The week-1 quiz plus a small second quiz."""
        folder = week1_copy(tmp_path / "q")
        (folder / "extra-quiz.yaml").write_text(small_quiz(), encoding="utf-8")
        return {"QUIZ_DIR": str(folder)}

    def test_summaries_cover_every_quiz(self, ctx: None) -> None:
        """The course page summary lists both quizzes with separate attempt counts."""
        user_id = student()
        service.start_attempt(user_id, get_quiz("extra-quiz"))
        by_slug = {s.quiz.slug: s for s in service.summaries(user_id)}
        assert set(by_slug) == {"extra-quiz", "rnn-week1"}
        assert by_slug["extra-quiz"].open_attempt is not None
        assert by_slug["rnn-week1"].allowance is not None and by_slug["rnn-week1"].allowance.used == 0

    def test_summaries_read_the_attempts_once(self, app: Flask, ctx: None) -> None:
        """However many quizzes, the summaries read the student's attempts in one statement."""
        user_id = student()
        service.start_attempt(user_id, get_quiz("extra-quiz"))
        service.start_attempt(user_id, get_quiz("rnn-week1"))
        db.session.commit()
        with recorded_statements(app) as statements:
            by_slug = {s.quiz.slug: s for s in service.summaries(user_id)}
        assert [len(s.attempts) for s in by_slug.values()] == [1, 1]
        assert sum(1 for s in statements if "FROM quiz_attempts" in s) == 1, statements


class TestCloseExpiredCommand:
    """``flask quiz close-expired`` runs the sweep from the command line."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """The week-1 quiz with a 1-minute limit."""
        return {"QUIZ_DIR": str(week1_copy(tmp_path / "q", time_limit_minutes=1))}

    def test_command_closes_expired_attempts(self, app: Flask) -> None:
        """An attempt started two minutes ago is auto-submitted by the command."""
        with app.app_context():
            attempt = service.start_attempt(
                student(), get_quiz("rnn-week1"), now=utcnow() - timedelta(minutes=2)
            )
            attempt_id = attempt.id
        result = app.test_cli_runner().invoke(args=["quiz", "close-expired"])
        assert result.exit_code == 0 and result.output == "Closed 1 expired attempt(s).\n"
        with app.app_context():
            closed = db.session.get(QuizAttempt, attempt_id)
            assert closed is not None and (closed.status, closed.auto_submitted) == ("submitted", True)


def review_of(result: service.AttemptResult, question_id: str) -> service.QuestionResult:
    """One question's review in a result."""
    return next(item for item in result.results if item.question == question_id)


class TestReviewPolicyDefault:
    """after_pass_or_last_attempt, on a quiz with three attempts in total (no rolling window)."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """The week-1 quiz with its default review policy and attempts that never come back."""
        return {"QUIZ_DIR": str(week1_copy(tmp_path / "q", window_hours=None))}

    def test_failed_attempt_hides_the_key_but_explains_the_choices(self, ctx: None) -> None:
        """A failed first attempt: right/wrong and the chosen options' feedback; no key, no explanation."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        attempt = service.start_attempt(user_id, quiz)
        answers = {**ALL_WRONG, "q1": ["a"], "q3": ["b", "c"], "q5": []}
        result = service.submit_attempt(user_id, attempt.id, answers)
        assert (result.score, result.explanations_shown) == (1, False)
        assert result.review == "after_pass_or_last_attempt"
        q1, q3, q5 = (review_of(result, q) for q in ("q1", "q3", "q5"))
        assert q1.correct and not q3.correct and not q5.correct
        assert [(o.id, o.correct) for o in q1.options] == [("a", True)]
        assert sorted((o.id, o.correct) for o in q3.options) == [("b", True), ("c", False)]
        assert q5.options == []
        feedback = {o.id: o.feedback_html for o in q3.options}
        assert feedback == {i: quiz.question("q3").option(i).feedback_html for i in ("b", "c")}
        assert all(item.explanation_html is None for item in result.results)
        data = result.to_dict()
        assert all(o["selected"] for item in data["results"] for o in item["options"])

    def test_last_attempt_shows_everything(self, ctx: None) -> None:
        """The third failed attempt opens the key and explanations, in its review and the earlier ones."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        attempts = []
        for number in range(3):
            attempt = service.start_attempt(user_id, quiz)
            attempts.append(attempt.id)
            result = service.submit_attempt(user_id, attempt.id, ALL_WRONG)
            assert result.explanations_shown == (number == 2)
        first = service.attempt_result(service.load_attempt(user_id, attempts[0]), quiz)
        for item in (*result.results, *first.results):
            assert item.explanation_html == quiz.question(item.question).explanation_html
            assert [o.correct for o in item.options].count(True) == len(quiz.question(item.question).correct)

    def test_an_open_last_attempt_keeps_the_key_hidden(self, ctx: None) -> None:
        """Starting the last attempt does not open the key: earlier reviews stay closed until it is in."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        first = service.start_attempt(user_id, quiz)
        service.submit_attempt(user_id, first.id, ALL_WRONG)
        second = service.start_attempt(user_id, quiz)
        service.submit_attempt(user_id, second.id, ALL_WRONG)
        service.start_attempt(user_id, quiz)
        assert not service.attempt_result(service.load_attempt(user_id, first.id), quiz).explanations_shown

    def test_a_pass_shows_everything(self, ctx: None) -> None:
        """A passing first attempt shows the key and every explanation."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        attempt = service.start_attempt(user_id, quiz)
        result = service.submit_attempt(user_id, attempt.id, {**KEY, "q1": ["b"]})
        assert result.passed and result.explanations_shown
        assert all(len(item.options) == 4 and item.explanation_html for item in result.results)


class TestReviewPolicyRollingWindow:
    """after_pass_or_last_attempt on the week-1 quiz as shipped: three attempts per eight hours."""

    def test_the_windows_last_attempt_opens_the_key(self, ctx: None) -> None:
        """Hidden after the first and second failed attempts, shown after the third (the window's last)."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        assert quiz.settings.window_hours and quiz.settings.max_attempts == 3
        shown = []
        for _ in range(3):
            attempt = service.start_attempt(user_id, quiz)
            shown.append(service.submit_attempt(user_id, attempt.id, ALL_WRONG).explanations_shown)
        assert shown == [False, False, True]

    def test_attempts_outside_the_window_do_not_count(self, ctx: None) -> None:
        """Three failed attempts that are no longer in the window leave the key closed again."""
        user_id = student()
        quiz = get_quiz("rnn-week1")
        for _ in range(3):
            attempt = service.start_attempt(user_id, quiz)
            service.submit_attempt(user_id, attempt.id, ALL_WRONG)
        later = utcnow() + timedelta(hours=quiz.settings.window_hours + 1)
        assert service.key_shown(user_id, quiz) and not service.key_shown(user_id, quiz, later)


class TestReviewPolicyAlwaysAndNever:
    """The two fixed policies ignore passing and attempts."""

    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        """Two quizzes: one reviewed always, one never."""
        folder = tmp_path / "q"
        folder.mkdir()
        (folder / "open-quiz.yaml").write_text(small_quiz("open-quiz", attempts={"review": "always"}))
        (folder / "closed-quiz.yaml").write_text(small_quiz("closed-quiz", attempts={"review": "never"}))
        return {"QUIZ_DIR": str(folder)}

    def test_always_shows_the_key_after_a_failure(self, ctx: None) -> None:
        """review: always shows every option and the explanation after a 0-point attempt."""
        user_id = student()
        quiz = get_quiz("open-quiz")
        result = service.submit_attempt(user_id, service.start_attempt(user_id, quiz).id, {"one": ["y"]})
        assert result.score == 0 and result.explanations_shown
        assert review_of(result, "one").explanation_html == "<p>Arithmetic.</p>"
        assert [o.id for o in review_of(result, "one").options if o.correct] == ["x"]

    def test_never_hides_the_key_even_after_a_pass(self, ctx: None) -> None:
        """review: never keeps the key and explanations out of a full-marks review."""
        user_id = student()
        quiz = get_quiz("closed-quiz")
        attempt = service.start_attempt(user_id, quiz)
        result = service.submit_attempt(user_id, attempt.id, {"one": ["x"], "two": ["p"]})
        assert result.passed is False and not result.explanations_shown
        attempt = service.start_attempt(user_id, quiz)
        result = service.submit_attempt(user_id, attempt.id, {"one": ["x"], "two": ["p", "q"]})
        assert result.passed and not result.explanations_shown
        assert all(item.explanation_html is None for item in result.results)
        assert sorted(o.id for o in review_of(result, "two").options) == ["p", "q"]
