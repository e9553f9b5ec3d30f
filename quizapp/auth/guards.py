"""Decorators that keep pages to the right audience."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask_login import current_user, login_required

from quizapp.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])


def instructor_page(view: F) -> F:
    """Send anonymous visitors to the login page and turn students away with a 403 page."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_instructor:
            raise Forbidden("This page is for instructors.")
        return view(*args, **kwargs)

    return cast(F, wrapped)
