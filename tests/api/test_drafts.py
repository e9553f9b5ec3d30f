"""Server-side drafts: GET/PUT /api/v1/exercises/{slug}/draft, per student, and the page restoring them."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from quizapp.services import exercises
from quizapp.services.submitting import MAX_CODE_BYTES
from tests.conftest import AuthActions
from tests.instructor import grading

URL = "/api/v1/exercises/rnn_forward/draft"


def test_no_draft_is_404_then_put_and_get(app: Flask, client: Any, auth: AuthActions) -> None:
    """Without a draft GET is a JSON 404; PUT saves {code} and answers {code, saved_at}; GET returns it."""
    headers = auth.bearer("ann@example.com")
    missing = client.get(URL, headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "no_draft"
    saved = client.put(URL, json={"code": "def rnn_forward(x, a0, p):\n    pass\n"}, headers=headers)
    assert saved.status_code == 200
    body = saved.get_json()
    assert set(body) == {"code", "saved_at"} and body["code"].startswith("def rnn_forward")
    again = client.put(URL, json={"code": "# second"}, headers=headers)
    assert again.status_code == 200 and again.get_json()["saved_at"] >= body["saved_at"]
    assert client.get(URL, headers=headers).get_json()["code"] == "# second"


def test_drafts_belong_to_one_student(app: Flask, client: Any, auth: AuthActions) -> None:
    """One student's draft is invisible to another, who gets 404 and keeps a draft of their own."""
    ann, bob = auth.bearer("ann@example.com"), auth.bearer("bob@example.com")
    client.put(URL, json={"code": "ann's secret"}, headers=ann)
    assert client.get(URL, headers=bob).status_code == 404
    client.put(URL, json={"code": "bob's"}, headers=bob)
    assert client.get(URL, headers=ann).get_json()["code"] == "ann's secret"
    assert client.get(URL, headers=bob).get_json()["code"] == "bob's"
    other = "/api/v1/exercises/lstm_forward/draft"
    assert client.get(other, headers=ann).status_code == 404  # per exercise too


def test_bad_drafts_are_refused_and_change_nothing(app: Flask, client: Any, auth: AuthActions) -> None:
    """Not a string 422, too large 413, NUL 400, no body 400, unknown exercise 404, anonymous 401."""
    headers = auth.bearer("ann@example.com")
    client.put(URL, json={"code": "kept"}, headers=headers)
    cases = [
        (URL, {"code": 5}, 422, "invalid_code"),
        (URL, {"code": "x" * (MAX_CODE_BYTES + 1)}, 413, "code_too_large"),
        (URL, {"code": "a\x00b"}, 400, "bad_encoding"),
        ("/api/v1/exercises/nope/draft", {"code": "x"}, 404, "unknown_exercise"),
    ]
    for url, body, status, code in cases:
        response = client.put(url, json=body, headers=headers)
        assert response.status_code == status and response.get_json()["error"]["code"] == code, body
    assert client.put(URL, headers=headers).status_code == 400
    assert client.put(URL, json={"code": "x"}).status_code == 401
    assert client.get(URL, headers=headers).get_json()["code"] == "kept"


def test_an_empty_draft_is_kept(app: Flask, client: Any, auth: AuthActions) -> None:
    """A cleared editor is a valid draft (unlike an empty submission)."""
    headers = auth.bearer("ann@example.com")
    assert client.put(URL, json={"code": ""}, headers=headers).status_code == 200
    assert client.get(URL, headers=headers).get_json()["code"] == ""


def test_page_opens_with_draft_else_last_submission_else_starter(app: Flask, auth: AuthActions) -> None:
    """The editor starts from the starter, then the last submission, then the draft once one is saved."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    with app.app_context():
        starter = exercises.get("rnn_forward").starter_code
    page = auth.client.get("/exercises/rnn_forward").get_data(as_text=True)
    assert "The editor holds the starter code." in page and 'id="load-last" disabled' in page
    with app.app_context():
        code = "def rnn_forward(x, a0, parameters):\n    return 1\n"
        grading.submit_and_grade("ann@example.com", "rnn_forward", code)
    page = auth.client.get("/exercises/rnn_forward").get_data(as_text=True)
    assert "The editor holds your last submission." in page and "    return 1\n</textarea>" in page
    assert 'id="load-last" disabled' not in page
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert csrf
    saved = auth.client.put(URL, json={"code": "# my draft\n"}, headers={"X-CSRFToken": csrf.group(1)})
    assert saved.status_code == 200  # the page's own session and CSRF token, as its script does
    page = auth.client.get("/exercises/rnn_forward").get_data(as_text=True)
    assert "The editor holds your saved draft." in page and ">\n# my draft\n</textarea>" in page.replace(
        'class="code-input">', ">\n"
    )
    assert starter.splitlines()[0] in page  # the starter stays one click away ("reset to starter")


def test_logout_clears_browser_storage(app: Flask, auth: AuthActions) -> None:
    """Logging out tells the browser to clear this site's storage."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    response = auth.logout()
    assert response.headers.get("Clear-Site-Data") == '"storage"'
