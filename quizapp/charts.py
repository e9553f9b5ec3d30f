"""Server-side charts as inline SVG (pygal), readable with JavaScript off and with no external files."""

from __future__ import annotations

import copy
import math
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

# pygal appends an old-style finder (find_module only) to sys.meta_path for its map plugins, which we
# never use; importers that call find_spec on every finder, such as pytest's importlib mode, crash on it.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
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
    # Opaque bars, so that a gridline never shows through a bar or the value printed on it.
    opacity="1",
    opacity_hover=".85",
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


def _printed_values() -> dict[str, Any]:
    """Settings for bar charts that print each bar's value: the value sits just above its bar, and the
    horizontal gridlines are left out, since a gridline at a bar's height would cross its label and the
    printed values already say what the gridlines would."""
    return {"print_values": True, "print_values_position": "top", "show_y_guides": False}


def _inline(chart: Any, label: str) -> Markup:
    """Render a chart to an SVG string marked as one image with an accessible name."""
    svg = str(chart.render(is_unicode=True))
    # pygal always embeds a small config <script> for its optional tooltips; the charts need none.
    svg = _SCRIPT.sub("", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 - pygal output with escaped labels; our data is numbers and slugs


def count_labels(highest: int, most: int = 10) -> list[int]:
    """Whole-number axis labels from 0 to at least ``highest``, at most about ``most`` of them."""
    step = max(1, math.ceil(highest / most))
    return list(range(0, max(highest, 1) + step, step))


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
    bins = histogram_bins(scores, max_score)
    chart = pygal.Histogram(**_config(title=title, x_title="score", y_title="students"))
    chart.y_labels = count_labels(max((count for count, _, _ in bins), default=0))
    chart.add("students", bins)
    return _inline(chart, f"{title}: histogram of {len(scores)} students' scores out of {max_score:g}")


def pass_rate_bars(
    rates: Sequence[tuple[str, float | None]], title: str = "Pass rate per exercise"
) -> Markup:
    """Bar chart of the share (in percent) of submitting students who passed each exercise."""
    chart = pygal.Bar(
        **_config(title=title, y_title="% passed", range=(0, 100), x_label_rotation=30, **_printed_values())
    )
    chart.x_labels = [slug for slug, _ in rates]
    chart.value_formatter = lambda v: f"{v:.0f}%"
    chart.add("pass rate", [None if rate is None else round(rate * 100, 1) for _, rate in rates])
    return _inline(chart, f"{title}, in percent")


def submissions_over_time(per_day: Sequence[tuple[date, int]], title: str = "Submissions per day") -> Markup:
    """Bar chart of how many submissions arrived each day."""
    chart = pygal.Bar(**_config(title=title, y_title="submissions", x_label_rotation=30))
    chart.y_labels = count_labels(max((count for _, count in per_day), default=0))
    chart.x_labels = [day.isoformat() for day, _ in per_day]
    if len(per_day) > 14:
        chart.show_minor_x_labels = False
        chart.x_labels_major_every = max(1, len(per_day) // 10)
    chart.add("submissions", [count for _, count in per_day])
    return _inline(chart, f"{title}, {sum(c for _, c in per_day)} in all")


def attempts_chart(
    histogram: Sequence[tuple[int, int]], never: int, title: str = "Attempts until the first pass"
) -> Markup:
    """Bar chart of how many students first passed on their 1st, 2nd, ... submission, and how many not yet."""
    most = max((attempts for attempts, _ in histogram), default=0)
    counts = dict(histogram)
    chart = pygal.Bar(
        **_config(title=title, x_title="submissions", y_title="students", **_printed_values())
    )
    chart.x_labels = [*(str(k) for k in range(1, most + 1)), "not yet"]
    chart.y_labels = count_labels(max([never, *counts.values()]))
    chart.add("students", [*(counts.get(k, 0) for k in range(1, most + 1)), never])
    return _inline(chart, f"{title}: {sum(counts.values())} students passed, {never} not yet")


def submissions_timeline(
    per_day: Sequence[tuple[date, int]], due: dict[date, list[str]], title: str = "Submissions per day"
) -> Markup:
    """Submissions per day over the schedule's window; each due date gets a red marker bar and a label."""
    style = copy.copy(STYLE)
    style.colors = ("#2456c9", "#b3261e")  # submissions blue, due-date markers red
    chart = pygal.Bar(
        **_config(title=title, y_title="submissions", x_label_rotation=30, show_legend=True, style=style)
    )
    chart.legend_at_bottom = True
    peak = max((count for _, count in per_day), default=0)
    chart.y_labels = count_labels(peak)
    chart.x_labels = [
        f"{day:%a} {day.day} {day:%b}" + (" · due" if day in due else "") for day, _ in per_day
    ]
    if len(per_day) > 14:
        chart.show_minor_x_labels = False
        chart.x_labels_major = [label for label in chart.x_labels if label.endswith("· due")] or None
        if not chart.x_labels_major:
            chart.x_labels_major_every = max(1, len(per_day) // 10)
    chart.add("submissions", [count for _, count in per_day])
    chart.add("due date", [max(1, peak) if day in due else None for day, _ in per_day])
    names = "; ".join(f"{', '.join(s)} due {day:%a} {day.day} {day:%b}" for day, s in sorted(due.items()))
    first, last = (per_day[0][0], per_day[-1][0]) if per_day else (None, None)
    span = f" from {first} to {last}" if first else ""
    return _inline(chart, f"{title}{span}, {sum(c for _, c in per_day)} in all. {names}".strip())
