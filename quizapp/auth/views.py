"""Login, logout, registration and password change views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quizapp.auth import bp
from quizapp.auth.forms import LoginForm, PasswordForm, RegisterForm
from quizapp.auth.limits import limit_attempts
from quizapp.errors import DomainError, TooManyRequests
from quizapp.models import User
from quizapp.services import accounts


def _safe_next(target: str | None, default: str) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session: nothing of the anonymous one (its CSRF secret included) stays."""
    session.clear()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Show the login form and sign the user in."""
    form = LoginForm()
    status = 200
    if request.method == "POST":
        limit_attempts("login", "LOGIN_RATE_LIMIT")
        status = 400
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data or "", form.password.data or "")
        except DomainError as error:
            form.password.errors.append(error.message)  # type: ignore[attr-defined]
            status = error.status if isinstance(error, TooManyRequests) else 400
        else:
            start_session(user)
            home = url_for("instructor.index" if user.is_instructor else "student.index")
            return redirect(_safe_next(request.args.get("next"), home))
    return render_template("auth/login.html", form=form), status  # type: ignore[return-value]


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out (POST only, so a link cannot log anyone out); every copy of the session stops working."""
    accounts.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    response = redirect(url_for("auth.login"))
    # Nothing of this account stays in the browser's storage for the next person to sign in.
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    """Let a student create an account; the answer is the same whether or not the email was taken."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    required_code = current_app.config.get("COURSE_JOIN_CODE")
    form = RegisterForm()
    if request.method == "POST":
        limit_attempts("register", "REGISTER_RATE_LIMIT")
    if form.validate_on_submit():
        try:
            accounts.register_student(
                form.email.data or "", form.password.data or "", form.join_code.data, required_code
            )
        except DomainError as error:
            field = {"bad_join_code": form.join_code, "weak_password": form.password}.get(
                error.code, form.email
            )
            field.errors.append(error.message)  # type: ignore[attr-defined]
        else:
            # Signing in here would tell whoever registers that the address was free.
            flash(
                "Registration received. If that address had no account, it has one now: "
                "log in with the password you chose.",
                "success",
            )
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template(  # type: ignore[return-value]
        "auth/register.html", form=form, needs_code=bool(required_code)
    ), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change one's password; every other session ends and API tokens are revoked."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data or "", form.password.data or "")
        except DomainError as error:
            field = form.password if error.code == "weak_password" else form.current
            field.errors.append(error.message)  # type: ignore[attr-defined]
        else:
            start_session(user)
            flash("Password changed. Other sessions and API tokens no longer work.", "success")
            return redirect(url_for("student.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status  # type: ignore[return-value]
