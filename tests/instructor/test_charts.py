"""Server-side charts: correct bins and labels, and self-contained inline SVG."""

from __future__ import annotations

import re
from datetime import date

from quizapp import charts


def test_small_whole_maximum_gets_one_bar_per_score() -> None:
    """Scores out of 10 fall in bars centred on 0..10; 9 and 10 are not merged, 7.5 rounds into the 8 bar."""
    bins = charts.histogram_bins([10, 9, 9, 3, 0, 7.5], 10)
    counts = {round((start + end) / 2): count for count, start, end in bins}
    assert len(bins) == 11
    assert counts == {0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 2, 10: 1}


def test_large_maximum_gets_ten_bins_with_the_full_score_in_the_last() -> None:
    """Out of 30: ten bins of width 3; 30 lands in the last bin, 14.9 in the fifth."""
    bins = charts.histogram_bins([30, 0, 14.9], 30)
    assert [count for count, _, _ in bins] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert (bins[-1][1], bins[-1][2]) == (27.0, 30.0)


def test_count_labels_are_whole_numbers() -> None:
    """Axis labels count students in whole steps, about ten at most."""
    assert charts.count_labels(0) == [0, 1]
    assert charts.count_labels(3) == [0, 1, 2, 3]
    assert charts.count_labels(57)[:3] == [0, 6, 12] and charts.count_labels(57)[-1] >= 57


def test_charts_are_inline_svg_without_scripts_or_external_references() -> None:
    """Each chart is one <svg> with an accessible name, no XML declaration, no script, no URL to fetch."""
    rendered = [
        charts.quiz_histogram([10, 9, 4], 10),
        charts.pass_rate_bars([("rnn_cell_forward", 0.5), ("clip", None)]),
        charts.submissions_over_time([(date(2026, 3, 2), 3), (date(2026, 3, 3), 0)]),
        charts.attempts_chart([(1, 2), (3, 1)], 1),
    ]
    for svg in rendered:
        text = str(svg)
        assert text.startswith('<svg role="img" aria-label="')
        assert text.rstrip().endswith("</svg>")
        assert "<?xml" not in text and "<script" not in text
        assert not re.search(r'(?:href|src)="(?:https?:)?//', text)


def test_bar_values_are_printed_without_a_gridline_through_them() -> None:
    """Charts that print values have no horizontal gridline (one at a bar's height crossed its label) and
    every bar's value is printed; charts without printed values keep their gridlines."""
    horizontal_guide = re.compile(r'<path d="M[\d.]+ [\d.]+ h[\d.]+" class="guide line"')
    for svg, values in (
        (charts.pass_rate_bars([("rnn_cell_forward", 0.5), ("rnn_forward", 1.0)]), ["50%", "100%"]),
        (charts.attempts_chart([(1, 2), (2, 1)], 1), ["2", "1", "1"]),
    ):
        text = str(svg)
        assert not horizontal_guide.search(text)
        assert re.findall(r'<text[^>]*class="value[^"]*">([^<]+)<', text) == values
    assert horizontal_guide.search(str(charts.submissions_over_time([(date(2026, 3, 2), 3)])))
