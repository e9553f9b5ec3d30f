"""Verdicts on the pages: heatmaps with the first wrong step, tracebacks once, numbered code, overrides."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.extensions import db
from quizapp.models import Submission, User
from quizapp.models.types import utcnow
from quizapp.services import overrides
from tests.conftest import AuthActions, recorded_statements
from tests.instructor import grading

BUGGY = Path(__file__).resolve().parents[1] / "exercises" / "buggy"


def _graded(app: Flask, email: str, slug: str, code: str) -> int:
    with app.app_context():
        grading.submit_and_grade(email, slug, code)
        return int(db.session.scalar(db.select(db.func.max(Submission.id))))


def test_sequence_bug_draws_heatmaps_with_the_first_wrong_step(app: Flask, auth: AuthActions) -> None:
    """rnn_forward feeding a0 at every step: the page draws |yours − expected| for a, marks t = 1, lists
    the worst entries and keeps the full arrays behind a disclosure; hidden cases get no picture."""
    auth.create_user("ann@example.com")
    code = (BUGGY / "rnn_forward" / "a0_every_step.py").read_text(encoding="utf-8")
    sub = _graded(app, "ann@example.com", "rnn_forward", code)
    auth.login("ann@example.com")
    html = auth.client.get(f"/submissions/{sub}").get_data(as_text=True)
    assert "Your a is right for t = 0 and wrong from t = 1 on." in html
    assert '<a href="#v-case-1">Your a is right for t = 0 and wrong from t = 1 on.</a>' in html  # the table
    figures = re.findall(r'<figure class="diff">.*?</figure>', html, re.S)
    assert figures and html.count('<svg class="heatmap"') == len(figures)
    first = next(f for f in figures if "<code>a</code>" in f)
    assert 'class="hm-step"' in first and "wrong from t = 1 on" in first and "t (time step)" in first
    assert '<table class="worst">' in first and "tolerance: |yours − expected|" in first
    assert "<summary>Full message, inputs and arrays</summary>" in html
    assert "style=" not in "".join(figures) and "<script" not in "".join(figures)
    # Only the two public cases have pictures; the hidden ones say where they go wrong, in words.
    assert len({m for m in re.findall(r'aria-label="Heatmap of [^"]* in ([^"]+)"', html)}) == 2
    step = "Your a is right for t = 0 and wrong from t = 1 on."
    assert f'<p class="step-line"><code>a</code>: {step} <span class="muted">Output a differs: ' in html


def test_instructor_sees_the_same_heatmaps(app: Flask, auth: AuthActions) -> None:
    """The instructor's submission page shows the pictures too."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    code = (BUGGY / "lstm_forward" / "c_not_carried.py").read_text(encoding="utf-8")
    sub = _graded(app, "ann@example.com", "lstm_forward", code)
    auth.login("teacher@example.com")
    html = auth.client.get(f"/instructor/submissions/{sub}").get_data(as_text=True)
    assert '<svg class="heatmap"' in html and "Your c is right for t = 0 and wrong from t = 1 on." in html
    assert f'id="s{sub}-L1"' in html  # numbered code


def test_traceback_is_shown_once_with_its_cases_and_links_to_the_line(app: Flask, auth: AuthActions) -> None:
    """Six cases raising the same exception show one traceback naming them all; "line N" links to line N."""
    auth.create_user("ann@example.com")
    code = grading.solution("rnn_forward").replace("    a_next = a0\n", "    a_next = a0\n    zz = 1 / 0\n")
    sub = _graded(app, "ann@example.com", "rnn_forward", code)
    auth.login("ann@example.com")
    html = auth.client.get(f"/submissions/{sub}").get_data(as_text=True)
    assert html.count("ZeroDivisionError: division by zero") == 1
    block = re.search(r'<section class="case-detail".*?</section>', html, re.S)
    assert block and block.group(0).count("<strong id=") == 6
    line = next(n for n, text in enumerate(code.splitlines(), 1) if "zz = 1 / 0" in text)
    assert f'<a class="line-link" href="#L{line}" data-line="{line}">{line}</a>' in html
    assert f'<span class="line" id="L{line}">    zz = 1 / 0</span>' in html
    assert '<pre class="scroll-box traceback" tabindex="0" role="region" aria-label="Traceback of ' in html


