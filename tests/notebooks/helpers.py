"""Shared by the notebook tests: the course-shaped notebook and the catalogue's graded functions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import graders

DATA = Path(__file__).resolve().parent / "data"
# A course-shaped week-1 notebook written for these tests: the course imports, magics, a shell line,
# graded cells, top-level test calls, an unfinished rnn_backward whose test cell would crash, and the
# 2021 clip that starts with `gradients = copy.deepcopy(gradients)`.
COURSE_NOTEBOOK = DATA / "course_week1.ipynb"
FINISHED = [
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward", "rnn_cell_backward", "clip"
]
UNFINISHED = "rnn_backward"


def course_notebook() -> dict[str, Any]:
    """The course-shaped notebook as decoded JSON."""
    data: dict[str, Any] = json.loads(COURSE_NOTEBOOK.read_text(encoding="utf-8"))
    return data


def functions() -> dict[str, str]:
    """Catalogue slug -> graded function name, in catalogue order."""
    return {exercise.slug: exercise.function for exercise in graders.list_exercises()}


def notebook_with(*sources: str) -> dict[str, Any]:
    """A minimal valid nbformat 4 notebook with these code cells."""
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        for source in sources
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
