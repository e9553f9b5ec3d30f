"""The notebook links on the course and exercise pages, and the upload form with its results page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask

from tests.conftest import AuthActions, csrf_token_from
from tests.grading.helpers import wait_all_graded
from tests.notebooks.helpers import COURSE_NOTEBOOK, FINISHED, UNFINISHED


@pytest.fixture(autouse=True)
def _stop_grading(stop_grading: None) -> None:
    """Every test here stops the grading pool it started."""


def upload(client: Any, data: bytes, name: str = "week1.ipynb") -> Any:
    """Post a file through the course page's form, CSRF token included."""
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    form = {"csrf_token": token, "notebook": (io.BytesIO(data), name)}
    return client.post("/notebook-submissions", data=form, content_type="multipart/form-data")


def test_course_page_offers_downloads_and_the_upload(app: Flask, client: Any, auth: AuthActions) -> None:
    """The course page links the week's notebook and rnn_utils.py and has the upload form."""
    auth.create_user("page@example.com")
    auth.login("page@example.com")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/api/v1/notebook"' in html and 'href="/static/rnn_utils.py"' in html
    assert 'id="notebook-form"' in html and 'name="notebook"' in html and 'accept=".ipynb' in html


def test_exercise_page_links_its_notebook(app: Flask, client: Any, auth: AuthActions) -> None:
    """Each exercise page links its own notebook and rnn_utils.py."""
    auth.create_user("ex@example.com")
    auth.login("ex@example.com")
    html = client.get("/exercises/clip").get_data(as_text=True)
    assert 'href="/api/v1/exercises/clip/notebook"' in html and "rnn_utils.py" in html
    assert client.get("/api/v1/exercises/clip/notebook").status_code == 200  # the session is enough


def test_form_upload_redirects_to_the_results(app: Flask, client: Any, auth: AuthActions) -> None:
    """Uploading the course notebook lists each function's submission, and the ones not found."""
    auth.create_user("form@example.com")
    auth.login("form@example.com")
    response = upload(client, COURSE_NOTEBOOK.read_bytes())
    assert response.status_code == 303
    wait_all_graded(app, timeout=180)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    for slug in [*FINISHED, UNFINISHED]:
        assert f'data-exercise="{slug}"' in html
    assert "10 / 10" in html and "gru_cell_forward" in html and "Not found in the notebook" in html
    assert 'http-equiv="refresh"' not in html  # all graded: no more refreshing


def test_form_upload_errors_are_shown_on_a_page(app: Flask, client: Any, auth: AuthActions) -> None:
    """A file that is not a notebook gets a 422 page saying so; no file at all a 400."""
    auth.create_user("oops@example.com")
    auth.login("oops@example.com")
    response = upload(client, b"def clip(g, m):\n    return g\n", "clip.py")
    assert response.status_code == 422
    assert "not a Jupyter notebook" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/notebook-submissions", data={"csrf_token": token}).status_code == 400


def test_results_page_shows_only_own_submissions(app: Flask, client: Any, auth: AuthActions) -> None:
    """Another student's submission ids in the results URL are not shown."""
    auth.create_user("a@example.com")
    auth.login("a@example.com")
    location = upload(client, COURSE_NOTEBOOK.read_bytes()).headers["Location"]
    wait_all_graded(app, timeout=180)
    auth.logout()
    auth.create_user("b@example.com")
    auth.login("b@example.com")
    html = client.get(location).get_data(as_text=True)
    assert "data-exercise=" not in html
