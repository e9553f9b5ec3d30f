"""Schedules (when a quiz or exercise opens, is due and closes), per-student extensions, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.types import JSONType, UTCDateTime, utcnow

SCHEDULE_KINDS = ("quiz", "exercise")


class Schedule(db.Model):  # type: ignore[name-defined,misc]
    """An instructor's dates for one quiz or exercise; without a row the content file's defaults apply."""

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint("kind IN ('quiz', 'exercise')", name="kind_known"),
        CheckConstraint("late_penalty_per_day >= 0 AND late_penalty_per_day <= 1", name="penalty_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late_penalty_per_day: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Extension(db.Model):  # type: ignore[name-defined,misc]
    """One student's own due and close dates for one quiz or exercise (None keeps the schedule's)."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("slug", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """Who changed what about grades or dates, when and why; rows are only ever added."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as text too, so the record still says who after an account is deleted.
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(400))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
