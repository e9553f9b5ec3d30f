"""Verdicts as HTML helpers: grouped case problems, |difference| heatmaps (inline SVG), numbered code.

Everything here turns stored verdict JSON into escaped markup for the templates; the SVG needs no
script and no external file, and colours come from classes in ``static/exercise.css``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

# Where the sandbox names the student's file in a traceback, and "line N" in the grader's own words.
_LINE_REFERENCE = re.compile(r'(File "submission\.py", line |\bon line |\bline )(\d{1,6})\b')
_INPUTS = "\nInputs:\n"
SHADES = 5  # colour classes hm1..hm5 for values outside the tolerance, by share of the largest


@dataclass
class CaseGroup:
    """Failing cases that share one explanation (e.g. the same traceback), shown once."""

    head: str
    cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_traceback(self) -> bool:
        """Whether the shared text holds a Python traceback."""
        return "Traceback (most recent call last)" in self.head


def split_message(message: str) -> tuple[str, str]:
    """A case message as (what went wrong, the inputs and full arrays that follow it)."""
    head, sep, rest = message.partition(_INPUTS)
    return head.strip("\n"), (sep.lstrip("\n") + rest) if sep else ""


_NOTE = re.compile(r"^\([^()\n]*\) ")


def short_summary(message: str) -> str:
    """The first line of what went wrong, without the case's leading "(n_x=3, ...)" note."""
    head, _ = split_message(message)
    return _NOTE.sub("", head.split("\n", 1)[0])


def case_note(head: str) -> str:
    """The case's leading note, e.g. "n_x=3, m=2" ('' when there is none)."""
    match = _NOTE.match(head)
    return match.group(0).strip()[1:-1] if match else ""


def failing_groups(verdict: Mapping[str, Any]) -> list[CaseGroup]:
    """The failing cases, those with the same multi-line explanation (a traceback) grouped together."""
    groups: dict[str, CaseGroup] = {}
    order: list[CaseGroup] = []
    for index, case in enumerate(verdict.get("cases") or []):
        if not isinstance(case, Mapping) or case.get("passed"):
            continue
        head, _ = split_message(str(case.get("message") or ""))
        key = head if "\n" in head else f"{index}\x00{head}"  # one-line summaries stay per case
        if key not in groups:
            groups[key] = CaseGroup(head)
            order.append(groups[key])
        groups[key].cases.append({**case, "number": index + 1})
    return order


def link_lines(text: str, href: str | None) -> Markup:
    """Escape ``text``; with ``href`` (e.g. ``/submissions/7#L``), make each "line N" a link to line N."""
    if not href:
        return escape(text)
    parts: list[str] = []
    last = 0
    for match in _LINE_REFERENCE.finditer(text):
        number = match.group(2)
        parts.append(str(escape(text[last : match.start()])))
        parts.append(
            f'{escape(match.group(1))}<a class="line-link" href="{escape(href)}{number}" '
            f'data-line="{number}">{number}</a>'
        )
        last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


