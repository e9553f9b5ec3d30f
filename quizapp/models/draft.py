"""Editor drafts: a student's unsubmitted code for one exercise, kept on the server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.types import UTCDateTime, utcnow


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """The latest code a student saved (without grading) for an exercise: one row per student and exercise."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "exercise_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exercise_slug: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
