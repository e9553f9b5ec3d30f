"""Server-side charts as inline SVG (pygal), readable with JavaScript off and with no external files."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#5b6478",
    colors=("#2456c9", "#1d7a3a", "#b3261e"),
    font_family="system-ui, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    title_font_size=18,
    value_font_size=13,
    tooltip_font_size=14,
)


def _config(**extra: Any) -> dict[str, Any]:
    """Settings shared by every chart: no pygal JavaScript, no XML declaration, our style."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "show_legend": False,
        "width": 720,
        "height": 360,
        "margin": 16,
        **extra,
    }


def _inline(chart: Any, label: str) -> Markup:
    """Render a chart to an SVG string marked as one image with an accessible name."""
    svg = str(chart.render(is_unicode=True))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 - pygal output with escaped labels; our data is numbers and slugs


def histogram_bins(scores: Sequence[float], max_score: float) -> list[tuple[int, float, float]]:
    """Bins as (count, start, end) over 0..max_score.

    A small whole-number maximum gets one bar per score, centred on it ([k − ½, k + ½)); otherwise ten
    equal bins, the last one closed so that a full score is counted.
    """
    if max_score <= 0:
        return []
    if float(max_score).is_integer() and max_score <= 20:
        count, start, width = int(max_score) + 1, -0.5, 1.0
    else:
        count, start, width = 10, 0.0, max_score / 10
    counts = [0] * count
    for score in scores:
        index = min(count - 1, max(0, math.floor((score - start) / width + 1e-9)))
        counts[index] += 1
    return [(counts[i], start + i * width, start + (i + 1) * width) for i in range(count)]


def quiz_histogram(scores: Sequence[float], max_score: float, title: str = "Best quiz scores") -> Markup:
    """Histogram of students' quiz scores out of ``max_score``."""
    chart = pygal.Histogram(**_config(title=title, x_title="score", y_title="students"))
    chart.add("students", histogram_bins(scores, max_score))
    return _inline(chart, f"{title}: histogram of {len(scores)} students' scores out of {max_score:g}")


def pass_rate_bars(
    rates: Sequence[tuple[str, float | None]], title: str = "Pass rate per exercise"
) -> Markup:
    """Bar chart of the share (in percent) of submitting students who passed each exercise."""
    chart = pygal.Bar(
        **_config(title=title, y_title="% passed", range=(0, 100), x_label_rotation=30, print_values=True)
    )
    chart.x_labels = [slug for slug, _ in rates]
    chart.value_formatter = lambda v: f"{v:.0f}%"
    chart.add("pass rate", [None if rate is None else round(rate * 100, 1) for _, rate in rates])
    return _inline(chart, f"{title}, in percent")


def submissions_over_time(per_day: Sequence[tuple[date, int]], title: str = "Submissions per day") -> Markup:
    """Bar chart of how many submissions arrived each day."""
    chart = pygal.Bar(**_config(title=title, y_title="submissions", x_label_rotation=30))
    chart.x_labels = [day.isoformat() for day, _ in per_day]
    if len(per_day) > 14:
        chart.show_minor_x_labels = False
        chart.x_labels_major_every = max(1, len(per_day) // 10)
    chart.add("submissions", [count for _, count in per_day])
    return _inline(chart, f"{title}, {sum(c for _, c in per_day)} in all")
