"""A cached similarity report per exercise, with the progress of the job that computes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.types import JSONType, UTCDateTime, utcnow

REPORT_STATUSES = ("running", "done", "failed")


class SimilarityReport(db.Model):  # type: ignore[name-defined,misc]
    """The pairwise similarity of students' latest graded submissions to one exercise.

    ``basis`` is a digest of what was compared (the submission ids, the starter, the settings): the report
    is fresh while it matches the current digest and is computed again once new submissions arrive.
    """

    __tablename__ = "similarity_reports"
    __table_args__ = (CheckConstraint("status IN ('running', 'done', 'failed')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_slug: Mapped[str] = mapped_column(String(100), unique=True)
    basis: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="running")
    # Only the job holding this token may write progress or the result.
    claim_token: Mapped[str | None] = mapped_column(String(36))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    students: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