def test_syntax_error_caret_stays_on_its_own_line(app: Flask, auth: AuthActions) -> None:
    """A syntax error's feedback is preformatted: the source line and its caret stay two aligned lines."""
    auth.create_user("ann@example.com")
    sub = _graded(app, "ann@example.com", "rnn_forward", "def rnn_forward(x, a0, p):\n    return (1,\n")
    auth.login("ann@example.com")
    html = auth.client.get(f"/submissions/{sub}").get_data(as_text=True)
    feedback = re.search(r'<pre class="scroll-box traceback"[^>]*>(.*?)</pre>', html, re.S)
    assert feedback and "Syntax error on " in feedback.group(1)
    lines = feedback.group(1).split("\n")
    assert lines[-2].strip() == "return (1," and lines[-1].strip() == "^"
    assert lines[-1].index("^") == lines[-2].index("(")


def test_override_is_the_one_score_students_see(app: Flask, auth: AuthActions) -> None:
    """After an override to 5/10 the headline, the history list and the API all show 5 and the reason."""
    auth.create_user("teacher@example.com", role="instructor")
    auth.create_user("ann@example.com")
    sub = _graded(app, "ann@example.com", "rnn_cell_forward", "def rnn_cell_forward(:\n")
    with app.app_context():
        teacher = db.session.scalar(db.select(User).where(User.email == "teacher@example.com"))
        overrides.override_score(sub, teacher, 5, "Right idea; a typo cost the run.")
    auth.login("ann@example.com")
    page = auth.client.get(f"/submissions/{sub}").get_data(as_text=True)
    headline = re.search(r'<p class="verdict-summary">(.*?)</p>', page, re.S)
    assert headline and "5 / 10" in headline.group(1) and "0 / 10" not in headline.group(1)
    assert "set by your instructor" in headline.group(1) and "Right idea; a typo cost the run." in page
    listing = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    item = re.search(rf'<li id="submission-{sub}">.*?</summary>', listing, re.S)
    assert item and "5 / 10" in item.group(0) and "set by your instructor" in item.group(0)
    assert "best score 5 / 10 (set by your instructor)" in auth.client.get("/").get_data(as_text=True)
    data: dict[str, Any] = auth.client.get(f"/api/v1/submissions/{sub}").get_json()
    assert data["score"] == 5 and data["override"]["reason"] == "Right idea; a typo cost the run."
    assert data["history"][0]["kind"] == "override" and data["history"][0]["reason"]


def test_fragments_are_the_owners_only(app: Flask, auth: AuthActions) -> None:
    """The script's verdict and history fragments render for the owner and are 404 for anyone else."""
    auth.create_user("ann@example.com")
    auth.create_user("bob@example.com")
    sub = _graded(app, "ann@example.com", "rnn_cell_forward", grading.buggy())
    auth.login("ann@example.com")
    verdict = auth.client.get(f"/submissions/{sub}/verdict.html")
    assert verdict.status_code == 200 and 'class="verdict verdict-failed"' in verdict.get_data(as_text=True)
    item = auth.client.get(f"/submissions/{sub}/item.html").get_data(as_text=True)
    assert item.lstrip().startswith(f'<li id="submission-{sub}">')
    auth.logout()
    auth.login("bob@example.com")
    assert auth.client.get(f"/submissions/{sub}/verdict.html").status_code == 404


def test_older_history_entries_are_rendered_when_opened(app: Flask, auth: AuthActions) -> None:
    """The exercise page renders the newest attempt's verdict and code; older entries carry only their
    summary and a placeholder, whose body (verdict, grading history, numbered code) comes from
    ``body.html``, the owner's only."""
    auth.create_user("ann@example.com")
    auth.create_user("bob@example.com")
    older = _graded(app, "ann@example.com", "rnn_cell_forward", grading.buggy())
    newest = _graded(app, "ann@example.com", "rnn_cell_forward", grading.buggy())
    auth.login("ann@example.com")
    page = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    listing = page.split('id="submission-list"', 1)[1]
    entries = {chunk.split('"', 1)[0]: chunk for chunk in listing.split('<li id="submission-')[1:]}
    assert f'id="s{newest}-L1"' in entries[str(newest)] and "table" in entries[str(newest)]
    assert f'id="s{older}-L1"' not in page and 'class="cases' not in entries[str(older)]
    assert "failed" in entries[str(older)] and "Attempt 1," in entries[str(older)]
    assert f'data-src="/submissions/{older}/body.html"' in entries[str(older)]
    body = auth.client.get(f"/submissions/{older}/body.html")
    html = body.get_data(as_text=True)
    assert body.status_code == 200 and f'id="s{older}-L1"' in html and "Code of attempt 1" in html
    assert 'class="verdict verdict-failed"' in html and not html.lstrip().startswith("<li")
    auth.logout()
    auth.login("bob@example.com")
    assert auth.client.get(f"/submissions/{older}/body.html").status_code == 404


