"""Issuing bearer tokens from HTTP Basic credentials."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, login_required
from quizapp.errors import Unauthorized
from quizapp.extensions import limiter
from quizapp.services import accounts


@bp.post("/tokens")
@limiter.limit("20/minute")
def create_token() -> ResponseReturnValue:
    """Exchange email:password (HTTP Basic) for a bearer token."""
    credentials = request.authorization
    if credentials is None or credentials.type != "basic" or not credentials.username:
        raise Unauthorized("Send your email and password with HTTP Basic authentication.")
    user = accounts.authenticate(credentials.username, credentials.password or "")
    token = accounts.issue_token(user, current_app.config["API_TOKEN_TTL_DAYS"])
    return jsonify({"token": token}), 201


@bp.get("/me")
@login_required
def whoami() -> ResponseReturnValue:
    """The caller's own account."""
    user = api_user()
    return jsonify({"email": user.email, "role": user.role})
