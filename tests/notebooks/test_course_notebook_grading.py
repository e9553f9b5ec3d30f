"""The course-shaped notebook graded function by function in the real sandbox: each exercise on its own."""

from __future__ import annotations

import pytest

import graders
from quizapp.services.notebooks_extract import code_cells, extract, load_notebook
from tests.notebooks.helpers import COURSE_NOTEBOOK, FINISHED, UNFINISHED, functions


@pytest.fixture(scope="module")
def extraction() -> dict[str, str]:
    """The course notebook's extracted code per exercise."""
    return extract(code_cells(load_notebook(COURSE_NOTEBOOK.read_bytes())), functions()).found


@pytest.mark.parametrize("slug", FINISHED)
def test_every_finished_function_gets_full_marks(extraction: dict[str, str], slug: str) -> None:
    """Magics, shell lines, test calls and the crashing test cell cost a finished function nothing."""
    verdict = graders.grade(slug, extraction[slug])
    assert verdict.status == "passed", verdict.to_dict()
    assert verdict.score == verdict.max_score


def test_unfinished_backward_does_not_pass_and_says_why(extraction: dict[str, str]) -> None:
    """The unfinished rnn_backward scores 0, with the placeholder lines named in the feedback."""
    verdict = graders.grade(UNFINISHED, extraction[UNFINISHED])
    assert verdict.status == "error" and verdict.score == 0
    assert any("`None` placeholders" in item and "dx = None" in item for item in verdict.feedback)


def test_2021_clip_pasted_alone_passes() -> None:
    """The 2021 clip cell pasted alone (no `import copy`) passes: the course imports are provided."""
    cell = next(c for c in load_notebook(COURSE_NOTEBOOK.read_bytes()).cells if "def clip(" in c.source)
    assert "import copy" not in cell.source and "copy.deepcopy" in cell.source
    verdict = graders.grade("clip", cell.source)
    assert verdict.status == "passed", verdict.to_dict()
