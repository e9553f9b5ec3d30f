"""Who may fetch instructor downloads: a signed-in instructor, or an instructor's bearer token."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from flask_login import current_user

from quizapp.auth.guards import instructor_page
from quizapp.errors import Forbidden
from quizapp.models import User
from quizapp.services import accounts

F = TypeVar("F", bound=Callable[..., Any])


def instructor_download(view: F) -> F:
    """Accept ``Authorization: Bearer TOKEN`` (401 if bad, 403 for a student) or fall back to the session
    rules of an instructor page (anonymous visitors go to the login page, students get 403)."""
    page_view = instructor_page(view)

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return page_view(*args, **kwargs)
        user = accounts.user_for_token(header[7:].strip())
        if not user.is_instructor:
            raise Forbidden("Only instructors may download the gradebook.")
        g.instructor = user
        return view(*args, **kwargs)

    return cast(F, wrapped)


def acting_instructor() -> User:
    """The instructor behind this request (bearer token or session)."""
    user = g.get("instructor") or current_user._get_current_object()
    return cast(User, user)
