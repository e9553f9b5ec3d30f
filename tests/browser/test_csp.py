"""The Content-Security-Policy in a real browser: editor, quiz, charts and gradebook work, nothing blocked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.browser
# Records every CSP violation the page reports, from the first script on.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def watched_page(new_page: Callable[..., Any]) -> tuple[Any, list[str]]:
    """A page that records console errors and CSP violations; returns it with its error list."""
    page = new_page()
    errors: list[str] = []
    page.add_init_script(LISTEN)

    def on_console(message: Any) -> None:
        source = message.location.get("url", "")
        # The browser's own favicon probe is not a page error.
        if message.type == "error" and not source.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def visit(page: Any, url: str, errors: list[str]) -> None:
    """Open ``url`` and fail on any CSP violation or console error so far."""
    response = page.goto(url)
    assert response is not None and response.ok, url
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == [], url
    assert errors == [], url


def sign_in(page: Any, base: str, email: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/**")


def test_pages_work_under_the_csp(
    live_server: str, new_page: Callable[..., Any], create_live_user: Callable[..., str]
) -> None:
    """The editor, the quiz, the charts and the gradebook filter all run with no CSP violation."""
    student = create_live_user("csp-student@example.com")
    teacher = create_live_user("csp-teacher@example.com", role="instructor")
    token = requests.post(f"{live_server}/api/v1/tokens", auth=(student, "correct-horse"), timeout=30)
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    attempt = requests.post(f"{live_server}/api/v1/quizzes/rnn-week1/attempts", headers=bearer, timeout=30)
    submit_url = f"{live_server}/api/v1/attempts/{attempt.json()['id']}/submit"
    requests.post(submit_url, json={"answers": {"q1": ["a"]}}, headers=bearer, timeout=30)

    page, errors = watched_page(new_page)
    sign_in(page, live_server, student)
    visit(page, f"{live_server}/", errors)
    visit(page, f"{live_server}/exercises/rnn_cell_forward", errors)
    editor = page.locator(".CodeMirror")
    assert editor.is_visible()
    assert page.locator(".CodeMirror .cm-keyword").count() > 0, "CodeMirror highlights the starter code"
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.type("x = 1")
    assert "x = 1" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    visit(page, f"{live_server}/quizzes/rnn-week1", errors)
    assert page.evaluate("window.__cspViolations") == [] and errors == []

    page, errors = watched_page(new_page)
    sign_in(page, live_server, teacher)
    visit(page, f"{live_server}/instructor/", errors)
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 2
    assert charts.first.bounding_box()["height"] > 50, "the charts are laid out"
    visit(page, f"{live_server}/instructor/gradebook", errors)
    page.locator("#gradebook-q").fill("csp-student")
    assert "Showing 1 of" in page.locator("#gradebook-count").inner_text(), "the nonce'd inline script ran"
    assert page.evaluate("window.__cspViolations") == [] and errors == []
