"""The schedule page (dates, late penalties, extensions and their CSV import) and the audit log."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.auth.guards import instructor_page
from quizapp.errors import DomainError, NotFound
from quizapp.extensions import db
from quizapp.instructor import bp
from quizapp.instructor.access import instructor_download
from quizapp.instructor.forms import ActionForm
from quizapp.models import Extension, User
from quizapp.services import audit, extensions, schedule_time, schedules

MAX_CSV_BYTES = 512 * 1024


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _penalty_from_percent(raw: str) -> float:
    """The form's "% per day" as a share (``"50"`` -> 0.5); empty means no penalty."""
    text = raw.strip().rstrip("%").strip()
    if not text:
        return 0.0
    try:
        return float(text) / 100
    except ValueError:
        return -1.0  # refused by the service with its clear message


@bp.app_template_global("schedule_local")
def schedule_local(value: Any) -> str:
    """A stored UTC time in the course's zone, for instructor and student pages."""
    return schedule_time.local_text(value)


@bp.context_processor
def schedule_helpers() -> dict[str, Any]:
    """Helpers for this blueprint's templates: form values in course time, a student's extensions."""
    return {
        "local_input": schedule_time.local_input,
        "course_zone": lambda: schedule_time.course_zone().key,
        "student_extensions": _student_extensions,
        "schedule_items": schedules.items,
    }


def _student_extensions(user_id: int) -> list[tuple[Extension, schedules.Window]]:
    """A student's extensions with the dates that now apply to them."""
    applies = schedules.windows_for(user_id)
    return [(row, applies[row.slug]) for row in extensions.for_student(user_id) if row.slug in applies]


@bp.get("/schedule")
@instructor_page
def schedule_page() -> str:
    """Every quiz's and exercise's dates and late penalty, editable; extensions; the CSV import."""
    by_slug: dict[str, list[tuple[Extension, str]]] = {}
    for row, email in extensions.listing():
        by_slug.setdefault(row.slug, []).append((row, email))
    return render_template(
        "instructor/schedule.html",
        windows=schedules.all_windows(),
        extensions=by_slug,
        action_form=ActionForm(),
        zone=schedule_time.course_zone().key,
    )


@bp.post("/schedule/<slug>")
@instructor_page
def save_schedule(slug: str) -> Response:
    """Store the dates from one row of the schedule page (times in the course's zone)."""
    here = url_for("instructor.schedule_page") + f"#schedule-{slug}"
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    fields: dict[str, Any] = {name: request.form.get(name, "") for name in schedule_time.TIME_FIELDS}
    fields["late_penalty_per_day"] = _penalty_from_percent(request.form.get("penalty_percent", ""))
    try:
        stored = schedules.set_schedule(slug, fields, _actor(), request.form.get("reason"))
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(f"{slug}: {error.message} Nothing was changed.", "error")
        return redirect(here)
    flash(f"Saved the dates of {stored.title}.", "success")
    return redirect(here)


@bp.post("/schedule/<slug>/extensions/<int:user_id>/delete")
@instructor_page
def remove_extension(slug: str, user_id: int) -> Response:
    """Withdraw one student's extension."""
    back = request.form.get("next", "")
    here = back if back.startswith("/") and not back.startswith("//") else url_for("instructor.schedule_page")
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    student = db.session.get(User, user_id)
    if student is None:
        raise NotFound(f"There is no student {user_id}.", code="unknown_student")
    extensions.remove_extension(slug, student.email, _actor(), request.form.get("reason"))
    flash(f"Removed the extension of {student.email} on {slug}.", "success")
    return redirect(here)


@bp.post("/students/<int:user_id>/extensions")
@instructor_page
def grant_extension(user_id: int) -> Response:
    """Grant one student new due and/or close dates for one quiz or exercise (from the student page)."""
    here = url_for("instructor.student", user_id=user_id) + "#extensions"
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    student = db.session.get(User, user_id)
    if student is None or student.is_instructor:
        raise NotFound(f"There is no student {user_id}.", code="unknown_student")
    slug = request.form.get("slug", "")
    try:
        extensions.set_extension(
            slug,
            student.email,
            request.form.get("due_at"),
            request.form.get("closes_at"),
            _actor(),
            request.form.get("reason"),
        )
    except DomainError as error:
        db.session.rollback()
        flash(f"{error.message} No extension was granted.", "error")
        return redirect(here)
    flash(f"Extension on {slug} granted to {student.email}.", "success")
    return redirect(here)


@bp.post("/schedule/extensions.csv")
@instructor_page
def import_extensions() -> Response:
    """Grant extensions in bulk from an uploaded CSV ``email,slug,due_at,closes_at``: all or nothing."""
    here = url_for("instructor.schedule_page") + "#import"
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    upload = request.files.get("extensions")
    if upload is None or not upload.filename:
        flash("Choose a CSV file to import.", "error")
        return redirect(here)
    raw = upload.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        flash(f"The file is over {MAX_CSV_BYTES // 1024} KiB; nothing was imported.", "error")
        return redirect(here)
    try:
        rows = extensions.read_csv(raw.decode("utf-8"))
        count = extensions.import_rows(rows, _actor(), request.form.get("reason"))
    except UnicodeDecodeError:
        flash("The file is not UTF-8 text; nothing was imported.", "error")
        return redirect(here)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(here)
    flash(f"Imported {count} extension{'' if count == 1 else 's'}.", "success")
    return redirect(here)


@bp.get("/audit")
@instructor_page
def audit_page() -> str:
    """The audit log, newest first; ``action`` keeps one kind."""
    action = request.args.get("action", "")
    if action not in audit.ACTIONS:
        action = ""
    return render_template(
        "instructor/audit.html",
        entries=audit.entries(action or None, limit=500),
        action=action,
        actions=audit.ACTIONS,
    )


@bp.get("/audit.csv")
@instructor_download
def audit_csv() -> Response:
    """The whole audit log as CSV, for a signed-in instructor or an instructor's bearer token."""
    return Response(
        audit.audit_csv(audit.entries()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"', "Cache-Control": "no-store"},
    )
