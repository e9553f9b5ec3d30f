"""A term in a real browser: the instructor sets a due date, grants an extension, finds a copied pair and
overrides a score.

The gradebook screenshots are taken at 1,280 px wide and the test checks that the Total column is on
screen there, however many exercise columns scroll sideways inside the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.quiz_steps import PASSWORD, register
from tests.browser.test_similarity_story import submit_and_wait as submit_by_api
from tests.browser.test_story import submit_and_wait, type_into_editor
from tests.instructor.grading import solution

STUDENT = "term-student@example.com"
COPIER = "term-copier@example.com"
TEACHER = "term-teacher@example.com"
SLUG = "clip"  # no other browser test submits to it, so its dates change nothing for them
WIDE = {"viewport": {"width": 1280, "height": 900}}


def local_input(moment: datetime) -> str:
    """A ``datetime-local`` value; the live server's course time zone is UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def log_in(page: Any, base: str, email: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/(instructor/)?$"))


def set_due_date(page: Any, base: str, artifacts: Path) -> None:
    """Due 20 hours ago, closing in two days, 50% a day: the schedule page stores it and says so."""
    now = datetime.now(UTC)
    page.goto(f"{base}/instructor/")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Schedule").click()
    card = page.locator(f"#schedule-{SLUG}")
    card.get_by_text(f"Change the dates of {SLUG}").click()
    card.get_by_label("Due").fill(local_input(now - timedelta(hours=20)))
    card.get_by_label("Closes").fill(local_input(now + timedelta(days=2)))
    card.get_by_label("Late penalty (% per day)").fill("50")
    card.get_by_label(re.compile("^Reason")).fill("Week 1 deadline")
    card.get_by_role("button", name=f"Save dates for {SLUG}").click()
    page.locator(".flash-success").filter(has_text="Saved the dates").wait_for()
    summary = page.locator(f"#schedule-{SLUG} .state").inner_text()
    assert "(set on this page)" in summary and "late penalty 50% a day" in summary, summary
    page.screenshot(path=str(artifacts / "term-schedule.png"), full_page=True)


def hand_in_late(page: Any, base: str) -> None:
    """The student reads the late notice on the exercise page and hands in a correct solution."""
    page.goto(f"{base}/exercises/{SLUG}")
    notice = page.locator("p.due").inner_text()
    assert "Was due" in notice and "50% a day" in notice and "left" in notice, notice
    type_into_editor(page, solution(SLUG))
    submit_and_wait(page)
    assert "passed" in page.locator("#live-verdict").inner_text()


def gradebook_row(page: Any, base: str, artifacts: Path, shot: str) -> str:
    """Open the gradebook at 1,280 px, check Total is on screen, screenshot it; the student's row text."""
    page.goto(f"{base}/instructor/gradebook")
    total = page.locator("#gradebook thead th.sticky-total")
    box = total.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, box
    cell = page.locator(f'#gradebook tr[data-email="{STUDENT}"] td.sticky-total')
    cell_box = cell.bounding_box()
    assert cell_box is not None and cell_box["x"] + cell_box["width"] <= 1280, cell_box
    page.screenshot(path=str(artifacts / shot), full_page=False)
    return str(page.locator(f'#gradebook tr[data-email="{STUDENT}"]').inner_text())


def grant_extension(page: Any, base: str) -> None:
    """From the gradebook to the student page: a new due date lifts the penalty for this student only."""
    page.locator(f'#gradebook tr[data-email="{STUDENT}"]').get_by_role("link", name=STUDENT).click()
    page.wait_for_url(re.compile(r".*/instructor/students/\d+$"))
    form = page.locator("#extensions")
    form.get_by_label("Quiz or exercise").select_option(SLUG)
    form.get_by_label(re.compile("^New due date")).fill(local_input(datetime.now(UTC) + timedelta(days=3)))
    form.get_by_label(re.compile("^Reason")).fill("Doctor's note for the week")
    form.get_by_role("button", name="Grant extension").click()
    page.locator(".flash-success").filter(has_text="Extension on clip granted").wait_for()
    assert SLUG in page.locator("#extensions ul").inner_text()


