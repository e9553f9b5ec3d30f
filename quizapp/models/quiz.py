"""Quiz attempts and the answers saved in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.types import JSONType, UTCDateTime, utcnow

ATTEMPT_STATUSES = ("open", "submitted")


class QuizAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One sitting of a quiz, with its own stored shuffle of option order."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (CheckConstraint("status IN ('open', 'submitted')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_slug: Mapped[str] = mapped_column(String(100), index=True)
    quiz_version: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column()
    # {question_id: [option ids in display order]}; ids stay stable, only order varies.
    option_order: Mapped[dict[str, list[str]]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    # Whole days past the due date when it was submitted (0 = on time).
    days_late: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuizAnswer.question_id"
    )


class QuizAnswer(db.Model):  # type: ignore[name-defined,misc]
    """The options a student has ticked for one question; marked when the attempt is submitted."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(40))
    selected: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    points: Mapped[float | None] = mapped_column(Float)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
