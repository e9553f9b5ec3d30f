"""In a real browser: an instructor finds a copied pair in the similarity report and overrides a score."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.similarity.classroom import SLUG, code

TEACHER = "sim-teacher@example.com"
PASSWORD = "correct-horse-battery"
# Who submits what: sim-bob hands in sim-ann's solution with every local renamed.
HANDED_IN = {
    "sim-ann@example.com": "original",
    "sim-bob@example.com": "renamed_copy",
    "sim-cy@example.com": "independent_a",
    "sim-dee@example.com": "independent_b",
}


def submit_and_wait(base: str, email: str, source: str, slug: str = SLUG) -> int:
    """Submit ``source`` to ``slug`` for ``email`` through the API and wait until the live server has
    graded it (a pass)."""
    token = requests.post(f"{base}/api/v1/tokens", auth=(email, PASSWORD), timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    accepted = requests.post(
        f"{base}/api/v1/exercises/{slug}/submissions", json={"code": source}, headers=headers, timeout=10
    )
    assert accepted.status_code == 202, accepted.text
    submission_id = int(accepted.json()["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = requests.get(f"{base}/api/v1/submissions/{submission_id}", headers=headers, timeout=10).json()
        if body["status"] == "graded":
            assert body["verdict"]["status"] == "passed", body["verdict"]
            return submission_id
        time.sleep(0.3)
    raise AssertionError(f"submission {submission_id} was not graded in time")


def take_quiz_by_api(base: str, email: str) -> list[str]:
    """Start and submit a week-1 attempt for ``email`` (q1 answered "a"); returns q1's options as shown."""
    token = requests.post(f"{base}/api/v1/tokens", auth=(email, PASSWORD), timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempt = requests.post(f"{base}/api/v1/quizzes/rnn-week1/attempts", headers=headers, timeout=10).json()
    url = f"{base}/api/v1/attempts/{attempt['id']}/submit"
    done = requests.post(url, json={"answers": {"q1": ["a"]}}, headers=headers, timeout=10)
    assert done.status_code == 200, done.text
    q1 = next(q for q in attempt["questions"] if q["id"] == "q1")
    return [option["id"] for option in q1["options"]]


def log_in(page: Any, base: str) -> None:
    """Sign the instructor in through the login form."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(TEACHER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/instructor/")


@pytest.mark.browser
def test_instructor_finds_a_copied_pair_and_overrides_a_score(
    live_server: str,
    new_page: Callable[..., Any],
    create_live_user: Callable[..., str],
    artifacts_dir: Path,
) -> None:
    """Four students submit; the report's top pair is the renamed copy, shown side by side with highlights;
    the student page shows a quiz answer's texts as seen; from the pair the instructor opens the copier's
    submission and overrides its score with a reason."""
    create_live_user(TEACHER, PASSWORD, "instructor")
    ids = {}
    for email, name in HANDED_IN.items():
        create_live_user(email, PASSWORD)
        ids[email] = submit_and_wait(live_server, email, code(name))
    shown_q1 = take_quiz_by_api(live_server, "sim-ann@example.com")

    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server}/instructor/quizzes/rnn-week1")
    # n counts every student of the shared live server; few enough here for the caution.
    assert re.search(r"\bn = [1-9]\b", page.locator("main").inner_text())
    assert "unreliable" in page.get_by_role("note").filter(has_text="Small sample").inner_text()
    page.screenshot(path=str(artifacts_dir / "item-analysis-small-sample.png"), full_page=True)
    page.goto(f"{live_server}/instructor/exercises/{SLUG}")
    regrade = page.locator("details.confirm-step")
    confirm = regrade.get_by_role("button", name=re.compile(r"^Yes, queue \d+ submissions for a regrade$"))
    assert not confirm.is_visible()  # the count and the button only show once the step is opened
    regrade.locator("summary").click()
    # Other browser tests share the live server, so the class holds at least these four.
    assert int(re.findall(r"\d+", confirm.inner_text())[0]) >= len(HANDED_IN)
    page.screenshot(path=str(artifacts_dir / "exercise-regrade-confirmation.png"), full_page=True)
    page.get_by_role("link", name="Similarity report").click()

    page.wait_for_url(re.compile(rf".*/instructor/exercises/{SLUG}/similarity$"))
    assert page.get_by_role("note").filter(has_text="never proof").is_visible()
    # On its own this pair is the top one (tests/similarity prove it); here other browser tests may have
    # handed in the reference solution too, which ann's resembles as closely.
    pair = page.locator("#similar-pairs tbody tr").filter(has_text="sim-ann@example.com")
    pair = pair.filter(has_text="sim-bob@example.com")
    assert pair.count() == 1
    assert int(re.findall(r"(\d+)%", pair.inner_text())[0]) >= 80
    page.screenshot(path=str(artifacts_dir / "similarity-report.png"), full_page=True)

    pair.get_by_role("link", name=re.compile("^Side by side")).click()
    page.wait_for_url(re.compile(r".*/similarity/\d+/\d+$"))
    assert page.locator(".side-by-side pre").count() == 2
    assert page.locator(".side-by-side mark.match").count() >= 2
    page.screenshot(path=str(artifacts_dir / "similarity-side-by-side.png"), full_page=True)

    # The student page shows ann's quiz answer with the option texts, in the order she saw them.
    page.get_by_role("link", name="sim-ann@example.com").click()
    page.wait_for_url(re.compile(r".*/instructor/students/\d+$"))
    q1 = page.locator("li.answer[id$='-q1']")
    assert q1.locator(".opt-id").all_inner_texts() == shown_q1
    assert q1.locator("li.ticked .opt-id").all_inner_texts() == ["a"]
    assert page.locator("form[action$='/override']").count() == 0  # no form under each submission
    page.screenshot(path=str(artifacts_dir / "similarity-student-detail.png"), full_page=True)
    page.go_back()

    bob = page.locator(".side-by-side section").filter(has_text="sim-bob@example.com")
    bob.get_by_role("link", name="override the score").click()
    page.wait_for_url(re.compile(rf".*/instructor/submissions/{ids['sim-bob@example.com']}#override$"))
    assert page.locator("form#override").count() == 1
    page.get_by_label("New score").fill("0")
    reason = "Copied from another student's solution; discussed in office hours."
    page.get_by_label(re.compile("^Reason")).fill(reason)
    page.get_by_role("button", name="Override score").click()
    page.locator(".flash-success").filter(has_text="set to 0").wait_for()
    assert "office hours" in page.locator("table.history").inner_text()
    page.screenshot(path=str(artifacts_dir / "similarity-override.png"), full_page=True)
