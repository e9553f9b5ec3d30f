"""A student takes the week-1 quiz in a real browser: register, answer (autosaved), submit, review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.quiz_steps import KEY, register, tick_and_submit


@pytest.mark.browser
def test_student_takes_quiz_and_sees_review(live_server: str, page: Any, artifacts_dir: Path) -> None:
    """Answers autosave and survive a reload; submitting shows 9/10 with explanations and a screenshot."""
    register(page, live_server, "browser-student@example.com")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(f"{live_server}/quizzes/attempts/*")
    assert page.locator("math").count() > 20
    assert page.locator("svg[role=img] title").count() == 2

    page.locator("#answer-q1-a").check()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    page.reload()
    assert page.locator("#answer-q1-a").is_checked()

    tick_and_submit(page, live_server, {**KEY, "q6": ["a"]})

    assert "9 / 10" in page.locator(".result-summary .score").inner_text()
    assert page.locator(".review.is-wrong").count() == 1
    assert page.locator("#review-q6 .explanation").inner_text().startswith("Explanation")
    assert "Exploding gradients" in page.locator("#review-q6").inner_text()
    page.screenshot(path=str(artifacts_dir / "quiz-review.png"), full_page=True)


@pytest.mark.browser
def test_quiz_form_works_without_javascript(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """With JavaScript off, Save keeps the ticks and Submit scores the attempt, on a phone-sized screen."""
    email = create_live_user("no-js-student@example.com")
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("#answer-q3-b").check()
    page.get_by_role("button", name="Save answers").click()
    page.locator(".flash-success").filter(has_text="answers are saved").wait_for()
    assert page.locator("#answer-q3-b").is_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(f"{live_server}/quizzes/attempts/*/review")
    assert "0 / 10" in page.locator(".result-summary .score").inner_text()


@pytest.mark.browser
def test_blank_questions_warn_before_submitting(
    live_server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    """Blanks are listed in the page before submitting; the failed review then holds the key back."""
    page = new_page(viewport={"width": 390, "height": 844})
    register(page, live_server, "blank-student@example.com")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(f"{live_server}/quizzes/attempts/*")
    attempt_url = page.url
    page.locator("#answer-q1-a").check()
    page.locator("#answer-q2-b").check()
    page.get_by_role("button", name="Submit answers").click()
    warning = page.get_by_role("alert")
    warning.wait_for()
    assert page.url == attempt_url
    text = warning.inner_text()
    assert text.startswith("8 questions have no answer") and "question 3" in text
    assert "question 1," not in text and "question 2," not in text
    assert page.locator("fieldset.unanswered").count() == 8
    assert page.evaluate("document.activeElement.id") == "blank-warning"
    page.screenshot(path=str(artifacts_dir / "quiz-blank-warning-phone.png"), full_page=False)
    page.get_by_role("button", name="Submit anyway").click()
    page.wait_for_url(f"{live_server}/quizzes/attempts/*/review")
    assert "1 / 10" in page.locator(".result-summary .score").inner_text()
    assert page.locator(".tag", has_text="Correct option").count() == 0
    assert page.locator("#review-q1 .right-choice").count() == 1
    assert page.locator("#review-q2 .wrong-choice .feedback").count() == 1
    assert page.locator(".explanation").count() == 0
    page.screenshot(path=str(artifacts_dir / "quiz-review-key-hidden-phone.png"), full_page=True)
