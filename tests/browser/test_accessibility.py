"""axe-core on every student and instructor page: no serious or critical violations, no skipped headings.

To check a new page, add a ``Screen`` to ``SCREENS``: who looks at it and its path. Paths may use the ids
the ``course`` fixture creates: {submission}, {attempt} (an open quiz attempt), {review} (a submitted one)
and {student} (the student's user id).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import create_engine, text

from tests.browser.quiz_steps import KEY
from tests.instructor.grading import buggy

STUDENT = "axe-student@example.com"
TEACHER = "axe-teacher@example.com"
PASSWORD = "correct-horse"
EXERCISE = "rnn_cell_forward"
BLOCKING = {"serious", "critical"}
# Moderate rules held to zero as well, because the pages once broke them.
ALSO_BLOCKING = {"heading-order", "landmark-unique"}


@dataclass(frozen=True)
class Screen:
    """One page to check: a name for the test id, who views it (anonymous, student, instructor), its path."""

    name: str
    role: str
    path: str


SCREENS = [
    Screen("login", "anonymous", "/login"),
    Screen("register", "anonymous", "/register"),
    Screen("course", "student", "/"),
    Screen("exercise-with-history", "student", f"/exercises/{EXERCISE}"),
    Screen("submission", "student", "/submissions/{submission}"),
    Screen("quiz", "student", "/quizzes/rnn-week1"),
    Screen("quiz-attempt", "student", "/quizzes/attempts/{attempt}"),
    Screen("quiz-review", "student", "/quizzes/attempts/{review}/review"),
    Screen("instructor-dashboard", "instructor", "/instructor/"),
    Screen("instructor-gradebook", "instructor", "/instructor/gradebook"),
    Screen("instructor-exercise", "instructor", f"/instructor/exercises/{EXERCISE}"),
    Screen("instructor-quiz-items", "instructor", "/instructor/quizzes/rnn-week1"),
    Screen("instructor-student", "instructor", "/instructor/students/{student}"),
    Screen("instructor-submission", "instructor", "/instructor/submissions/{submission}"),
    Screen("instructor-similarity", "instructor", f"/instructor/exercises/{EXERCISE}/similarity?min=0"),
    Screen(
        "instructor-similarity-pair",
        "instructor",
        f"/instructor/exercises/{EXERCISE}/similarity/{{submission}}/{{submission}}",
    ),
]

# Opens every <details> so that folded content (history entries, full arrays) is checked too.
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@dataclass
class Course:
    """The live server with a student who has worked (one graded submission, two quiz attempts)."""

    base: str
    ids: dict[str, int]
    pages: dict[str, Any]


def log_in(page: Any, base: str, email: str, home: str) -> None:
    """Log in through the form and land on the role's home page."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{home}")


def submit_and_wait(page: Any, base: str, code: str) -> int:
    """Submit code through the API with the page's session and wait until it is graded; returns its id."""
    page.goto(f"{base}/exercises/{EXERCISE}")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        f"{base}/api/v1/exercises/{EXERCISE}/submissions",
        data=json.dumps({"code": code}),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert response.status == 202, response.text()
    submission_id = int(response.json()["id"])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if page.request.get(f"{base}/api/v1/submissions/{submission_id}").json()["status"] == "graded":
            return submission_id
        time.sleep(0.3)
    raise AssertionError(f"submission {submission_id} was not graded in time")


def start_attempt(page: Any, base: str) -> int:
    """Start a quiz attempt from the quiz page; returns its id."""
    page.goto(f"{base}/quizzes/rnn-week1")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{base}/quizzes/attempts/*")
    return int(page.url.rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def course(
    live_server: str, live_database_url: str, browser: Any, create_live_user: Callable[..., str]
) -> Iterator[Course]:
    """Accounts, a failed submission and a failed quiz attempt plus an open one; a logged-in page per role."""
    create_live_user(STUDENT, PASSWORD)
    create_live_user(TEACHER, PASSWORD, "instructor")
    contexts = {role: browser.new_context(viewport={"width": 1100, "height": 900}) for role in ROLES}
    pages = {role: context.new_page() for role, context in contexts.items()}
    for page in pages.values():
        page.set_default_timeout(20_000)
    student = pages["student"]
    log_in(student, live_server, STUDENT, "/")
    log_in(pages["instructor"], live_server, TEACHER, "/instructor/")
    ids = {"submission": submit_and_wait(student, live_server, buggy())}
    ids["review"] = start_attempt(student, live_server)
    for question, options in {**KEY, "q1": ["b"], "q6": ["a"], "q9": []}.items():
        for option in options:
            student.locator(f"#answer-{question}-{option}").check()
    student.get_by_role("button", name="Submit answers").click()
    student.get_by_role("button", name="Submit anyway").click()
    student.wait_for_url(f"{live_server}/quizzes/attempts/*/review")
    ids["attempt"] = start_attempt(student, live_server)
    engine = create_engine(live_database_url)
    with engine.connect() as connection:
        query = text("SELECT id FROM users WHERE email = :email")
        ids["student"] = connection.execute(query, {"email": STUDENT}).scalar_one()
    engine.dispose()
    yield Course(live_server, ids, pages)
    for context in contexts.values():
        context.close()


ROLES = ("anonymous", "student", "instructor")


def blocking_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations and ALSO_BLOCKING rules, one line per rule and its nodes."""
    page.evaluate(OPEN_DETAILS)
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING or violation["id"] in ALSO_BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_page_has_no_serious_axe_violations(screen: Screen, course: Course, artifacts_dir: Path) -> None:
    """axe finds no serious or critical violation (every <details> opened), nor autocomplete="None"."""
    page = course.pages[screen.role]
    response = page.goto(course.base + screen.path.format(**course.ids))
    assert response is not None and response.status == 200, screen.path
    assert 'autocomplete="None"' not in page.content()
    violations = blocking_violations(page)
    if violations:
        page.screenshot(path=str(artifacts_dir / f"axe-{screen.name}.png"), full_page=True)
    assert not violations, "\n".join(violations)


PHONE_PATHS = (f"/exercises/{EXERCISE}", "/submissions/{submission}", "/quizzes/attempts/{review}/review")


@pytest.mark.browser
def test_phone_pages_have_no_serious_axe_violations(course: Course) -> None:
    """The student's exercise and submission pages at phone width are clean too (the layout stacks)."""
    page = course.pages["student"]
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for path in PHONE_PATHS:
            page.goto(course.base + path.format(**course.ids))
            violations = blocking_violations(page)
            assert not violations, f"{path}: " + "\n".join(violations)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways on a phone ({width}px wide)"
    finally:
        page.set_viewport_size({"width": 1100, "height": 900})
