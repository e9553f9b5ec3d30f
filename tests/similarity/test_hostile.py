"""Hostile or odd submissions never break the similarity report: every input gives a bounded answer."""

from __future__ import annotations

import pytest

from quizapp.services import similarity
from tests.similarity.classroom import STARTER, code

ODD = {
    "empty": "",
    "whitespace": " \n\t\n" * 50,
    "only_comments": "# nothing here\n" * 200,
    "not_python": "}}}{{{ <?php echo 'x'; ?> \\\\ ``` \x7f" * 100,
    "unterminated": 'def f(:\n    s = """never closed\n' + "x = 1\n" * 100,
    "unicode_names": "def lstm_cell_forward(ξ, α, β, π):\n    λ = ξ + α\n    return λ, β, π, (λ,)\n" * 30,
    "one_long_line": "x = " + " + ".join(f"v{i}" for i in range(8000)) + "\n",
    "deep_nesting": "y = " + "(" * 500 + "1" + ")" * 500 + "\n",
    "starter_again": STARTER,
    "starter_reformatted": STARTER.replace("    ", "  ").replace("# ", "#"),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_submission_is_compared_or_left_out_without_error(name: str) -> None:
    """Next to two real solutions, each odd one is compared or left out; shares stay in 0..1, copy on top."""
    found = [
        similarity.Candidate(1, "original", code("original")),
        similarity.Candidate(2, "renamed_copy", code("renamed_copy")),
        similarity.Candidate(3, name, ODD[name]),
    ]
    result = similarity.compute_pairs(STARTER, found)
    assert result["compared"] + len(result["too_short"]) == 3
    for pair in result["pairs"]:
        assert 0.0 <= pair["similarity"] <= 1.0
        assert 0.0 <= pair["a"]["share"] <= 1.0 and 0.0 <= pair["b"]["share"] <= 1.0
    top = result["pairs"][0]
    assert {top["a"]["email"], top["b"]["email"]} == {"original", "renamed_copy"}


@pytest.mark.parametrize("name", ["starter_again", "starter_reformatted", "empty", "only_comments"])
def test_nothing_beyond_the_starter_is_left_out(name: str) -> None:
    """The starter itself (even reformatted), an empty file or comments alone add no code to compare."""
    result = similarity.compute_pairs(STARTER, [similarity.Candidate(7, name, ODD[name])])
    assert result["too_short"] == [7] and result["pairs"] == [] and result["median_similarity"] is None
