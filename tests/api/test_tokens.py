"""Bearer tokens: issued for HTTP Basic credentials, stored hashed, required by the API."""

from __future__ import annotations

import hashlib

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import ApiToken
from tests.conftest import AuthActions


def test_token_issued_for_right_password(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """The right password yields a 201 token, stored only as its SHA-256 digest."""
    auth.create_user("ada@example.com")
    response = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse"))
    assert response.status_code == 201
    token = response.get_json()["token"]
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_token_refused_for_wrong_password(client: FlaskClient, auth: AuthActions) -> None:
    """A wrong password gets a 401 JSON error."""
    auth.create_user("ada@example.com")
    response = client.post("/api/v1/tokens", auth=("ada@example.com", "nope-nope"))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"


def test_token_refused_without_credentials(client: FlaskClient) -> None:
    """No HTTP Basic header at all gets a 401 JSON error."""
    response = client.post("/api/v1/tokens")
    assert response.status_code == 401
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_unknown_bearer_token_is_401(client: FlaskClient) -> None:
    """A made-up bearer token is refused with a JSON 401."""
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_token"


def test_session_api_write_needs_csrf_header(client: FlaskClient, auth: AuthActions) -> None:
    """A browser session may write through the API only with the X-CSRFToken header."""
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    response = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse"))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf"


def test_bearer_token_identifies_caller(client: FlaskClient, auth: AuthActions) -> None:
    """A valid bearer token authenticates API calls as its owner."""
    headers = auth.bearer("ada@example.com")
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"email": "ada@example.com", "role": "student"}


def test_anonymous_api_call_is_401(client: FlaskClient) -> None:
    """An API call without credentials gets a JSON 401."""
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
