"""Accounts: registration, authentication, rosters and API tokens."""

from __future__ import annotations

import csv
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from quizapp.errors import BadRequest, Conflict, NotFound, TooManyRequests, Unauthorized, ValidationFailed
from quizapp.extensions import db
from quizapp.models import ApiToken, User
from quizapp.models.types import utcnow
from quizapp.models.user import ROLES

MIN_PASSWORD_LENGTH = 8
# Per-account lockout: after LOCKOUT_AFTER consecutive failures, each further one locks the account for
# LOCKOUT_BASE doubled per failure, never longer than LOCKOUT_MAX, so the owner is never shut out for long.
LOCKOUT_AFTER = 5
LOCKOUT_BASE = timedelta(seconds=30)
LOCKOUT_MAX = timedelta(minutes=15)
# A token's last use is written at most this often, so that busy clients do not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_NAME = 100
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


def register_student(
    email: str, password: str, join_code: str | None, required_code: str | None
) -> User | None:
    """Self-registration of a student, gated by the course join code when one is configured.

    Returns None, having changed nothing, when the address already has an account; it costs the same
    password hash either way, so neither the answer nor its timing says which emails are registered.
    """
    if required_code and not hmac.compare_digest((join_code or "").strip(), required_code):
        raise ValidationFailed("The course join code is not right.", code="bad_join_code")
    try:
        user = create_user(email, password, "student")
    except Conflict:
        _hasher.hash(password)
        db.session.rollback()
        return None
    db.session.commit()
    return user


# Statements that run on every request are built once, with bound parameters: building one and working out
# its cache key cost SQLAlchemy about as much as running it (docs/pipeline.md, "Ninth round").
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))
_TOKEN_BY_HASH = (
    select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == bindparam("token_hash"))
)


def user_by_id(user_id: int) -> User | None:
    """The account with this id, if any (a signed-in session's user, loaded on every request)."""
    return db.session.scalar(_USER_BY_ID, {"user_id": user_id})


def find_user(email: str) -> User | None:
    """The account with this (already normalised) email, if any."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str, now: datetime | None = None) -> User:
    """Return the account for these credentials or raise Unauthorized (429 while the account is locked).

    Consecutive failures lock the account with a capped exponential backoff; a success resets them.
    """
    moment = now or utcnow()
    user = find_user(email)
    if user is not None and user.locked_until is not None and user.locked_until > moment:
        raise _locked(user.locked_until, moment)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        if user is not None:
            _count_failure(user.id, moment)
        raise Unauthorized("Wrong email or password.", code="bad_credentials") from None
    if user is None:
        raise Unauthorized("Wrong email or password.", code="bad_credentials")
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    db.session.commit()
    return user


def lockout_for(failures: int) -> timedelta | None:
    """How long ``failures`` consecutive failed sign-ins lock an account (None: not locked)."""
    if failures < LOCKOUT_AFTER:
        return None
    lock: timedelta = LOCKOUT_BASE * 2 ** min(failures - LOCKOUT_AFTER, 16)
    return lock if lock < LOCKOUT_MAX else LOCKOUT_MAX


def _count_failure(user_id: int, moment: datetime) -> None:
    # One atomic increment, so failures in concurrent processes are all counted.
    failures = db.session.scalar(
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    )
    lock = lockout_for(failures or 0)
    if lock is not None:
        db.session.execute(update(User).where(User.id == user_id).values(locked_until=moment + lock))
    db.session.commit()


def _locked(until: datetime, moment: datetime) -> TooManyRequests:
    seconds = max(1, int((until - moment).total_seconds() + 0.999))
    return TooManyRequests(
        f"Too many failed sign-ins for this account; try again in {seconds} s.",
        code="account_locked",
        retry_after=seconds,
    )


def end_sessions(user: User) -> None:
    """Invalidate every browser session of this account (they carry the old session version)."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every session and revokes every token."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValidationFailed("The current password is not right.", code="bad_credentials") from None
    if len(new) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", code="weak_password"
        )
    user.password_hash = _hasher.hash(new)
    user.failed_logins, user.locked_until = 0, None
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    end_sessions(user)


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(user: User, ttl_days: int, name: str | None = None) -> str:
    """Create a bearer token for the user, optionally labelled; only its digest is kept."""
    return create_token(user, ttl_days, name)[0]


def new_secret(nbytes: int) -> str:
    """A random URL-safe secret that does not start with ``-``, so it can follow an option on a command
    line (``quizapp-submit --token T``, ``login --password P``): argparse reads ``-...`` as an option."""
    while True:
        secret = secrets.token_urlsafe(nbytes)
        if not secret.startswith("-"):
            return secret


def create_token(user: User, ttl_days: int, name: str | None = None) -> tuple[str, ApiToken]:
    """Create a bearer token; returns the raw token (shown once) and its stored record."""
    if name is not None and (not isinstance(name, str) or len(name) > MAX_TOKEN_NAME):
        raise BadRequest(f"A token's name is a string of at most {MAX_TOKEN_NAME} characters.")
    raw = new_secret(32)
    token = ApiToken(
        user=user, token_hash=_digest(raw), name=name, expires_at=utcnow() + timedelta(days=ttl_days)
    )
    db.session.add(token)
    db.session.commit()
    return raw, token


def token_for(raw_token: str, now: datetime | None = None) -> ApiToken:
    """The live token record for a raw bearer token (its last use noted); Unauthorized if unknown."""
    moment = now or utcnow()
    token = db.session.scalar(_TOKEN_BY_HASH, {"token_hash": _digest(raw_token)})
    if token is None or token.expires_at <= moment:
        raise Unauthorized("The bearer token is unknown, revoked or expired.", code="bad_token")
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_RESOLUTION:
        # A plain UPDATE: the token may be revoked by a concurrent request meanwhile, and then it matches
        # no row (the caller is refused) instead of failing the ORM's flush.
        noted = db.session.execute(
            update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=moment).returning(ApiToken.id)
        ).first()
        db.session.commit()
        if noted is None:
            raise Unauthorized("The bearer token is unknown, revoked or expired.", code="bad_token")
    return token


def user_for_token(raw_token: str) -> User:
    """The account a bearer token belongs to; raises Unauthorized if unknown, revoked or expired."""
    return token_for(raw_token).user


def live_tokens(user: User) -> Sequence[ApiToken]:
    """The account's unexpired tokens, newest first."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.expires_at > utcnow())
        .order_by(ApiToken.id.desc())
    ).all()


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the account's own tokens; anyone else's (or none) is a 404."""
    deleted = db.session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id).returning(ApiToken.id)
    ).first()
    if deleted is None:
        db.session.rollback()
        raise NotFound("There is no such token.", code="unknown_token")
    db.session.commit()


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
        password = new_secret(9)
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
