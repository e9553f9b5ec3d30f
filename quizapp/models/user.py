"""Accounts and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.types import UTCDateTime, utcnow

ROLES = ("student", "instructor")


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A student or an instructor, identified by a unique, lower-cased email."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('student', 'instructor')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="student")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Part of every session's id: bumping it (logout, password change) ends all existing sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Consecutive failed sign-ins and the lockout they earned (exponential backoff, capped).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_instructor(self) -> bool:
        """Whether this account may see the instructor dashboard."""
        return self.role == "instructor"

    def get_id(self) -> str:
        """The session's user id: ``id:session_version``, so old sessions stop matching when it changes."""
        return f"{self.id}:{self.session_version}"


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A bearer token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")


class AuthAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in attempt (form or token), counted in the database so limits hold across processes."""

    __tablename__ = "auth_attempts"
    __table_args__ = (Index("ix_auth_attempts_scope_client_at", "scope", "client", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    client: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
