"""Notebook uploads: one submission per graded function an ``.ipynb`` defines, each graded on its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.errors import DomainError, Unavailable, ValidationFailed
from quizapp.models import Submission, User
from quizapp.services import exercises, submissions, submitting
from quizapp.services.notebooks_extract import code_cells, extract, load_notebook


@dataclass
class NotebookUpload:
    """What an upload produced: the queued submissions, the exercises not found and the ones refused."""

    submissions: list[Submission] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    cells: dict[str, list[int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The API's answer: ``submissions`` (exercise, id, status, cells) and ``not_found``."""
        return {
            "submissions": [
                {"exercise": s.exercise_slug, "id": s.id, "status": s.status,
                 "cells": self.cells[s.exercise_slug]}
                for s in self.submissions
            ],
            "found": [s.exercise_slug for s in self.submissions] + [r["exercise"] for r in self.refused],
            "not_found": self.not_found,
            "refused": self.refused,
        }


def submit_notebook(
    user: User, raw: bytes | str | Mapping[str, Any], *, source: str = "notebook", capacity: int
) -> NotebookUpload:
    """Read the notebook, extract each graded function with what it uses, and queue one submission each.

    Raises PayloadTooLarge (413) and ValidationFailed (422: not a notebook, or no graded function),
    and Unavailable (503) when the queue cannot take them all, in which case nothing is stored. An
    exercise the platform refuses on its own (e.g. closed) is listed in ``refused``; if every one is
    refused, that first refusal is raised.
    """
    notebook = load_notebook(raw)
    functions = {exercise.slug: exercise.function for exercise in exercises.catalogue()}
    extraction = extract(code_cells(notebook), functions)
    if not extraction.found:
        names = ", ".join(functions.values())
        raise ValidationFailed(
            f"The notebook defines none of the graded functions ({names}).", code="no_graded_function"
        )
    backlog = submissions.queue_depth()
    if backlog + len(extraction.found) > capacity:
        raise Unavailable(
            "The graders are busy; your notebook was not stored. Please try again shortly.",
            code="queue_full",
            retry_after=10,
        )
    upload = NotebookUpload(not_found=extraction.not_found, cells=extraction.cells)
    first_error: DomainError | None = None
    for slug, code in extraction.found.items():
        try:
            upload.submissions.append(
                submitting.accept(user, slug, code, source=source, capacity=capacity + len(extraction.found))
            )
        except DomainError as error:
            first_error = first_error or error
            upload.refused.append({"exercise": slug, "code": error.code, "message": error.message})
    if not upload.submissions and first_error is not None:
        raise first_error
    return upload
