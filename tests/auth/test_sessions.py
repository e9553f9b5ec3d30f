"""Sessions end for good: logout and a password change invalidate every copy; login rotates CSRF."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions, csrf_token_from


def session_cookie(client: FlaskClient) -> str:
    """The client's current session cookie value."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_session_copied_before_logout_stops_working(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """A session cookie copied before logout no longer signs anyone in after it."""
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    stolen = session_cookie(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert thief.get("/").status_code == 302
    assert thief.get("/api/v1/me").status_code == 401


def test_logout_ends_other_browsers_too_and_login_works_again(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """Logging out in one browser ends the session in another; signing in again gives a working one."""
    auth.create_user("ada@example.com")
    other = app.test_client()
    AuthActions(app, other).login("ada@example.com")
    auth.login("ada@example.com")
    auth.logout()
    assert other.get("/").status_code == 302
    assert auth.login("ada@example.com").status_code == 302
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_and_tokens(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """Changing the password keeps this session, ends every other one and revokes API tokens."""
    auth.create_user("ada@example.com")
    bearer = {"Authorization": f"Bearer {auth.token('ada@example.com')}"}
    other = app.test_client()
    AuthActions(app, other).login("ada@example.com")
    auth.login("ada@example.com")
    form = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    response = client.post(
        "/account/password",
        data={
            "current": "correct-horse",
            "password": "new-horse-42",
            "confirm": "new-horse-42",
            "csrf_token": form,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    auth.logout()
    assert auth.login("ada@example.com", "correct-horse").status_code == 400
    assert auth.login("ada@example.com", "new-horse-42").status_code == 302


def test_password_change_needs_the_current_password(client: FlaskClient, auth: AuthActions) -> None:
    """A wrong current password changes nothing."""
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    form = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    response = client.post(
        "/account/password",
        data={
            "current": "guess-guess",
            "password": "new-horse-42",
            "confirm": "new-horse-42",
            "csrf_token": form,
        },
    )
    assert response.status_code == 400
    assert "not right" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_csrf_secret_rotates_at_login(client: FlaskClient, auth: AuthActions) -> None:
    """A CSRF token from before login is refused after it; the fresh one works."""
    auth.create_user("ada@example.com")
    before = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"email": "ada@example.com", "password": "correct-horse", "csrf_token": before}
    )
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    after = csrf_token_from(client.get("/").get_data(as_text=True))
    assert after != before
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302
