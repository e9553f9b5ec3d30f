"""The exercise pages without JavaScript: statement, starter, editor form, upload, verdict, history."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from quizapp.grading import grading_for
from quizapp.services import exercises
from tests.conftest import AuthActions, csrf_token_from
from tests.grading.helpers import BUGGY_LSTM, CORRECT_LSTM, counts

PAGE = "/exercises/lstm_cell_forward"
LOUD_LSTM = 'print("<script>alert(1)</script> & <b>bold</b>")\n' + CORRECT_LSTM


@pytest.fixture(autouse=True)
def _stop_grading(app: Flask) -> Iterator[None]:
    """Stop the app's grading pool when the test ends."""
    yield
    grading_for(app).shutdown()


@pytest.fixture
def student(auth: AuthActions) -> str:
    """A signed-in student."""
    auth.create_user("page@example.com")
    auth.login("page@example.com")
    return "page@example.com"


def _form_submit(client: Any, data: dict[str, Any]) -> Any:
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return client.post(f"{PAGE}/submissions", data={"csrf_token": token, **data},
                       content_type="multipart/form-data")


def _graded_page(client: Any, location: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        html = client.get(location).get_data(as_text=True)
        if "data-poll-url" not in html:
            return html
        assert time.monotonic() < deadline, "never graded"
        time.sleep(0.1)


def test_exercise_page_has_statement_editor_upload_and_no_external_assets(client: Any, student: str) -> None:
    """The page shows the MathML statement, shapes table, labelled editor and upload; assets are local."""
    html = client.get(PAGE).get_data(as_text=True)
    assert html.count("<math") > 10 and "$$" not in html
    assert re.search(r"<h2>Shapes</h2>\s*<table>", html)
    assert '<label for="code">' in html and '<textarea id="code" name="code"' in html
    assert '<label for="upload">' in html and 'type="file" id="upload" name="upload"' in html
    assert "def lstm_cell_forward(xt, a_prev, c_prev, parameters):" in html
    assert 'href="/exercises/lstm_cell_forward/starter.py"' in html
    assert "/static/vendor/codemirror/codemirror.js" in html and "/static/vendor/codemirror/python.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no CDN or external asset"
    assert html.count("<h1") == 1


def test_vendored_editor_is_served_with_its_licence(client: Any) -> None:
    """CodeMirror and its Python mode are served from the app itself, with the MIT licence alongside."""
    for name in ("codemirror.js", "codemirror.css", "python.js", "LICENSE"):
        response = client.get(f"/static/vendor/codemirror/{name}")
        assert response.status_code == 200, name
    assert b"CodeMirror" in client.get("/static/vendor/codemirror/codemirror.js").data
    assert b"MIT License" in client.get("/static/vendor/codemirror/LICENSE").data


def test_starter_code_downloads_as_a_python_file(client: Any, student: str) -> None:
    """The starter code is a download named after the exercise, identical to the catalogue's."""
    response = client.get(f"{PAGE}/starter.py")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="lstm_cell_forward.py"'
    with client.application.app_context():
        assert response.get_data(as_text=True) == exercises.get("lstm_cell_forward").starter_code


def test_form_submission_is_graded_and_listed(client: Any, student: str) -> None:
    """Without JavaScript a submission redirects to its page, gets its verdict, and home shows the best."""
    response = _form_submit(client, {"code": BUGGY_LSTM})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/submissions/\d+", location)
    html = _graded_page(client, location)
    assert "<caption>Test cases</caption>" in html and "badge-failed" in html
    assert "Grading history" in html and "<td>auto</td>" in html
    history = client.get(PAGE).get_data(as_text=True)
    assert f'href="{location}"' in history and "badge-failed" in history
    home = " ".join(client.get("/").get_data(as_text=True).split())
    assert "best score 0 / 10, 1 submission<" in home


def test_upload_is_graded_with_source_upload(app: Flask, client: Any, student: str) -> None:
    """An uploaded .py file is submitted as is."""
    upload = (io.BytesIO(CORRECT_LSTM.encode()), "mine.py")
    response = _form_submit(client, {"code": "ignored when a file is uploaded", "upload": upload})
    assert response.status_code == 303
    html = _graded_page(client, response.headers["Location"])
    assert "badge-passed" in html and "from an uploaded file" in html


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [(b"x = '\xff\xfe'\n", 400, "not UTF-8"), (b"#" * (64 * 1024 + 1), 413, "64 KiB")],
    ids=["not-utf8", "over-64KiB"],
)
def test_bad_upload_is_refused_on_the_page_and_stores_nothing(
    app: Flask, client: Any, student: str, payload: bytes, status: int, message: str
) -> None:
    """A non-UTF-8 or oversized upload re-shows the page with the reason; no submission is stored."""
    response = _form_submit(client, {"code": "", "upload": (io.BytesIO(payload), "bad.py")})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_printed_output_is_escaped_never_interpreted(client: Any, student: str) -> None:
    """What a submission prints is shown as text: markup arrives escaped."""
    response = _form_submit(client, {"code": LOUD_LSTM})
    html = _graded_page(client, response.headers["Location"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html


def test_someone_elses_submission_page_is_404(client: Any, auth: AuthActions, student: str) -> None:
    """A student cannot open another student's submission page."""
    location = _form_submit(client, {"code": CORRECT_LSTM}).headers["Location"]
    auth.logout()
    auth.create_user("nosy@example.com")
    auth.login("nosy@example.com")
    assert client.get(location).status_code == 404


def test_course_home_lists_the_exercises(client: Any, student: str) -> None:
    """The course home links every exercise, in catalogue order."""
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'href="/exercises/([a-z_]+)"', html)
    assert links[:3] == ["rnn_cell_forward", "rnn_forward", "lstm_cell_forward"]
    assert len(links) >= 8


def test_exercise_pages_need_a_login(client: Any) -> None:
    """Anonymous visitors are sent to the login page."""
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