def numbered_code(code: str, prefix: str = "L") -> Markup:
    """Code as one ``<span class="line" id="{prefix}{n}">`` per line; CSS counters draw the numbers,
    so they are not copied with the code."""
    lines = code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    anchor = escape(prefix)
    spans = [f'<span class="line" id="{anchor}{n}">{escape(line)}</span>' for n, line in enumerate(lines, 1)]
    return Markup("\n".join(spans))  # noqa: S704 - code and prefix are escaped


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "–"
    if isinstance(value, int | float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


def _index(index: Any) -> str:
    if isinstance(index, Sequence) and not isinstance(index, str):
        return "(" + ", ".join(str(i) for i in index) + ")"
    return ""


def step_words(name: str, step: Any) -> str:
    """'your `a` is right for t = 0 and wrong from t = 1 on' ('' without a step)."""
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        return ""
    if step == 0:
        return f"Your {name} is wrong from the first step (t = 0) on."
    right = "t = 0" if step == 1 else f"t = 0 to {step - 1}"
    return f"Your {name} is right for {right} and wrong from t = {step} on."


def heatmap(output: Mapping[str, Any]) -> Markup:
    """An inline SVG heatmap of |yours − expected| for one wrong output ('' when it has no grid).

    Columns are the last axis (time, left to right, for a sequence); cells inside the tolerance are
    pale, those outside are shaded by their share of the largest error, a NaN or infinity is black.
    """
    grid = output.get("diff_grid")
    if not isinstance(grid, Mapping):
        return Markup("")
    cells = grid.get("cells")
    outside = grid.get("outside")
    shape = grid.get("shape")
    if not (isinstance(cells, list) and cells and isinstance(outside, list) and isinstance(shape, list)):
        return Markup("")
    rows, cols = len(cells), max((len(row) for row in cells if isinstance(row, list)), default=0)
    if not cols or rows > 64 or cols > 128:
        return Markup("")
    col_block = int(grid.get("col_block") or 1)
    time_axis = bool(grid.get("time_axis"))
    finite = [v for row in cells for v in row if isinstance(v, int | float) and not isinstance(v, bool)]
    top = max(finite, default=0.0) or 1.0
    cw = max(8.0, min(56.0, 560.0 / cols))
    ch = max(8.0, min(22.0, 300.0 / rows))
    left, top_pad, bottom = 8.0, 22.0, 62.0
    width = left + cw * cols + 8.0 + (110.0 if time_axis else 0.0)  # room for the step's label
    width = max(width, 330.0)  # room for the axis captions
    height = top_pad + ch * rows + bottom
    name = str(output.get("name", ""))
    step = output.get("first_wrong_step")
    parts = []
    for r, row in enumerate(cells):
        marks = str(outside[r]) if r < len(outside) else ""
        for c, value in enumerate(row if isinstance(row, list) else []):
            over = c < len(marks) and marks[c] == "1"
            if not isinstance(value, int | float) or isinstance(value, bool):
                shade = "hmx"
            elif not over:
                shade = "hm0"
            else:
                shade = f"hm{max(1, min(SHADES, math.ceil(SHADES * float(value) / top)))}"
            parts.append(
                f'<rect class="{shade}" x="{left + c * cw:.1f}" y="{top_pad + r * ch:.1f}" '
                f'width="{cw:.1f}" height="{ch:.1f}"/>'
            )
    base = top_pad + ch * rows
    axis = "t (time step)" if time_axis else f"last axis (size {shape[-1] if shape else cols})"
    ticks = sorted({0, cols - 1} | set(range(0, cols, max(1, math.ceil(cols / 8)))))
    for c in ticks:
        parts.append(
            f'<text class="hm-tick" x="{left + (c + 0.5) * cw:.1f}" y="{base + 14:.1f}" '
            f'text-anchor="middle">{c * col_block}</text>'
        )
    parts.append(f'<text class="hm-axis" x="{left:.1f}" y="{base + 34:.1f}">columns: {escape(axis)} →</text>')
    rows_are = "rows: index (i, j) of the first two axes" if len(shape) == 3 else "rows: the first axis"
    row_block = int(grid.get("row_block") or 1)
    if row_block * col_block > 1:
        rows_are += f"; a cell is the largest of {row_block} × {col_block} entries"
    if len(shape) > 1:
        parts.append(f'<text class="hm-axis" x="{left:.1f}" y="{base + 52:.1f}">{escape(rows_are)}</text>')
    if time_axis and isinstance(step, int) and not isinstance(step, bool):
        x = left + (step // col_block) * cw
        parts.append(
            f'<line class="hm-step" x1="{x:.1f}" y1="{top_pad - 6:.1f}" x2="{x:.1f}" y2="{base + 4:.1f}"/>'
            f'<text class="hm-step-label" x="{x + 3:.1f}" y="{top_pad - 8:.1f}">wrong from t = {step}</text>'
        )
    where = f"; wrong from t = {step} on" if time_axis and isinstance(step, int) else ""
    largest = f"{_fmt(output.get('max_abs_error'))} at {_index(output.get('worst_index'))}"
    label = (
        f"Heatmap of |yours − expected| for {name}, shape {_index(shape)}: {rows} rows by {cols} columns"
        f"{where}; largest difference {largest}."
    )
    svg = (
        f'<svg class="heatmap" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{"".join(parts)}</svg>'
    )
    return Markup(svg)  # noqa: S704 - numbers and escaped text only


def legend(output: Mapping[str, Any]) -> Markup:
    """The heatmap's key: the pale 'within tolerance' swatch and the shades up to the largest error."""
    grid = output.get("diff_grid") if isinstance(output.get("diff_grid"), Mapping) else {}
    tol = grid.get("tolerance") if isinstance(grid, Mapping) else None
    top = output.get("max_abs_error")
    swatches = ['<span class="hm-key"><span class="hm-swatch hm0"></span>within the tolerance</span>']
    if isinstance(top, int | float) and not isinstance(top, bool):
        for shade in range(1, SHADES + 1):
            upto = f"{top * shade / SHADES:.2g}"
            swatches.append(f'<span class="hm-key"><span class="hm-swatch hm{shade}"></span>≤ {upto}</span>')
    swatches.append('<span class="hm-key"><span class="hm-swatch hmx"></span>NaN or ∞</span>')
    text = "".join(swatches)
    if isinstance(tol, Mapping):
        text += (
            '<span class="hm-tol">tolerance: |yours − expected| ≤ '
            f"{escape(_fmt(tol.get('atol')))} + {escape(_fmt(tol.get('rtol')))} × |expected|</span>"
        )
    return Markup(text)  # noqa: S704 - numbers and fixed text only


def register(app: Flask) -> None:
    """Make the helpers available to every template."""
    from quizapp.services.overrides import current_override

    app.add_template_global(current_override)
    app.add_template_global(failing_groups)
    app.add_template_global(split_message)
    app.add_template_global(short_summary)
    app.add_template_global(case_note)
    app.add_template_global(heatmap)
    app.add_template_global(legend, "heatmap_legend")
    app.add_template_global(step_words)
    app.add_template_filter(link_lines)
    app.add_template_filter(numbered_code)
    app.add_template_filter(_fmt, "num4")
    app.add_template_filter(_index, "index_tuple")