def find_copied_pair(
    page: Any, base: str, artifacts: Path, submission_id: int, create_live_user: Callable[..., str]
) -> None:
    """A second student hands in the same solution with its variables renamed; the similarity report's
    top pair is the two, side by side with the matches marked, and the instructor follows the first
    student's "override the score" link to that submission's page."""
    create_live_user(COPIER, PASSWORD)
    renamed = re.sub(r"\bgradient\b", "g", re.sub(r"\bgradients\b", "grads", solution(SLUG)))
    submit_by_api(base, COPIER, renamed, SLUG)
    page.goto(f"{base}/instructor/exercises/{SLUG}")
    page.get_by_role("link", name="Similarity report").click()
    assert "never proof" in page.get_by_role("note").inner_text()
    top = page.locator("#similar-pairs tbody tr").first
    assert STUDENT in top.inner_text() and COPIER in top.inner_text()
    top.get_by_role("link", name=re.compile("^Side by side")).click()
    assert page.locator(".side-by-side mark.match").count() >= 2
    page.screenshot(path=str(artifacts / "term-similarity.png"), full_page=True)
    mine = page.locator(".side-by-side section").filter(has_text=STUDENT)
    mine.get_by_role("link", name="override the score").click()
    page.wait_for_url(re.compile(rf".*/instructor/submissions/{submission_id}#override$"))


def override_score(page: Any, base: str, submission_id: int) -> None:
    """Override the (now on-time) 10 with 9, giving a reason."""
    page.goto(f"{base}/instructor/submissions/{submission_id}")
    page.get_by_label("New score").fill("9")
    page.get_by_label(re.compile("^Reason")).fill("Hard-coded the threshold instead of using maxValue.")
    page.get_by_role("button", name="Override score").click()
    page.locator(".flash-success").filter(has_text="set to 9").wait_for()


@pytest.mark.browser
def test_instructor_runs_a_term(
    live_server: str,
    new_page: Callable[..., Any],
    create_live_user: Callable[..., str],
    artifacts_dir: Path,
) -> None:
    """Due date, late work at half credit, an extension lifting it, a copied pair, override; all audited."""
    create_live_user(TEACHER, PASSWORD, "instructor")
    teacher = new_page(**WIDE)
    log_in(teacher, live_server, TEACHER)
    set_due_date(teacher, live_server, artifacts_dir)

    student = new_page(**WIDE)
    register(student, live_server, STUDENT)
    hand_in_late(student, live_server)
    mine = student.request.get(f"{live_server}/api/v1/exercises/{SLUG}/submissions").json()
    assert mine[0]["late"] is True and mine[0]["days_late"] == 1
    submission_id = int(mine[0]["id"])

    row = gradebook_row(teacher, live_server, artifacts_dir, "term-gradebook-late.png")
    assert "1d late" in row and re.search(r"\b10\s+5\b", row), row

    grant_extension(teacher, live_server)
    student.goto(f"{live_server}/exercises/{SLUG}")
    assert "(your extension)" in student.locator("p.due").inner_text()

    find_copied_pair(teacher, live_server, artifacts_dir, submission_id, create_live_user)

    override_score(teacher, live_server, submission_id)
    row = gradebook_row(teacher, live_server, artifacts_dir, "term-gradebook-total.png")
    assert "ext." in row and "late" not in row and re.search(r"\b9\b", row), row

    teacher.goto(f"{live_server}/instructor/audit")
    log = teacher.locator("#audit tbody").inner_text()
    for action, reason in [
        ("score.override", "Hard-coded the threshold"),
        ("extension.set", "Doctor's note"),
        ("schedule.set", "Week 1 deadline"),
    ]:
        assert action in log and reason in log, (action, log)
    teacher.screenshot(path=str(artifacts_dir / "term-audit.png"), full_page=True)

    teacher.goto(f"{live_server}/instructor/")
    timeline = teacher.locator("figure.chart").filter(has_text="over the schedule")
    assert f"{SLUG} due" in timeline.inner_text()
    timeline.screenshot(path=str(artifacts_dir / "term-timeline.png"))
