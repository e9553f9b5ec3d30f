"""Registration, login and logout through the HTML forms."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import AuthActions, csrf_token_from


def register(client: FlaskClient, email: str, password: str = "correct-horse", **extra: str):
    token = csrf_token_from(client.get("/register").get_data(as_text=True))
    data = {"email": email, "password": password, "confirm": password, "csrf_token": token, **extra}
    return client.post("/register", data=data)


def test_register_creates_student_who_then_logs_in(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """Registering creates a student with a hashed password, sends them to log in, and the login works."""
    response = register(client, "Ada@Example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ada@example.com"))
        assert user is not None and user.role == "student"
        assert user.password_hash.startswith("$argon2")
    assert client.get("/").status_code == 302
    assert auth.login("ada@example.com").status_code == 302
    assert client.get("/").status_code == 200


def test_register_does_not_reveal_existing_emails(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    """Registering a taken email answers exactly as a new one does, and leaves that account untouched."""
    auth.create_user("ada@example.com", "the-real-password")
    taken = register(client, "ada@example.com")
    taken_page = client.get("/login").get_data(as_text=True)
    fresh = register(client, "bob@example.com")
    fresh_page = client.get("/login").get_data(as_text=True)
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    assert taken.get_data() == fresh.get_data()
    strip = re.compile(r'(value|content)="[^"]*"')
    assert strip.sub("", taken_page) == strip.sub("", fresh_page)
    assert "already" not in taken_page
    assert auth.login("ada@example.com", "correct-horse").status_code == 400
    assert auth.login("ada@example.com", "the-real-password").status_code == 302


def test_register_requires_join_code_when_configured(app: Flask, client: FlaskClient) -> None:
    """With a course join code set, a wrong code is refused and the right one accepted."""
    app.config["COURSE_JOIN_CODE"] = "RNN-2026"
    assert register(client, "a@example.com", join_code="nope").status_code == 400
    assert register(client, "a@example.com", join_code="RNN-2026").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "a@example.com")) is not None


def test_register_rejects_short_password(client: FlaskClient) -> None:
    """A password under eight characters is refused with a message."""
    response = register(client, "a@example.com", password="short")
    assert response.status_code == 400
    assert "at least 8" in response.get_data(as_text=True)


def test_login_and_logout(client: FlaskClient, auth: AuthActions) -> None:
    """Correct credentials open a session, and logging out closes it."""
    auth.create_user("ada@example.com")
    assert auth.login("ada@example.com").status_code == 302
    assert client.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302


def test_login_wrong_password(client: FlaskClient, auth: AuthActions) -> None:
    """A wrong password re-shows the form with an error and no session."""
    auth.create_user("ada@example.com")
    response = auth.login("ada@example.com", "wrong-password")
    assert response.status_code == 400
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_rejected(client: FlaskClient, auth: AuthActions) -> None:
    """A login POST missing its CSRF token is refused even with the right password."""
    auth.create_user("ada@example.com")
    response = client.post("/login", data={"email": "ada@example.com", "password": "correct-horse"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_ignores_offsite_next(client: FlaskClient, auth: AuthActions) -> None:
    """The ``next`` parameter cannot redirect to another site after login."""
    auth.create_user("ada@example.com")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "ada@example.com", "password": "correct-horse", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly(client: FlaskClient, auth: AuthActions) -> None:
    """The session cookie is HttpOnly and SameSite=Lax."""
    auth.create_user("ada@example.com")
    response = auth.login("ada@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_student_is_turned_away_from_instructor_pages(client: FlaskClient, auth: AuthActions) -> None:
    """A student gets a 403 page on /instructor/, an anonymous visitor is sent to log in."""
    assert client.get("/instructor/").status_code == 302
    auth.create_user("ada@example.com")
    auth.login("ada@example.com")
    response = client.get("/instructor/")
    assert response.status_code == 403
    assert "text/html" in response.content_type
