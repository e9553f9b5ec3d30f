"""Who is calling the API: a bearer token, or a browser session with a CSRF header."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from quizapp.api import bp
from quizapp.errors import BadRequest, Forbidden, Unauthorized
from quizapp.models import User
from quizapp.routing import JSONTooDeep, loads_bounded
from quizapp.services import accounts

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def identify_caller() -> None:
    """Resolve ``g.api_user`` from a bearer token or the session, once per request."""
    g.api_user = None
    g.api_token = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        g.api_token = accounts.token_for(header[7:].strip())
        g.api_user = g.api_token.user
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            token = request.headers.get("X-CSRFToken", "")
            try:
                validate_csrf(token)
            except (CSRFError, ValidationError) as exc:
                raise Forbidden("Missing or invalid X-CSRFToken header.", code="csrf") from exc
        g.api_user = current_user._get_current_object()


def api_user() -> User:
    """The authenticated caller; raises Unauthorized when there is none."""
    user = g.get("api_user")
    if user is None:
        raise Unauthorized("Authentication required: send 'Authorization: Bearer TOKEN'.")
    return cast(User, user)


def login_required(view: F) -> F:
    """Refuse anonymous callers with a 401 JSON error."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        api_user()
        return view(*args, **kwargs)

    return cast(F, wrapped)


def instructor_required(view: F) -> F:
    """Refuse anonymous callers with 401 and students with 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not api_user().is_instructor:
            raise Forbidden("Only instructors may do this.")
        return view(*args, **kwargs)

    return cast(F, wrapped)


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; malformed, non-UTF-8 or non-object bodies are a 400."""
    raw = request.get_data(cache=True)
    if not raw:
        if required:
            raise BadRequest("A JSON object body is required.", code="missing_body")
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("The body is not valid UTF-8.", code="bad_encoding") from exc
    try:
        data = loads_bounded(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"Malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.", code="bad_json"
        ) from exc
    except JSONTooDeep as exc:
        raise BadRequest(str(exc), code="too_deep") from exc
    if not isinstance(data, dict):
        raise BadRequest("The JSON body must be an object.", code="bad_json")
    return data


def wait_seconds() -> float:
    """The `wait` query parameter: seconds to wait for a verdict, 0 (the default) to answer at once."""
    raw = request.args.get("wait")
    if raw is None:
        return 0.0
    limit = float(current_app.config["LONG_POLL_MAX_WAIT"])
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= limit:
        raise BadRequest(f"wait must be a number of seconds from 0 to {limit:g}.", code="bad_wait")
    return seconds