def test_the_exercise_page_reads_one_verdict_however_long_the_history(app: Flask, auth: AuthActions) -> None:
    """Older attempts' summaries take their status from the gradings: the page reads the newest
    attempt's verdict JSON alone, and no grading's, yet still shows each attempt's status."""
    auth.create_user("ann@example.com")
    for _ in range(3):
        _graded(app, "ann@example.com", "rnn_cell_forward", grading.buggy())
    auth.login("ann@example.com")
    with recorded_statements(app) as statements:
        page = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    verdict_reads = [s for s in statements if "submissions.verdict" in s]
    assert len(verdict_reads) == 1 and "gradings.verdict " not in " ".join(statements).replace(",", " ")
    listing = page.split('id="submission-list"', 1)[1]
    summaries = re.findall(r"<summary>\s*Attempt.*?</summary>", listing, re.S)
    assert len(summaries) == 3
    assert all('<span class="badge badge-failed">failed</span>' in summary for summary in summaries)


def _queued(app: Flask, email: str, slug: str, count: int) -> None:
    """Store ``count`` queued submissions of ``email`` to ``slug`` straight in the table (no grading)."""
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        assert user is not None
        for n in range(count):
            db.session.add(Submission(user_id=user.id, exercise_slug=slug, code=f"# attempt {n + 1}\n",
                                      source="web", status="queued", pending_kind="auto",
                                      queued_at=utcnow(), delivery_count=0, days_late=0))
        db.session.commit()


def test_the_exercise_page_numbers_attempts_without_counting_them_when_it_lists_them_all(
    app: Flask, auth: AuthActions
) -> None:
    """A history shorter than the page's list numbers its newest attempt by its length, and takes the
    editor's "last submission" from it: no count, no second read of the code."""
    auth.create_user("ann@example.com")
    _queued(app, "ann@example.com", "rnn_cell_forward", 3)
    auth.login("ann@example.com")
    with recorded_statements(app) as statements:
        page = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    assert not [s for s in statements if "count(" in s.lower()]
    assert len([s for s in statements if "submissions.code" in s]) == 1
    summaries = re.findall(r"<summary>\s*Attempt (\d+),", page)
    assert summaries == ["3", "2", "1"]
    assert "# attempt 3" in page.split('id="last-code"', 1)[1].split("</textarea>", 1)[0]


def test_a_long_history_lists_the_newest_fifty_attempts_with_their_true_numbers(
    app: Flask, auth: AuthActions
) -> None:
    """With more attempts than the page lists, the newest is numbered by counting them all: 52 attempts
    show as Attempt 52 down to Attempt 3."""
    auth.create_user("ann@example.com")
    _queued(app, "ann@example.com", "rnn_cell_forward", 52)
    auth.login("ann@example.com")
    page = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    summaries = re.findall(r"<summary>\s*Attempt (\d+),", page)
    assert summaries == [str(n) for n in range(52, 2, -1)]


def test_a_first_visit_reads_the_submissions_once_and_opens_on_the_starter(
    app: Flask, auth: AuthActions
) -> None:
    """With no attempts yet, the empty history is the only read of the submissions, and the editor
    holds the starter code."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    with recorded_statements(app) as statements:
        page = auth.client.get("/exercises/rnn_cell_forward").get_data(as_text=True)
    assert len([s for s in statements if "FROM submissions" in s]) == 1
    assert 'id="no-submissions"' in page and "def rnn_cell_forward" in page
