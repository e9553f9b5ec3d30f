"""Accounts: registration, authentication, rosters and API tokens."""

from __future__ import annotations

import csv
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from quizapp.errors import Conflict, Unauthorized, ValidationFailed
from quizapp.extensions import db
from quizapp.models import ApiToken, User
from quizapp.models.types import utcnow
from quizapp.models.user import ROLES

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()
# Verifying against this keeps a wrong email as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def normalise_email(raw: str) -> str:
    """Validate an email address's syntax and return it in canonical lower case."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(f"Invalid email address: {exc}", code="invalid_email") from exc


def create_user(email: str, password: str, role: str = "student") -> User:
    """Add an account; refuses bad input and duplicates. The caller commits."""
    address = normalise_email(email)
    if role not in ROLES:
        raise ValidationFailed(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", code="weak_password"
        )
    if find_user(address) is not None:
        raise Conflict(f"An account for {address} already exists.", code="duplicate_email")
    user = User(email=address, password_hash=_hasher.hash(password), role=role)
    db.session.add(user)
    db.session.flush()
    return user


def register_student(email: str, password: str, join_code: str | None, required_code: str | None) -> User:
    """Self-registration of a student, gated by the course join code when one is configured."""
    if required_code and not hmac.compare_digest((join_code or "").strip(), required_code):
        raise ValidationFailed("The course join code is not right.", code="bad_join_code")
    user = create_user(email, password, "student")
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    """The account with this (already normalised) email, if any."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    """Return the account for these credentials or raise Unauthorized."""
    user = find_user(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("Wrong email or password.", code="bad_credentials") from None
    if user is None:
        raise Unauthorized("Wrong email or password.", code="bad_credentials")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(user: User, ttl_days: int) -> str:
    """Create a bearer token for the user; only its digest is kept."""
    raw = secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user=user, token_hash=_digest(raw), expires_at=utcnow() + timedelta(days=ttl_days))
    )
    db.session.commit()
    return raw


def user_for_token(raw_token: str) -> User:
    """The account a bearer token belongs to; raises Unauthorized if unknown or expired."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw_token)))
    if token is None or token.expires_at <= utcnow():
        raise Unauthorized("The bearer token is unknown or has expired.", code="bad_token")
    return token.user


@dataclass(frozen=True)
class RosterResult:
    """What a roster import did: accounts created (with their one-time passwords) and rows skipped."""

    created: list[tuple[str, str, str]]
    skipped: list[str]


def import_roster(rows: Iterable[dict[str, str]]) -> RosterResult:
    """Create accounts from roster rows (email, role); existing emails are skipped, all in one commit."""
    created: list[tuple[str, str, str]] = []
    skipped: list[str] = []
    for line_number, row in enumerate(rows, start=2):
        email = (row.get("email") or "").strip()
        role = (row.get("role") or "student").strip().lower() or "student"
        if not email:
            raise ValidationFailed(f"Line {line_number}: the email is missing.", code="bad_roster")
        try:
            address = normalise_email(email)
        except ValidationFailed as exc:
            raise ValidationFailed(f"Line {line_number}: {exc.message}", code="bad_roster") from exc
        if find_user(address) is not None:
            skipped.append(address)
            continue
        password = secrets.token_urlsafe(9)
        try:
            create_user(address, password, role)
        except ValidationFailed as exc:
            raise ValidationFailed(f"Line {line_number}: {exc.message}", code="bad_roster") from exc
        created.append((address, role, password))
    db.session.commit()
    return RosterResult(created=created, skipped=skipped)


def read_roster(text: str) -> list[dict[str, str]]:
    """Parse roster CSV text with an ``email`` column and an optional ``role`` column."""
    reader = csv.DictReader(text.splitlines())
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "email" not in fields:
        raise ValidationFailed("The roster needs a header row with an 'email' column.", code="bad_roster")
    return [{(k or "").strip().lower(): (v or "") for k, v in row.items()} for row in reader]
