"""Bearer tokens: issued for HTTP Basic credentials, stored hashed, required by the API."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import ApiToken
from tests.conftest import AuthActions, csrf_token_from


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


def test_tokens_listed_without_secrets(client: FlaskClient, auth: AuthActions) -> None:
    """GET /tokens lists the caller's own tokens (name, dates, which one is in use), never the token."""
    auth.create_user("ada@example.com")
    auth.create_user("bob@example.com")
    named = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse"), json={"name": "laptop"})
    assert named.status_code == 201 and named.get_json()["name"] == "laptop"
    current = auth.token("ada@example.com")
    auth.token("bob@example.com")
    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {current}"}).get_json()
    assert [t["name"] for t in listed] == [None, "laptop"]
    assert [t["current"] for t in listed] == [True, False]
    assert listed[0]["last_used_at"] is not None and listed[1]["last_used_at"] is None
    assert all("token" not in t for t in listed)


def test_token_lifetime_is_short(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """A new token expires after API_TOKEN_TTL_DAYS (30 days by default), not half a year."""
    auth.create_user("ada@example.com")
    body = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse")).get_json()
    lifetime = datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(body["created_at"])
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


def test_token_revoked_by_id_only_by_its_owner(client: FlaskClient, auth: AuthActions) -> None:
    """DELETE /tokens/{id} revokes one's own token (204, then 401 with it); another's is a 404."""
    ada = {"Authorization": f"Bearer {auth.bearer('ada@example.com')['Authorization'][7:]}"}
    spare = client.post("/api/v1/tokens", auth=("ada@example.com", "correct-horse")).get_json()
    bob = auth.bearer("bob@example.com")
    assert client.delete(f"/api/v1/tokens/{spare['id']}", headers=bob).status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {spare['token']}"}).status_code == 200
    assert client.delete(f"/api/v1/tokens/{spare['id']}", headers=ada).status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {spare['token']}"}).status_code == 401
    assert client.delete(f"/api/v1/tokens/{spare['id']}", headers=ada).status_code == 404
    assert client.get("/api/v1/me", headers=ada).status_code == 200


def test_current_token_revoked(client: FlaskClient, auth: AuthActions) -> None:
    """DELETE /tokens/current revokes the token the request carries, and only that one."""
    headers = auth.bearer("ada@example.com")
    other = {"Authorization": f"Bearer {auth.token('ada@example.com')}"}
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200


def test_current_token_needs_a_token(client: FlaskClient, auth: AuthActions) -> None:
    """A browser session (no bearer token) asking to revoke "the current token" gets a 400."""
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.delete("/api/v1/tokens/current", headers={"X-CSRFToken": csrf})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "no_token"
