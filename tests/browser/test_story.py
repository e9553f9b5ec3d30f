"""The whole story in a real browser: a student works through the course, an instructor grades it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.quiz_steps import KEY, PASSWORD, register, tick_and_submit
from tests.instructor.grading import buggy, solution

STUDENT = "story-student@example.com"
TEACHER = "story-teacher@example.com"
SLUG = "rnn_cell_forward"

# Records every text the progress line shows, so the test can tell it went queued -> graded in place.
WATCH_PROGRESS = """() => {
  window.__storyPage = true;
  window.__progress = [];
  const node = document.getElementById("progress");
  new MutationObserver(() => window.__progress.push(node.textContent)).observe(
    node, {childList: true, characterData: true, subtree: true});
}"""


def take_quiz(page: Any, base: str) -> None:
    """Answer with the key except q3, where only b is ticked (9/10), submit and read the review."""
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(f"{base}/quizzes/attempts/*")
    tick_and_submit(page, base, {**KEY, "q3": ["b"]})
    assert "9 / 10" in page.locator(".result-summary .score").inner_text()
    assert page.locator(".review.is-wrong").count() == 1


def type_into_editor(page: Any, code: str) -> None:
    """Replace the editor's contents by typing (select all, then insert the text as keyboard input)."""
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def submit_and_wait(page: Any) -> str:
    """Submit the editor's code and wait until the page shows the verdict; returns the progress texts."""
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Submit for grading").click()
    page.locator("#progress").filter(has_text="Graded").wait_for(timeout=60_000)
    page.locator("#live-verdict .verdict").wait_for()
    assert page.evaluate("window.__storyPage") is True, "the page reloaded"
    return " | ".join(page.evaluate("window.__progress"))


def work_on_exercise(page: Any, base: str, artifacts: Path) -> None:
    """A correct solution passes, then a buggy one is told its named mistake; all without a reload."""
    page.goto(f"{base}/exercises/{SLUG}")
    type_into_editor(page, solution(SLUG))
    seen = submit_and_wait(page)
    # The submission request waits for the verdict: the page goes from sending straight to graded.
    assert seen.startswith("Sending for grading") and seen.endswith("10 / 10 points."), seen
    verdict = page.locator("#live-verdict")
    assert "passed" in verdict.inner_text() and "10 / 10" in verdict.inner_text()

    type_into_editor(page, buggy())
    seen = submit_and_wait(page)
    assert seen.startswith("Sending for grading") and "Graded: failed" in seen, seen
    text = verdict.inner_text()
    assert "failed" in text
    assert "must use tanh, not sigmoid" in text  # the named mistake, in plain words
    page.screenshot(path=str(artifacts / "story-student-verdict.png"), full_page=True)


def instructor_grades(page: Any, base: str, artifacts: Path) -> None:
    """Find the student, see the diagnosed mistake, open the passing submission and apply a late penalty."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(TEACHER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/instructor/")
    assert page.locator("main svg[role=img]").count() >= 3
    page.screenshot(path=str(artifacts / "story-dashboard.png"), full_page=True)

    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Gradebook", exact=True).click()
    page.get_by_label("Search by email").fill("story-student")
    page.get_by_role("button", name="Search").click()
    row = page.locator("#gradebook tbody tr")
    assert row.count() == 1 and "9" in row.locator("td").nth(1).inner_text()
    row.get_by_role("link", name=STUDENT).click()

    submissions = page.locator("article[id^=submission-]")
    assert submissions.count() == 2
    assert "sigmoid_for_tanh" in submissions.filter(has=page.locator(".status-failed")).inner_text()
    passing = submissions.filter(has=page.locator(".status-passed"))
    passing.get_by_role("link", name=re.compile(r"^Submission #\d+$")).click()
    page.wait_for_url(re.compile(r".*/instructor/submissions/\d+$"))
    assert "np.tanh" in page.locator("pre code").inner_text()
    page.get_by_label("New score").fill("9.5")
    page.get_by_label(re.compile("^Reason")).fill("Submitted after the deadline: 5% late penalty.")
    page.get_by_role("button", name="Override score").click()
    page.locator(".flash-success").filter(has_text="set to 9.5").wait_for()
    history = page.locator("table.history").inner_text()
    assert "override" in history and "late penalty" in history and TEACHER in history


def download_csv(page: Any, base: str) -> list[list[str]]:
    """Download the gradebook CSV from the dashboard's link and parse it."""
    page.goto(f"{base}/instructor/gradebook")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.browser
def test_student_to_instructor_story(
    live_server: str,
    new_page: Callable[..., Any],
    create_live_user: Callable[..., str],
    artifacts_dir: Path,
) -> None:
    """Register, quiz, pass and fail an exercise live; then the instructor overrides and exports the CSV."""
    student = new_page()
    register(student, live_server, STUDENT)
    take_quiz(student, live_server)
    work_on_exercise(student, live_server, artifacts_dir)

    create_live_user(TEACHER, PASSWORD, "instructor")
    teacher = new_page()
    instructor_grades(teacher, live_server, artifacts_dir)

    rows = download_csv(teacher, live_server)
    header = rows[0]
    assert header[:3] == ["email", "quiz", SLUG] and header[-1] == "total" and len(header) >= 11
    line = next(r for r in rows[1:] if r[0] == STUDENT)
    # The quiz's 9 and the overridden 9.5 (the buggy submission scored less), nothing else.
    assert line[1] == "9" and line[2] == "9.5" and all(cell == "" for cell in line[3:-1])
    assert line[-1] == "18.5"
