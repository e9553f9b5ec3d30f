"""Domain exceptions and the one place that turns errors into HTTP responses."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge


class DomainError(Exception):
    """A rule of the platform was broken; carries its HTTP status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.retry_after = retry_after


class BadRequest(DomainError):
    """The request could not be parsed."""


class Unauthorized(DomainError):
    """No valid credentials were given."""

    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status, code = 403, "forbidden"


class Closed(Forbidden):
    """The quiz or exercise is outside its schedule's window for this student."""

    code = "closed"


class NotFound(DomainError):
    """No such thing, or not one the caller may see."""

    status, code = 404, "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, already closed...)."""

    status, code = 409, "conflict"


class PayloadTooLarge(DomainError):
    """A field or body is over its size cap."""

    status, code = 413, "payload_too_large"


class ValidationFailed(DomainError):
    """Well-formed input that breaks a rule."""

    status, code = 422, "invalid"


class TooManyRequests(DomainError):
    """A rate or attempt limit was reached."""

    status, code = 429, "rate_limited"


class Unavailable(DomainError):
    """The platform is over capacity; try again later."""

    status, code = 503, "unavailable"


def wants_json() -> bool:
    """Whether this request should get a JSON error rather than an HTML page."""
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, code: str, message: str, retry_after: int | None = None) -> Response:
    """Render one error as JSON or as a friendly page, with the right status."""
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        response = Response(
            render_template("errors/error.html", status=status, code=code, message=message),
            mimetype="text/html",
        )
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    if status == 401 and wants_json():
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def register(app: Flask) -> None:
    """Install the handlers; every error leaves as JSON for the API and HTML otherwise."""

    @app.before_request
    def refuse_oversized_bodies() -> None:
        # Werkzeug only enforces MAX_CONTENT_LENGTH when a view reads the body; refuse up front.
        limit = app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError) -> Response:
        return error_response(error.status, error.code, error.message, error.retry_after)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Response:
        status = error.code or 500
        retry_after = None
        if status == 429:
            retry_after = _retry_after_from(error)
        message = error.description or error.name
        if status == 413:
            message = f"Request body is too large (limit {app.config['MAX_CONTENT_LENGTH']} bytes)."
        response = error_response(status, HTTP_CODES.get(status, "http_error"), message, retry_after)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            # RFC 9110: a 405 lists the methods the resource does support.
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side.")


def _retry_after_from(error: HTTPException) -> int:
    response = error.get_response()
    value = response.headers.get("Retry-After")
    try:
        return max(1, int(value)) if value else 60
    except ValueError:
        return 60
