"""The instructor's schedule, extension, gradebook and audit pages, and the dates students see."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Extension
from quizapp.services import accounts, schedule_time, schedules
from tests.conftest import AuthActions, csrf_token_from, recorded_statements
from tests.schedules.conftest import SLUG, hours
from tests.schedules.test_done_when import submit

Headers = dict[str, dict[str, str]]


def login(auth: AuthActions, email: str) -> None:
    """Sign in through the form."""
    assert auth.login(email).status_code == 302


def test_instructor_sets_dates_on_the_schedule_page_in_course_time(
    client: FlaskClient, auth: AuthActions, people: Headers
) -> None:
    """The page's form reads times in COURSE_TIMEZONE, stores UTC, shows them back and audits the change."""
    client.application.config["COURSE_TIMEZONE"] = "Europe/Paris"
    login(auth, "teacher@example.com")
    page = client.get("/instructor/schedule")
    assert page.status_code == 200 and "Europe/Paris" in page.get_data(as_text=True)
    saved = client.post(
        f"/instructor/schedule/{SLUG}",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "opens_at": "2026-01-05T09:00",
            "due_at": "2026-01-09T17:00",
            "closes_at": "2026-01-12T17:00",
            "penalty_percent": "10",
            "reason": "term dates",
        },
        follow_redirects=True,
    )
    assert "Saved the dates" in saved.get_data(as_text=True)
    stored = client.get(f"/api/v1/schedule/{SLUG}", headers=people["teacher"]).get_json()
    assert stored["due_at"] == "2026-01-09T16:00:00+00:00"  # 17:00 in Paris (CET, UTC+1)
    assert stored["late_penalty_per_day"] == 0.1 and stored["source"] == "instructor"
    assert 'value="2026-01-09T17:00"' in client.get("/instructor/schedule").get_data(as_text=True)
    log = client.get("/instructor/audit").get_data(as_text=True)
    assert "schedule.set" in log and "term dates" in log and "teacher@example.com" in log


