"""In a real browser: download links on the course page, upload the course notebook, see each grade."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_exercise_page import sign_in
from tests.notebooks.helpers import COURSE_NOTEBOOK, FINISHED, UNFINISHED

pytestmark = pytest.mark.browser


def test_upload_notebook_from_the_course_page(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """A student uploads week1.ipynb; the results page lists each function, refreshed until all are graded."""
    email = create_live_user("browser-notebook@example.com")
    page = new_page()
    sign_in(page, live_server, email)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every exercise as one notebook (week1.ipynb)").click()
    assert download.value.suggested_filename == "week1.ipynb"

    page.get_by_label("Upload your notebook").set_input_files(str(COURSE_NOTEBOOK))
    page.get_by_role("button", name="Upload and grade").click()
    page.wait_for_url(f"{live_server}/notebook-submissions?*")
    rows = page.locator("table.notebook-results tbody tr")
    assert rows.count() == len(FINISHED) + 1
    page.get_by_text("Grading…").wait_for(state="detached", timeout=180_000)
    for slug in FINISHED:
        row = page.locator(f'tr[data-exercise="{slug}"]')
        assert "passed" in row.inner_text() and "10 / 10" in row.inner_text()
    assert "0 / 10" in page.locator(f'tr[data-exercise="{UNFINISHED}"]').inner_text()
    assert "gru_cell_forward" in page.locator("#missing-heading + p").inner_text()

    page.locator('tr[data-exercise="clip"] a').click()
    code = page.locator("pre.code").inner_text()
    assert "gradients = copy.deepcopy(gradients)" in code and "import copy" in code
    assert "clip_test" not in code


def test_uploading_a_python_file_says_it_is_not_a_notebook(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str], tmp_path: Any
) -> None:
    """A .py chosen by mistake gets a clear message on the page."""
    email = create_live_user("browser-notebook-2@example.com")
    page = new_page()
    sign_in(page, live_server, email)
    wrong = tmp_path / "clip.py"
    wrong.write_text("def clip(g, m):\n    return g\n")
    page.get_by_label("Upload your notebook").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and grade").click()
    assert "not a Jupyter notebook" in page.get_by_role("alert").inner_text()
