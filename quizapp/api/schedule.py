"""Schedules and extensions in the API, for instructors; the audit log as JSON."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, instructor_required, json_body
from quizapp.errors import BadRequest, ValidationFailed
from quizapp.services import audit, extensions, schedules


def _reason(body: dict[str, Any]) -> str | None:
    """The optional ``reason`` kept in the audit log."""
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed("reason must be text.", code="invalid_reason")
    return reason


def _with_extensions(window: schedules.Window) -> dict[str, Any]:
    data = window.to_dict()
    data["extensions"] = [
        extensions.extension_dict(row, email) for row, email in extensions.listing(window.slug)
    ]
    return data


@bp.get("/schedule")
@instructor_required
def list_schedules() -> ResponseReturnValue:
    """Every quiz's and exercise's dates and late penalty, with the extensions granted on each."""
    return jsonify([_with_extensions(window) for window in schedules.all_windows()])


@bp.get("/schedule/<slug>")
@instructor_required
def show_schedule(slug: str) -> ResponseReturnValue:
    """One quiz's or exercise's dates, late penalty and extensions."""
    return jsonify(_with_extensions(schedules.window(slug)))


@bp.put("/schedule/<slug>")
@instructor_required
def put_schedule(slug: str) -> ResponseReturnValue:
    """Set ``opens_at``, ``due_at``, ``closes_at`` (ISO 8601 or null) and ``late_penalty_per_day`` (0..1)."""
    body = json_body()
    reason = _reason(body)
    fields = {key: value for key, value in body.items() if key != "reason"}
    window = schedules.set_schedule(slug, fields, api_user(), reason)
    return jsonify(_with_extensions(window))


@bp.put("/schedule/<slug>/extensions/<email>")
@instructor_required
def put_extension(slug: str, email: str) -> ResponseReturnValue:
    """Give one student their own ``due_at`` and/or ``closes_at`` for this quiz or exercise."""
    body = json_body()
    unknown = sorted(set(body) - {"due_at", "closes_at", "reason"})
    if unknown:
        raise ValidationFailed(
            f"Unknown field(s) {', '.join(unknown)}; use due_at, closes_at.", code="invalid_extension"
        )
    row = extensions.set_extension(
        slug, email, body.get("due_at"), body.get("closes_at"), api_user(), _reason(body)
    )
    return jsonify(extensions.extension_dict(row, email.strip().lower()))


@bp.delete("/schedule/<slug>/extensions/<email>")
@instructor_required
def delete_extension(slug: str, email: str) -> ResponseReturnValue:
    """Withdraw a student's extension; 404 when there is none."""
    schedules.item(slug)
    extensions.remove_extension(slug, email, api_user(), _reason(json_body(required=False)))
    return jsonify({"slug": slug, "email": email.strip().lower(), "removed": True})


@bp.get("/audit")
@instructor_required
def list_audit() -> ResponseReturnValue:
    """The audit log, newest first: schedule changes, extensions, overrides and bulk regrades."""
    action = request.args.get("action")
    if action is not None and action not in audit.ACTIONS:
        raise BadRequest(f"action is one of {', '.join(audit.ACTIONS)}.", code="bad_parameter")
    return jsonify(
        [
            {
                "id": entry.id,
                "created_at": entry.created_at.isoformat(),
                "who": entry.actor_email,
                "action": entry.action,
                "target": entry.target,
                "reason": entry.reason,
                "details": entry.details,
            }
            for entry in audit.entries(action, limit=1000)
        ]
    )
