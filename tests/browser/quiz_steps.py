"""Steps the browser tests share: registering through the form and answering the week-1 quiz."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The week-1 quiz's answer key: every question's correct options.
KEY = {
    "q1": ["a"], "q2": ["a"], "q3": ["b", "d"], "q4": ["c"], "q5": ["d"],
    "q6": ["b"], "q7": ["b"], "q8": ["c"], "q9": ["a"], "q10": ["c"],
}  # fmt: skip
PASSWORD = "correct-horse-battery"


def register(page: Any, base: str, email: str) -> None:
    """Create a student account through the registration form, then log in with it."""
    page.goto(f"{base}/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def tick_and_submit(page: Any, base: str, answers: Mapping[str, list[str]]) -> None:
    """Tick ``answers`` (question id -> options) on the open attempt, submit it and wait for the review."""
    for question, options in answers.items():
        for option in options:
            page.locator(f"#answer-{question}-{option}").check()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(f"{base}/quizzes/attempts/*/review")
