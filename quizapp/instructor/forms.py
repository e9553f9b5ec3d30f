"""Instructor forms; Flask-WTF adds and checks the CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from quizapp.services.overrides import MAX_REASON_LENGTH


class OverrideForm(FlaskForm):
    """A new score for a submission and the reason for it (both required)."""

    score = DecimalField(
        "New score",
        places=None,
        validators=[InputRequired(message="Enter the new score."), NumberRange(min=0)],
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    reason = TextAreaField(
        "Reason (kept in the history and shown to other instructors)",
        validators=[DataRequired(message="Give a reason for the override."), Length(max=MAX_REASON_LENGTH)],
    )


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (regrade)."""
