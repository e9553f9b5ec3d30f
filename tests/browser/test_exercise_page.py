"""The exercise page in a real browser: CodeMirror, upload, live progress and the verdict without reload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.grading.helpers import BUGGY_LSTM, CORRECT_LSTM

pytestmark = pytest.mark.browser
LOUD_LSTM = 'print("<script>window.pwned = 1</script><img src=x onerror=window.pwned=2>")\n' + CORRECT_LSTM




def sign_in(page: Any, live_server: str, email: str) -> None:
    """Log in through the form."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/")


def set_code(page: Any, code: str) -> None:
    """Replace the editor's content (CodeMirror's own API, as a paste would)."""
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)


def submit_and_wait(page: Any) -> None:
    """Press Submit and wait until the live verdict is shown."""
    page.get_by_role("button", name="Submit for grading").click()
    page.locator("#progress").filter(has_text="Graded:").wait_for(timeout=30_000)


def test_editor_submit_and_live_verdict_without_reload(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """A student edits in CodeMirror, submits, watches queued/running/graded and sees the verdict in place."""
    email = create_live_user("browser-coder@example.com")

    page = new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/lstm_cell_forward")
    assert page.locator(".CodeMirror .cm-keyword").count() > 0, "syntax highlighting is on"
    assert page.locator("math").count() > 10
    page.evaluate("window.__samePage = true")

    seen: list[str] = []  # the submission requests' answers, which bring the verdict

    def heard(response: Any) -> None:
        if "/api/v1/exercises/" in response.url and "/submissions" in response.url:
            seen.append(response.url)

    page.on("response", heard)
    set_code(page, BUGGY_LSTM)
    submit_and_wait(page)
    assert "failed" in page.locator("#progress").inner_text()
    assert page.locator("#live-verdict table.cases tbody tr").count() >= 2
    assert page.locator("#live-verdict .feedback li").count() >= 1
    assert page.locator("#submission-list > li").count() == 1
    assert seen, "the verdict came from the API"

    set_code(page, CORRECT_LSTM)
    submit_and_wait(page)
    assert "passed, 10 / 10 points" in page.locator("#progress").inner_text()
    assert page.locator("#submission-list > li").count() == 2
    assert page.evaluate("window.__samePage") is True, "the page was never reloaded"

    # Reloaded, the older attempt's verdict and code are fetched when its entry is first opened.
    page.reload()
    older = page.locator("#submission-list > li").nth(1)
    assert older.locator(".history-body[data-src]").count() == 1
    older.locator("summary").click()
    older.locator(".history-body table.cases tbody tr").first.wait_for(timeout=10_000)
    assert older.locator(".history-body .feedback li").count() >= 1
    assert older.locator(".history-body[data-src]").count() == 0



def test_keyboard_indents_and_leaves_the_editor(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """Tab indents inside the editor; Esc then Tab moves on to the upload field."""
    email = create_live_user("browser-keys@example.com")

    page = new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/rnn_cell_forward")
    set_code(page, "x = 1\n")
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    page.keyboard.type("y = 2")
    value = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert value == "x = 1\n    y = 2"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "upload"



def test_upload_loads_the_file_into_the_editor_and_output_stays_text(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str], tmp_path: Path
) -> None:
    """An uploaded file fills the editor; what the code prints is shown as text, never run, on a phone."""
    email = create_live_user("browser-upload@example.com")
    source = tmp_path / "loud.py"
    source.write_text(LOUD_LSTM)

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/lstm_cell_forward")
    page.locator("#upload").set_input_files(str(source))
    page.locator("#progress").filter(has_text="Loaded loud.py").wait_for()
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == LOUD_LSTM
    submit_and_wait(page)
    output = page.locator("#live-verdict pre.output")
    assert "<script>window.pwned = 1</script>" in output.inner_text()
    assert page.locator("#live-verdict script, #live-verdict img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 400, "the page fits a phone's width"

