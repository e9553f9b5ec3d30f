"""Auto-graded quizzes and coding exercises for sequence models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.config import build_config


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application; ``overrides`` take precedence over the environment."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(build_config(Path(app.instance_path), overrides))
    register_gate(app)
    register_routing(app)
    register_extensions(app)
    register_security(app)
    register_grading(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_gate(app: Flask) -> None:
    """Let only ``REQUEST_CONCURRENCY`` requests of this process run at once (``quizapp.gate``)."""
    from quizapp import gate

    gate.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the shared extension objects to this app."""
    from quizapp.extensions import compress, csrf, db, limiter, login_manager, migrate
    from quizapp.migrations_path import MIGRATIONS_DIR

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from quizapp.models import User
    from quizapp.services import accounts

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The session holds "id:session_version"; a bumped version (logout, new password) ends it.
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = accounts.user_by_id(int(user_id))
        return user if user is not None and user.session_version == int(version) else None


def register_routing(app: Flask) -> None:
    """Bound ``<int:...>`` ids to the id columns' range and JSON bodies in depth (see quizapp.routing)."""
    from quizapp.routing import BoundedJSONProvider, IdConverter

    app.url_map.converters["int"] = IdConverter
    app.json = BoundedJSONProvider(app)


def register_security(app: Flask) -> None:
    """Security headers on every response, with a Content-Security-Policy the pages work under."""
    from quizapp.extensions import talisman

    talisman.init_app(
        app,
        force_https=False,
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=app.config["CONTENT_SECURITY_POLICY"],
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",
    )


def register_grading(app: Flask) -> None:
    """Attach the grading backend (no thread starts here; see quizapp.grading)."""
    from quizapp.grading import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per audience."""
    from quizapp.api import bp as api_bp
    from quizapp.auth import bp as auth_bp
    from quizapp.instructor import bp as instructor_bp
    from quizapp.student import bp as student_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(student_bp)
    app.register_blueprint(instructor_bp, url_prefix="/instructor")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_template_helpers(app: Flask) -> None:
    """Helpers that draw verdicts (heatmaps, grouped tracebacks) and numbered code in templates."""
    from quizapp.verdict_view import register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    """Map domain and HTTP errors to JSON for the API and pages for browsers."""
    from quizapp.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the project's ``flask`` sub-commands."""
    from quizapp.commands import register

    register(app)
