"""Editor drafts on the server: each student's unsubmitted code per exercise, saved without grading.

A draft belongs to one account: it follows the student to any browser and is never visible to another
account on the same browser. Opening an exercise starts from the draft, else the last submission,
else the starter code.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from quizapp.errors import BadRequest, Conflict, NotFound, PayloadTooLarge, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Draft, User
from quizapp.models.types import utcnow
from quizapp.services import exercises
from quizapp.services.submitting import MAX_CODE_BYTES


@dataclass(frozen=True)
class StartingCode:
    """What the editor opens with, and where it came from: ``draft``, ``submission`` or ``starter``."""

    code: str
    origin: str


def _draft_text(code: object) -> str:
    """The draft's code, or the fitting error: not a string (422), too large (413), not UTF-8 or NUL (400).

    Unlike a submission, an empty draft is fine: the student may have cleared the editor.
    """
    if not isinstance(code, str):
        raise ValidationFailed("Send the draft as a string in the field 'code'.", code="invalid_code")
    try:
        size = len(code.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise BadRequest("The code is not valid UTF-8 text.", code="bad_encoding") from exc
    if size > MAX_CODE_BYTES:
        raise PayloadTooLarge(f"Code is limited to {MAX_CODE_BYTES // 1024} KiB.", code="code_too_large")
    if "\x00" in code:
        raise BadRequest("The code contains NUL characters; it is not source text.", code="bad_encoding")
    return code


# Built once (read on every exercise page): building it cost about as much as running it.
_DRAFT = select(Draft).where(Draft.user_id == bindparam("user_id"), Draft.exercise_slug == bindparam("slug"))


def find(user: User, exercise_slug: str) -> Draft | None:
    """The user's draft for this exercise, or None."""
    return db.session.scalar(_DRAFT, {"user_id": user.id, "slug": exercise_slug})


def get(user: User, exercise_slug: str) -> Draft:
    """The user's draft for an existing exercise; NotFound (``no_draft``) when there is none."""
    exercise = exercises.get(exercise_slug)
    draft = find(user, exercise.slug)
    if draft is None:
        raise NotFound(f"You have no saved draft for {exercise.slug}.", code="no_draft")
    return draft


def save(user: User, exercise_slug: str, code: object) -> Draft:
    """Store ``code`` as the user's draft for the exercise (one per student and exercise), without grading."""
    exercise = exercises.get(exercise_slug)
    text = _draft_text(code)
    for _ in range(2):  # a concurrent first save may insert the row between our read and our insert
        draft = find(user, exercise.slug)
        if draft is None:
            draft = Draft(user_id=user.id, exercise_slug=exercise.slug, code=text, saved_at=utcnow())
            db.session.add(draft)
        else:
            draft.code, draft.saved_at = text, utcnow()
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return draft
    raise Conflict("The draft could not be saved; please try again.", code="draft_conflict")


def starting_code(user: User, exercise: exercises.ExerciseInfo, last_code: str | None) -> StartingCode:
    """The user's draft, else ``last_code`` (their latest submission's code, None without one), else the
    starter code."""
    draft = find(user, exercise.slug)
    if draft is not None:
        return StartingCode(draft.code, "draft")
    if last_code is not None:
        return StartingCode(last_code, "submission")
    return StartingCode(exercise.starter_code, "starter")


def draft_dict(draft: Draft) -> dict[str, str]:
    """The API's view of a draft: ``{"code", "saved_at"}``."""
    return {"code": draft.code, "saved_at": draft.saved_at.isoformat()}
