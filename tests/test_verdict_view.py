"""The verdict's HTML helpers: escaping, grouping of tracebacks, line links and heatmaps of odd input."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.verdict_view import failing_groups, heatmap, legend, link_lines, numbered_code, short_summary

TRACE = (
    "Your f raised an exception:\nTraceback (most recent call last):\n"
    '  File "submission.py", line 7, in f\nZeroDivisionError'
)


def _grid(**extra: Any) -> dict[str, Any]:
    return {
        "name": "<b>a</b>",
        "first_wrong_step": 1,
        "max_abs_error": 2.0,
        "worst_index": [0, 0, 1],
        "diff_grid": {
            "shape": [1, 2, 3],
            "row_block": 1,
            "col_block": 1,
            "cells": [[0.0, 2.0, 1.0], [0.0, 0.5, None]],
            "outside": ["011", "011"],
            "time_axis": True,
            "tolerance": {"rtol": 1e-5, "atol": 1e-7},
            **extra,
        },
    }


def test_tracebacks_shared_by_cases_are_one_group() -> None:
    """Cases with the same traceback form one group; one-line summaries stay one group per case."""
    verdict = {
        "cases": [
            {"name": "one", "passed": False, "message": TRACE + "\nInputs:\n  x = 1"},
            {"name": "two", "passed": False, "message": TRACE},
            {"name": "three", "passed": True, "message": "All outputs are right."},
            {"name": "four", "passed": False, "message": "Output a differs."},
            {"name": "five", "passed": False, "message": "Output a differs."},
        ]
    }
    groups = failing_groups(verdict)
    assert [[c["name"] for c in g.cases] for g in groups] == [["one", "two"], ["four"], ["five"]]
    assert groups[0].is_traceback and not groups[1].is_traceback
    assert failing_groups({"cases": "nonsense"}) == [] and failing_groups({}) == []


def test_line_links_escape_everything_else() -> None:
    """Only "line N" becomes a link; the rest of the text is escaped."""
    html = str(link_lines('<script>x</script> File "submission.py", line 7, in f', "#L"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="line-link" href="#L7" data-line="7">7</a>' in html
    assert str(link_lines("on line 3", None)) == "on line 3"


def test_numbered_code_escapes_and_numbers_every_line() -> None:
    """Each line gets an anchor; markup in the code is shown, not interpreted."""
    html = str(numbered_code("a = '<b>'\n\nb = 2\n", "s4-L"))
    assert html.count('<span class="line"') == 3 and 'id="s4-L3">b = 2</span>' in html
    assert "&lt;b&gt;" in html


def test_heatmap_marks_the_step_and_escapes_the_name() -> None:
    """A grid draws one rect per cell, the step line, and an escaped accessible name."""
    svg = str(heatmap(_grid()))
    assert svg.count("<rect") == 6 and 'class="hm-step"' in svg and "<b>" not in svg
    assert 'class="hmx"' in svg and 'class="hm0"' in svg and 'class="hm5"' in svg
    assert "tolerance" in str(legend(_grid()))
    odd = str(heatmap(_grid(cells=[["x", True, 1.0]], outside=[5])))  # odd cells are drawn as unknown
    assert odd.count('class="hmx"') == 2


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"diff_grid": None},
        {"diff_grid": "x"},
        {"diff_grid": {"cells": []}},
        {"diff_grid": {"cells": [[1.0]], "outside": "1", "shape": [1]}},
        {"diff_grid": {"cells": [[1.0]] * 500, "outside": ["1"] * 500, "shape": [500, 1]}},
        {"diff_grid": {"cells": ["x", 3], "outside": ["1"], "shape": [2]}},
    ],
)
def test_heatmap_of_malformed_grids_is_empty(bad: dict[str, Any]) -> None:
    """A missing or malformed grid (e.g. an old verdict) draws nothing instead of failing the page."""
    assert str(heatmap(bad)) == ""


def test_short_summary_drops_the_size_note() -> None:
    """The cases table's summary leaves out the leading "(n_x=3, ...)" note."""
    assert short_summary("(n_x=3, m=2) Output a differs.\nInputs:\n  x = 1") == "Output a differs."
