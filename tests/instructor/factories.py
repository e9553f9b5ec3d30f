"""Rows for instructor-side tests: students, submitted quiz attempts and graded submissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from quizapp.extensions import db
from quizapp.models import Grading, QuizAnswer, QuizAttempt, Submission
from quizapp.services import accounts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def user(email: str, role: str = "student") -> int:
    """Create an account; returns its id."""
    account = accounts.create_user(email, "correct-horse", role)
    db.session.commit()
    return account.id


def attempt(
    user_id: int,
    answers: dict[str, tuple[list[str], float]],
    *,
    status: str = "submitted",
    started: datetime = T0,
    slug: str = "rnn-week1",
    max_score: float = 10.0,
) -> int:
    """A quiz attempt with marked answers {qid: (selected, points)}; its score is their sum."""
    row = QuizAttempt(
        user_id=user_id,
        quiz_slug=slug,
        quiz_version="test",
        seed=1,
        option_order={},
        status=status,
        started_at=started,
        submitted_at=started + timedelta(minutes=5) if status == "submitted" else None,
        score=sum(points for _, points in answers.values()) if status == "submitted" else None,
        max_score=max_score,
        answers=[
            QuizAnswer(
                question_id=qid,
                selected=selected,
                correct=(points > 0) if status == "submitted" else None,
                points=points if status == "submitted" else None,
            )
            for qid, (selected, points) in answers.items()
        ],
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def verdict(
    slug: str, status: str, score: float, cases: list[tuple[str, bool, bool]] | None = None, **extra: Any
) -> dict[str, Any]:
    """A verdict in the contract's shape; cases are (name, passed, hidden)."""
    return {
        "exercise": slug,
        "status": status,
        "score": score,
        "max_score": 10.0,
        "cases": [{"name": n, "passed": p, "hidden": h, "message": ""} for n, p, h in cases or []],
        "feedback": [],
        "output": "",
        **extra,
    }


def graded(user_id: int, slug: str, result: dict[str, Any], *, at: datetime = T0, code: str = "pass") -> int:
    """A graded submission whose current score and verdict are ``result``, with its auto grading row."""
    row = Submission(
        user_id=user_id,
        exercise_slug=slug,
        code=code,
        status="graded",
        queued_at=at,
        finished_at=at,
        score=result["score"],
        max_score=result["max_score"],
        verdict=result,
        gradings=[
            Grading(
                kind="auto",
                verdict_status=result["status"],
                score=result["score"],
                max_score=result["max_score"],
                verdict=result,
                created_at=at,
            )
        ],
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def queued(user_id: int, slug: str, *, at: datetime = T0) -> int:
    """A submission still waiting for a grader."""
    row = Submission(user_id=user_id, exercise_slug=slug, code="pending", status="queued", queued_at=at)
    db.session.add(row)
    db.session.commit()
    return row.id
