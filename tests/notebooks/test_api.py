"""The notebook endpoints: downloads, upload by JSON body or multipart, what is stored, clear 4xx errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from flask import Flask

from quizapp.extensions import db
from quizapp.models import Submission
from tests.grading.helpers import bearer, wait_all_graded, wait_graded
from tests.notebooks.helpers import (
    COURSE_NOTEBOOK,
    FINISHED,
    UNFINISHED,
    course_notebook,
    functions,
    notebook_with,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _stop_grading(stop_grading: None) -> None:
    """Every test here stops the grading pool it started."""


def test_upload_json_grades_each_function_on_its_own(app: Flask, client: Any) -> None:
    """POST the .ipynb: 202, one submission per function found, each graded on its own; not_found listed."""
    headers = bearer(app, "nb@example.com")
    response = client.post("/api/v1/notebook-submissions", data=COURSE_NOTEBOOK.read_bytes(), headers=headers,
                           content_type="application/x-ipynb+json")
    assert response.status_code == 202, response.get_json()
    data = response.get_json()
    assert [item["exercise"] for item in data["submissions"]] == [
        s for s in functions() if s in [*FINISHED, UNFINISHED]
    ]
    assert all(item["status"] == "queued" for item in data["submissions"])
    assert set(data["not_found"]) == set(functions()) - {*FINISHED, UNFINISHED}
    scores = {}
    for item in data["submissions"]:
        graded = wait_graded(client, headers, item["id"], timeout=120)
        scores[item["exercise"]] = (graded["verdict"]["score"], graded["verdict"]["max_score"])
        assert graded["source"] == "notebook"
        assert graded["code"].startswith(f"# {item['exercise']} and what it uses")
    assert all(scores[slug][0] == scores[slug][1] for slug in FINISHED), scores
    assert scores[UNFINISHED][0] == 0


def test_stored_code_is_what_was_graded_and_no_outputs(app: Flask, client: Any) -> None:
    """Each submission stores the extracted code only: no magics, no test calls, no outputs."""
    headers = bearer(app, "store@example.com")
    response = client.post("/api/v1/notebook-submissions", json=course_notebook(), headers=headers)
    assert response.status_code == 202
    with app.app_context():
        codes = db.session.scalars(select_codes()).all()
        db.session.remove()
    assert len(codes) == len(FINISHED) + 1
    for code in codes:
        assert "a_next[4] = " not in code and "%matplotlib" not in code and "_tests(" not in code
    wait_all_graded(app, timeout=180)


def select_codes() -> Any:
    """All stored submissions' code."""
    from sqlalchemy import select

    return select(Submission.code)


def test_upload_multipart_field_notebook(app: Flask, client: Any) -> None:
    """The multipart field `notebook` works as the JSON body does."""
    headers = bearer(app, "multi@example.com")
    upload = (io.BytesIO(COURSE_NOTEBOOK.read_bytes()), "week1.ipynb")
    response = client.post("/api/v1/notebook-submissions", data={"notebook": upload}, headers=headers,
                           content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    assert len(response.get_json()["submissions"]) == len(FINISHED) + 1
    wait_all_graded(app, timeout=180)


def test_not_a_notebook_and_no_graded_function_are_422(app: Flask, client: Any) -> None:
    """A Python file gets 422 not_a_notebook; a notebook without graded functions 422 no_graded_function."""
    headers = bearer(app, "bad@example.com")
    response = client.post("/api/v1/notebook-submissions", data=b"def clip(g, m):\n    return g\n",
                           headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "not_a_notebook"
    empty = notebook_with("print('hello')")
    response = client.post("/api/v1/notebook-submissions", json=empty, headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "no_graded_function"
    with app.app_context():
        assert db.session.query(Submission).count() == 0
        db.session.remove()


def test_too_large_is_413_and_empty_is_400(app: Flask, client: Any) -> None:
    """A body over the limit is 413 (JSON error); an empty body is 400."""
    headers = bearer(app, "big@example.com")
    response = client.post("/api/v1/notebook-submissions", data=b" " * (2 << 20), headers=headers)
    assert response.status_code == 413 and "error" in response.get_json()
    response = client.post("/api/v1/notebook-submissions", data=b"", headers=headers)
    assert response.status_code == 400


def test_upload_needs_a_login(client: Any) -> None:
    """Anonymous uploads get 401 JSON."""
    response = client.post("/api/v1/notebook-submissions", json=course_notebook())
    assert response.status_code == 401


def test_exercise_notebook_download(app: Flask, client: Any) -> None:
    """GET /api/v1/exercises/{slug}/notebook: an nbformat 4 attachment with statement, starter and tests."""
    headers = bearer(app, "dl@example.com")
    response = client.get("/api/v1/exercises/clip/notebook", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/x-ipynb+json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="clip.ipynb"'
    notebook = nbformat.reads(response.get_data(as_text=True), as_version=4)
    nbformat.validate(notebook)
    sources = [cell.source for cell in notebook.cells]
    assert any("def sigmoid(" in s and "def softmax(" in s for s in sources)
    assert any(s.startswith("# GRADED FUNCTION: clip") and "for gradient in None:" in s for s in sources)
    assert any('check(clip, PUBLIC_CASES["clip"])' in s for s in sources)
    assert any("$" in s for s in sources if s.startswith("# Gradient clipping") or "$" in s)
    assert not any("from rnn_utils import" in s for s in sources if "GRADED FUNCTION" in s)
    assert "http://localhost" in sources[-1] and 'TOKEN = ""' in sources[-1]
    assert client.get("/api/v1/exercises/nope/notebook", headers=headers).status_code == 404


def test_week_notebook_has_every_exercise_in_order(app: Flask, client: Any) -> None:
    """GET /api/v1/notebook: every catalogue exercise's graded and test cells, in catalogue order."""
    headers = bearer(app, "week@example.com")
    response = client.get("/api/v1/notebook", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/x-ipynb+json"
    notebook = nbformat.reads(response.get_data(as_text=True), as_version=4)
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    graded = [tag[1] for tag in tags if "graded" in tag]
    assert graded == list(functions())
    # the rnn_backward starter does not redefine (and so overwrite) the student's rnn_cell_backward
    rnn_backward_cell = next(c.source for c, tag in zip(notebook.cells, tags, strict=True)
                             if tag == ["graded", "rnn_backward"])
    assert "def rnn_cell_backward(" not in rnn_backward_cell and "def rnn_backward(" in rnn_backward_cell
    assert client.get("/api/v1/notebook").status_code == 401


def test_rnn_utils_is_offered_for_download(client: Any) -> None:
    """/static/rnn_utils.py serves the very helpers the sandbox gives submissions."""
    response = client.get("/static/rnn_utils.py")
    assert response.status_code == 200
    assert response.get_data() == (REPO / "graders" / "sandbox_lib" / "rnn_utils.py").read_bytes()
    assert client.get("/static/quizapp_submit.py").status_code == 200


def test_notebook_json_round_trips_as_upload(app: Flask, client: Any) -> None:
    """A downloaded notebook uploaded back unchanged grades its starter cells (and finds every function)."""
    headers = bearer(app, "round@example.com")
    text = client.get("/api/v1/notebook", headers=headers).get_data(as_text=True)
    response = client.post("/api/v1/notebook-submissions", data=text.encode(), headers=headers)
    assert response.status_code == 202, response.get_json()
    data = response.get_json()
    assert [item["exercise"] for item in data["submissions"]] == list(functions()) and data["not_found"] == []
    assert json.loads(text)["nbformat"] == 4
    wait_all_graded(app, timeout=180)
