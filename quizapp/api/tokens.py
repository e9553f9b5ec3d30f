"""Bearer tokens: issuing them from HTTP Basic credentials, listing and revoking them."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, json_body, login_required
from quizapp.auth.limits import limit_attempts
from quizapp.errors import BadRequest, Unauthorized
from quizapp.models import ApiToken
from quizapp.services import accounts


def token_dict(token: ApiToken) -> dict[str, Any]:
    """A token's public description (never the token itself)."""
    current = g.get("api_token")
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "current": current is not None and current.id == token.id,
    }


@bp.post("/tokens")
def create_token() -> ResponseReturnValue:
    """Exchange email:password (HTTP Basic) for a bearer token, optionally named in the JSON body."""
    limit_attempts("token", "TOKEN_RATE_LIMIT")
    credentials = request.authorization
    if credentials is None or credentials.type != "basic" or not credentials.username:
        raise Unauthorized("Send your email and password with HTTP Basic authentication.")
    name = json_body(required=False).get("name")
    if name is not None and (not isinstance(name, str) or len(name) > accounts.MAX_TOKEN_NAME):
        raise BadRequest(f'"name" is a string of at most {accounts.MAX_TOKEN_NAME} characters.')
    user = accounts.authenticate(credentials.username, credentials.password or "")
    raw, token = accounts.create_token(user, current_app.config["API_TOKEN_TTL_DAYS"], name)
    return jsonify({"token": raw, **token_dict(token)}), 201


@bp.get("/tokens")
@login_required
def list_tokens() -> ResponseReturnValue:
    """The caller's unexpired tokens, newest first; ``current`` marks the one this request used."""
    return jsonify([token_dict(token) for token in accounts.live_tokens(api_user())])


@bp.delete("/tokens/current")
@login_required
def revoke_current_token() -> ResponseReturnValue:
    """Revoke the bearer token this request was sent with (a sign-out for API clients)."""
    token = g.get("api_token")
    if token is None:
        raise BadRequest("This request carries no bearer token to revoke.", code="no_token")
    accounts.revoke_token(api_user(), token.id)
    return "", 204


@bp.delete("/tokens/<int:token_id>")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke one of the caller's own tokens; anyone else's is a 404."""
    accounts.revoke_token(api_user(), token_id)
    return "", 204


@bp.get("/me")
@login_required
def whoami() -> ResponseReturnValue:
    """The caller's own account."""
    user = api_user()
    return jsonify({"email": user.email, "role": user.role})
