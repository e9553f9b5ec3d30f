"""Login, logout and registration views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quizapp.auth import bp
from quizapp.auth.forms import LoginForm, RegisterForm
from quizapp.errors import DomainError
from quizapp.extensions import limiter
from quizapp.services import accounts


def _safe_next(target: str | None, default: str) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return default


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def login() -> str | Response:
    """Show the login form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data or "", form.password.data or "")
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            login_user(user)
            home = url_for("instructor.index" if user.is_instructor else "student.index")
            return redirect(_safe_next(request.args.get("next"), home))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status  # type: ignore[return-value]


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out (POST only, so a link cannot log anyone out)."""
    logout_user()
    flash("You are signed out.", "info")
    response = redirect(url_for("auth.login"))
    # Nothing of this account stays in the browser's storage for the next person to sign in.
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def register() -> str | Response:
    """Let a student create an account."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    required_code = current_app.config.get("COURSE_JOIN_CODE")
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_student(
                form.email.data or "", form.password.data or "", form.join_code.data, required_code
            )
        except DomainError as error:
            field = {"bad_join_code": form.join_code, "weak_password": form.password}.get(
                error.code, form.email
            )
            field.errors.append(error.message)  # type: ignore[attr-defined]
        else:
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("student.index"))
    status = 400 if request.method == "POST" else 200
    return render_template(  # type: ignore[return-value]
        "auth/register.html", form=form, needs_code=bool(required_code)
    ), status
