"""Exercise submissions and the history of their gradings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.types import JSONType, UTCDateTime, utcnow

SUBMISSION_STATUSES = ("queued", "running", "graded")
GRADING_KINDS = ("auto", "regrade", "override")


class Submission(db.Model):  # type: ignore[name-defined,misc]
    """Code a student sent for one exercise; its current score mirrors the latest grading."""

    __tablename__ = "submissions"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'graded')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exercise_slug: Mapped[str] = mapped_column(String(100), index=True)
    code: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="api")
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    # What the next grading of a queued submission will be recorded as: "auto" or "regrade".
    pending_kind: Mapped[str] = mapped_column(String(16), default="auto")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A grader claims a job by writing a fresh token; only the holder may record the result.
    claim_token: Mapped[str | None] = mapped_column(String(36))
    delivery_count: Mapped[int] = mapped_column(Integer, default=0)
    grader_version: Mapped[str | None] = mapped_column(String(40))
    content_version: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Whole days past the due date when it was submitted (0 = on time); regrades and overrides keep it.
    days_late: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    gradings: Mapped[list[Grading]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="Grading.id"
    )

    @property
    def verdict_status(self) -> str | None:
        """The current verdict's status, read from the latest grading that has one (an override has
        none): lists of attempts show it without loading and decoding each verdict's JSON."""
        return next((g.verdict_status for g in reversed(self.gradings) if g.verdict_status), None)


class Grading(db.Model):  # type: ignore[name-defined,misc]
    """One result for a submission: an automatic grading, a regrade or an instructor override."""

    __tablename__ = "gradings"
    __table_args__ = (CheckConstraint("kind IN ('auto', 'regrade', 'override')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    verdict_status: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    # Loaded only when read: a submission's gradings are listed far more often than their verdicts read.
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSONType, deferred=True)
    grader_version: Mapped[str | None] = mapped_column(String(40))
    content_version: Mapped[int | None] = mapped_column(Integer)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="gradings")