def test_schedule_page_refuses_closing_before_due_and_keeps_the_old_dates(
    client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """A close date before the due date is refused with a clear message; nothing changes."""
    set_schedule(due_at=hours(24))
    login(auth, "teacher@example.com")
    token = csrf_token_from(client.get("/instructor/schedule").get_data(as_text=True))
    response = client.post(
        f"/instructor/schedule/{SLUG}",
        data={"csrf_token": token, "due_at": "2030-01-09T17:00", "closes_at": "2030-01-01T17:00"},
        follow_redirects=True,
    )
    assert "closes_at must not be before due_at" in response.get_data(as_text=True)
    stored = client.get(f"/api/v1/schedule/{SLUG}", headers=people["teacher"]).get_json()
    assert stored["due_at"].startswith(str(hours(24).date())) and stored["closes_at"] is None


def test_student_page_grants_and_removes_an_extension(
    client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """From the student page: grant an extension (gradebook marks it), then remove it; both are audited."""
    set_schedule(due_at=hours(-48), closes_at=hours(-24))
    with client.application.app_context():
        ann = accounts.find_user("ann@example.com")
        assert ann is not None
        ann_id = ann.id
    login(auth, "teacher@example.com")
    page = client.get(f"/instructor/students/{ann_id}").get_data(as_text=True)
    assert "Grant an extension" in page
    granted = client.post(
        f"/instructor/students/{ann_id}/extensions",
        data={
            "csrf_token": csrf_token_from(page),
            "slug": SLUG,
            "due_at": (hours(24)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "medical note",
        },
        follow_redirects=True,
    )
    assert "Extension on rnn_cell_forward granted" in granted.get_data(as_text=True)
    assert submit(client, people["ann"]).status_code == 202
    assert submit(client, people["bob"]).status_code == 403
    book = client.get("/instructor/gradebook?extended=1").get_data(as_text=True)
    assert "ann@example.com" in book and "bob@example.com" not in book and "ext." in book
    removed = client.post(
        f"/instructor/schedule/{SLUG}/extensions/{ann_id}/delete",
        data={"csrf_token": csrf_token_from(granted.get_data(as_text=True))},
        follow_redirects=True,
    )
    assert "Removed the extension" in removed.get_data(as_text=True)
    log = client.get("/instructor/audit.csv").get_data(as_text=True)
    actions = [row["action"] for row in csv.DictReader(io.StringIO(log))]
    assert actions[:3] == ["extension.remove", "extension.set", "schedule.set"]
    assert "medical note" in log


def test_extension_csv_import_is_all_or_nothing_with_line_numbers(
    client: FlaskClient, auth: AuthActions, people: Headers
) -> None:
    """One bad line (unknown student, bad date) stores nothing and names the lines; a good file stores all."""
    login(auth, "teacher@example.com")
    token = csrf_token_from(client.get("/instructor/schedule").get_data(as_text=True))
    bad = (
        "email,slug,due_at,closes_at\n"
        "ann@example.com,rnn_cell_forward,2030-01-09T17:00,\n"
        "nobody@example.com,rnn_forward,2030-01-09T17:00,\n"
        "bob@example.com,clip,next friday,\n"
    )
    response = client.post(
        "/instructor/schedule/extensions.csv",
        data={"csrf_token": token, "extensions": (io.BytesIO(bad.encode()), "ext.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert (
        "Nothing was imported" in text and "Line 3:" in text and "Line 4:" in text and "Line 2:" not in text
    )
    with client.application.app_context():
        assert db.session.query(Extension).count() == 0
    good = (
        "email,slug,due_at,closes_at\n"
        "ann@example.com,rnn_cell_forward,2030-01-09T17:00,\n"
        "bob@example.com,rnn-week1,,2030-02-01T00:00Z\n"
    )
    response = client.post(
        "/instructor/schedule/extensions.csv",
        data={"csrf_token": token, "extensions": (io.BytesIO(good.encode()), "ext.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Imported 2 extensions" in response.get_data(as_text=True)
    listed = client.get("/api/v1/schedule/rnn-week1", headers=people["teacher"]).get_json()["extensions"]
    assert [(e["email"], e["closes_at"]) for e in listed] == [
        ("bob@example.com", "2030-02-01T00:00:00+00:00")
    ]


def test_gradebook_page_shows_raw_and_penalised_and_filters_late(
    client: FlaskClient,
    auth: AuthActions,
    people: Headers,
    set_schedule: Callable[..., Any],
    grade: Callable[[int], None],
) -> None:
    """A late 10 at 50%/day shows struck 10, then 5 and "1d late"; the late filter keeps only ann."""
    set_schedule(due_at=hours(-12), closes_at=hours(36), late_penalty_per_day=0.5)
    grade(submit(client, people["ann"]).get_json()["id"])
    login(auth, "teacher@example.com")
    page = client.get("/instructor/gradebook?late=1").get_data(as_text=True)
    assert "ann@example.com" in page and "bob@example.com" not in page
    row = re.search(r'<tr data-email="ann@example.com".*?</tr>', page, re.S)
    assert row is not None
    assert '<s class="raw" aria-label="raw 10">10</s> 5' in row.group(0) and "1d late" in row.group(0)
    assert 'class="num sticky-total"' in row.group(0)


def test_students_see_dates_and_time_left_in_words(
    client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """Course and exercise pages say "due <day> <time>, N days left"; an extension is called theirs."""
    set_schedule(due_at=hours(50), closes_at=hours(80))
    login(auth, "ann@example.com")
    home = client.get("/").get_data(as_text=True)
    assert re.search(r"due \w+ \d\d:\d\d, 2 days left", home), home
    page = client.get(f"/exercises/{SLUG}").get_data(as_text=True)
    assert re.search(r"Due \w+ \d\d:\d\d, 2 days left", page)
    client.put(
        f"/api/v1/schedule/{SLUG}/extensions/ann@example.com",
        headers=people["teacher"],
        json={"due_at": (hours(100)).isoformat()},
    )
    assert "(your extension), 4 days left" in client.get(f"/exercises/{SLUG}").get_data(as_text=True)


def test_phrase_reads_like_a_person_wrote_it() -> None:
    """Open, late and closed windows read as plain sentences relative to now."""
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    window = schedules.Window(
        "x", "exercise", "X", None, now + timedelta(days=2, hours=5), None, 0.1, "instructor"
    )
    assert schedule_time.phrase(window, now) == "due Friday 17:00, 2 days left"
    late = schedule_time.phrase(window, now + timedelta(days=3))
    assert late == "was due yesterday 17:00; late work loses 10% a day"
    closed = schedules.Window(
        "x", "exercise", "X", None, now - timedelta(days=9), now - timedelta(days=8), 0, "content"
    )
    assert schedule_time.phrase(closed, now) == "closed Tue 24 Nov 12:00"
    assert window.days_late(window.due_at + timedelta(seconds=1)) == 1  # type: ignore[operator]
    assert window.days_late(window.due_at + timedelta(days=1)) == 1  # type: ignore[operator]
    assert window.days_late(window.due_at + timedelta(days=1, seconds=1)) == 2  # type: ignore[operator]


def test_overview_timeline_spans_the_schedule_and_marks_due_dates(
    client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """With dates set, "Submissions per day" spans first opening to last closing, due day marked."""
    from quizapp.services import timeline

    set_schedule(opens_at=hours(-72), due_at=hours(48), closes_at=hours(96))
    assert submit(client, people["ann"]).status_code == 202
    with client.application.app_context():
        drawn = timeline.build_timeline()
        assert drawn is not None
        assert drawn.days[0][0] == hours(-72).date() and drawn.days[-1][0] == hours(96).date()
        assert sum(n for _, n in drawn.days) == 1 and drawn.due == {hours(48).date(): [SLUG]}
    login(auth, "teacher@example.com")
    page = client.get("/instructor/").get_data(as_text=True)
    assert f"{SLUG} due" in page and "red bars mark due dates" in page and "· due" in page


def test_closed_quiz_start_button_explains_on_the_quiz_page(
    client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """The browser's Start button on a closed quiz comes back to the quiz page saying when it closed."""
    set_schedule("rnn-week1", closes_at=hours(-2))
    login(auth, "ann@example.com")
    page = client.get("/quizzes/rnn-week1").get_data(as_text=True)
    assert "Closed" in page
    response = client.post(
        "/quizzes/rnn-week1/attempts", data={"csrf_token": csrf_token_from(page)}, follow_redirects=True
    )
    assert response.status_code == 200 and "no more work is accepted" in response.get_data(as_text=True)


def test_course_page_reads_the_schedule_once_whatever_the_number_of_items(
    app: Any, client: FlaskClient, auth: AuthActions, people: Headers, set_schedule: Callable[..., Any]
) -> None:
    """Every item's dates on the course page come from one read of the schedule and the student's
    extensions (not two queries per quiz and exercise), and the extension still shows."""
    set_schedule(due_at=hours(50), closes_at=hours(80))
    client.put(f"/api/v1/schedule/{SLUG}/extensions/ann@example.com", headers=people["teacher"],
               json={"due_at": hours(100).isoformat()})
    login(auth, "ann@example.com")
    with recorded_statements(app) as statements:
        home = client.get("/").get_data(as_text=True)
    assert "(your extension), 4 days left" in home
    schedule_reads = [s for s in statements if "FROM schedules" in s or "FROM extensions" in s]
    assert len(schedule_reads) == 2, schedule_reads
    assert len(statements) <= 12, statements
