"""Number formatting for the instructor templates."""

from __future__ import annotations

from typing import Any

from quizapp.instructor import bp

DASH = "—"


def score(value: float | None) -> str:
    """A score without a trailing ``.0``; a dash when missing."""
    if value is None:
        return DASH
    value = round(float(value), 2)
    return f"{value:g}"


def percent(share: float | None, digits: int = 0) -> str:
    """A share (0..1) as a percentage; a dash when undefined."""
    return DASH if share is None else f"{100 * share:.{digits}f}%"


def decimal(value: float | None, digits: int = 2) -> str:
    """A plain number with fixed decimals; a dash when undefined."""
    return DASH if value is None else f"{value:.{digits}f}"


@bp.context_processor
def formatting_helpers() -> dict[str, Any]:
    """Expose the formatters to this blueprint's templates."""
    return {"fmt_score": score, "fmt_pct": percent, "fmt_num": decimal}
