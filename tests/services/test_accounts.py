"""Account rules: normalised emails, duplicates, roles, passwords, rosters and tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from quizapp.errors import Conflict, Unauthorized, ValidationFailed
from quizapp.extensions import db
from quizapp.models import ApiToken
from quizapp.models.types import utcnow
from quizapp.services import accounts


def test_emails_are_normalised_and_unique(app: Flask) -> None:
    """Emails are stored lower-cased, and a second account for the same address is a conflict."""
    with app.app_context():
        user = accounts.create_user(" Ada@Example.COM ", "correct-horse")
        assert user.email == "ada@example.com"
        with pytest.raises(Conflict):
            accounts.create_user("ADA@example.com", "correct-horse")


def test_bad_email_and_role_are_rejected(app: Flask) -> None:
    """Malformed emails and unknown roles raise a validation error."""
    with app.app_context():
        with pytest.raises(ValidationFailed):
            accounts.create_user("not-an-email", "correct-horse")
        with pytest.raises(ValidationFailed):
            accounts.create_user("a@example.com", "correct-horse", role="admin")


def test_authenticate(app: Flask) -> None:
    """Authentication succeeds for the right password and fails alike for bad password or email."""
    with app.app_context():
        accounts.create_user("a@example.com", "correct-horse")
        db.session.commit()
        assert accounts.authenticate("A@example.com", "correct-horse").email == "a@example.com"
        for email, password in [("a@example.com", "wrong-one"), ("b@example.com", "correct-horse")]:
            with pytest.raises(Unauthorized):
                accounts.authenticate(email, password)


def test_expired_token_is_refused(app: Flask) -> None:
    """A token past its expiry no longer authenticates."""
    with app.app_context():
        user = accounts.create_user("a@example.com", "correct-horse")
        raw = accounts.issue_token(user, ttl_days=1)
        assert accounts.user_for_token(raw).id == user.id
        token = db.session.scalars(db.select(ApiToken)).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        with pytest.raises(Unauthorized):
            accounts.user_for_token(raw)


def test_roster_import_creates_and_skips(app: Flask) -> None:
    """A roster creates new accounts with their roles and skips existing emails."""
    with app.app_context():
        accounts.create_user("old@example.com", "correct-horse")
        db.session.commit()
        rows = accounts.read_roster("email,role\nnew@example.com,instructor\nold@example.com,student\n")
        result = accounts.import_roster(rows)
        assert [(e, r) for e, r, _ in result.created] == [("new@example.com", "instructor")]
        assert result.skipped == ["old@example.com"]
        assert accounts.find_user("new@example.com").role == "instructor"  # type: ignore[union-attr]


def test_roster_with_bad_row_names_the_line_and_stores_nothing(app: Flask) -> None:
    """A bad row fails the whole import with its line number, leaving no partial accounts."""
    with app.app_context():
        rows = accounts.read_roster("email,role\ngood@example.com,student\nbroken,student\n")
        with pytest.raises(ValidationFailed, match="Line 3"):
            accounts.import_roster(rows)
        db.session.rollback()
        assert accounts.find_user("good@example.com") is None


def test_generated_secrets_never_start_with_a_dash(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens and generated passwords skip a draw starting with '-' (a command line reads it as an option)."""
    draws = iter(["-first-draw", "-second", "good-token"] * 3)
    monkeypatch.setattr(accounts.secrets, "token_urlsafe", lambda _n: next(draws))
    with app.app_context():
        user = accounts.create_user("a@example.com", "correct-horse")
        assert accounts.issue_token(user, ttl_days=1) == "good-token"
        result = accounts.import_roster([{"email": "b@example.com"}])
        assert [password for _, _, password in result.created] == ["good-token"]
