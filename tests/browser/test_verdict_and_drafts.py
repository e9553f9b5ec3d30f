"""In a real browser: heatmaps of a sequence bug on desktop and phone; drafts that stay with their student."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_exercise_page import set_code, sign_in, submit_and_wait

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
BUGGY = REPO / "tests" / "exercises" / "buggy"
PHONE = {"width": 390, "height": 844}


def editor_value(page: Any) -> str:
    """The CodeMirror editor's content."""
    return str(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))


def wait_saved(page: Any) -> None:
    """Wait until the autosave has stored the draft on the server."""
    page.locator("#draft-status").filter(has_text="Draft saved").wait_for(timeout=15_000)


@pytest.mark.parametrize(
    ("exercise", "bug", "output"),
    [("rnn_forward", "a0_every_step", "a"), ("lstm_forward", "c_not_carried", "c")],
)
def test_sequence_bug_shows_heatmaps_on_desktop_and_phone(
    live_server: str,
    new_page: Callable[..., Any],
    create_live_user: Callable[..., str],
    artifacts_dir: Path,
    exercise: str,
    bug: str,
    output: str,
) -> None:
    """The live verdict draws the heatmap with step 1 marked; so does the submission page, on a phone too."""
    email = create_live_user(f"heat-{exercise}@example.com")
    page = new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/{exercise}")
    set_code(page, (BUGGY / exercise / f"{bug}.py").read_text(encoding="utf-8"))
    submit_and_wait(page)
    figure = page.locator("#live-verdict figure.diff").filter(
        has=page.locator(f"figcaption code:text-is('{output}')")
    )
    assert figure.first.locator("svg.heatmap .hm-step").count() == 1
    assert f"Your {output} is right for t = 0 and wrong from t = 1 on." in figure.first.inner_text()
    assert figure.first.locator("table.worst tbody tr").count() >= 1
    full = page.locator("#live-verdict details.full-arrays").first
    assert not full.locator("pre").is_visible()
    full.locator("summary").click()
    assert "Expected" in full.locator("pre").inner_text()  # the whole arrays, one click away
    figure.first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"verdict-{exercise}-desktop.png"), full_page=True)

    link = page.locator("#submission-list > li a").first.get_attribute("href")
    phone = new_page(viewport=PHONE)
    sign_in(phone, live_server, email)
    phone.goto(f"{live_server}{link}")
    assert phone.locator("svg.heatmap").count() >= 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 10
    phone.locator("figure.diff").first.scroll_into_view_if_needed()
    phone.screenshot(path=str(artifacts_dir / f"verdict-{exercise}-phone.png"), full_page=True)
    scroll_box = phone.locator("pre.scroll-box").first
    assert scroll_box.get_attribute("tabindex") == "0" and scroll_box.get_attribute("aria-label")


def test_drafts_stay_with_their_student(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """A second student on the same browser never sees the first one's draft; the draft follows its
    student to a new browser; save, load-last and reset-to-starter work."""
    ann = create_live_user("draft-ann@example.com")
    bob = create_live_user("draft-bob@example.com")
    url = f"{live_server}/exercises/rnn_cell_forward"

    page = new_page()
    sign_in(page, live_server, ann)
    page.goto(url)
    starter = editor_value(page)
    set_code(page, "# ann's unsubmitted work\n")
    wait_saved(page)
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")

    sign_in(page, live_server, bob)  # same browser context: same cookies jar and storage
    page.goto(url)
    assert "ann" not in editor_value(page) and editor_value(page) == starter
    assert page.get_by_role("button", name="Load my last submission").is_disabled()

    elsewhere = new_page()  # a new browser context: nothing shared with the first
    sign_in(elsewhere, live_server, ann)
    elsewhere.goto(url)
    assert editor_value(elsewhere) == "# ann's unsubmitted work\n"
    assert "your saved draft" in elsewhere.locator("#code-origin").inner_text()

    elsewhere.on("dialog", lambda dialog: dialog.accept())
    elsewhere.get_by_role("button", name="Reset to starter").click()
    assert editor_value(elsewhere) == starter
    wait_saved(elsewhere)
    set_code(elsewhere, "# typed\n")
    elsewhere.get_by_role("button", name="Save").click()
    wait_saved(elsewhere)
    elsewhere.reload()
    assert editor_value(elsewhere) == "# typed\n"


def test_line_links_move_the_editor(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """ "line N" in a live traceback puts the editor's cursor on line N."""
    email = create_live_user("lines@example.com")
    page = new_page()
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/exercises/rnn_cell_forward")
    set_code(
        page, "import numpy as np\n\n\ndef rnn_cell_forward(xt, a_prev, parameters):\n    return 1 / 0\n"
    )
    submit_and_wait(page)
    traceback = page.locator("#live-verdict pre.traceback").first
    assert traceback.inner_text().count("ZeroDivisionError") == 1
    traceback.locator("a.line-link").first.click()
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getCursor().line") == 4
