"""Default dates from the content files: validated like the rest, applied until an instructor sets others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient
from pydantic import ValidationError

from graders.catalogue import ExerciseInfo, ScheduleSpec
from quizapp.content.problems import ContentError
from quizapp.content.quizzes import parse_quiz_file
from tests.quizzes.helpers import week1_copy

Headers = dict[str, dict[str, str]]


def with_schedule(folder: Path, schedule: dict[str, Any]) -> Path:
    """The week-1 quiz copied into ``folder`` with a ``schedule:`` block."""
    week1_copy(folder)
    path = folder / "rnn-week1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["schedule"] = schedule
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict[str, Any]:
    """A quiz file that closed on 1 March 2026 (Paris time), in a Paris course."""
    folder = tmp_path / "quizzes"
    with_schedule(folder, {"due_at": "2026-02-27T17:00:00", "closes_at": "2026-03-01T17:00:00"})
    return {"QUIZ_DIR": str(folder), "COURSE_TIMEZONE": "Europe/Paris", "GRADING_POOL_IN_APP": False}


def test_quiz_file_dates_apply_until_the_instructor_changes_them(
    client: FlaskClient, people: Headers
) -> None:
    """The file's close date (course time) refuses attempts; the instructor's new dates replace it."""
    shown = client.get("/api/v1/schedule/rnn-week1", headers=people["teacher"]).get_json()
    assert shown["source"] == "content" and shown["closes_at"] == "2026-03-01T16:00:00+00:00"
    refused = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=people["ann"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "closed"
    assert "Sun 1 Mar 2026, 17:00 CET" in refused.get_json()["error"]["message"]
    reopened = client.put("/api/v1/schedule/rnn-week1", headers=people["teacher"], json={"closes_at": None})
    assert reopened.get_json()["source"] == "instructor" and reopened.get_json()["due_at"] is not None
    assert client.post("/api/v1/quizzes/rnn-week1/attempts", headers=people["ann"]).status_code == 201


@pytest.mark.parametrize(
    ("schedule", "needle"),
    [
        (
            {"due_at": "2026-03-02T00:00:00", "closes_at": "2026-03-01T00:00:00"},
            "closes_at must not be before",
        ),
        ({"late_penalty_per_day": 1.5}, "less than or equal to 1"),
        ({"due": "2026-03-02T00:00:00"}, "unknown field"),
        ({"due_at": "2026-03-02T00:00:00+01:00", "closes_at": "2026-03-03T00:00:00"}, "UTC offset"),
        ({"due_at": "tomorrow"}, "datetime"),
    ],
)
def test_bad_schedule_in_a_quiz_file_names_the_field(
    tmp_path: Path, schedule: dict[str, Any], needle: str
) -> None:
    """A quiz file's bad schedule is a ContentError naming ``schedule`` and saying what is wrong."""
    path = with_schedule(tmp_path, schedule)
    with pytest.raises(ContentError) as caught:
        parse_quiz_file(path)
    text = str(caught.value)
    assert "schedule" in text and needle in text, text


def test_exercise_info_takes_an_optional_schedule() -> None:
    """info.yaml accepts a schedule block, validated in the same way (order and penalty range)."""
    base = {
        "slug": "clip", "uuid": "74d4bab2-c7b8-4fc3-b429-b800173840d0", "title": "Clip", "function": "clip",
        "points": 10, "order": 8, "version": 1, "time_limit_s": 3.0,
        "tolerance": {"rtol": 1e-5, "atol": 1e-7}, "hidden_case_count": 4,
    }  # fmt: skip
    assert ExerciseInfo.model_validate(base).schedule is None
    info = ExerciseInfo.model_validate(
        {**base, "schedule": {"due_at": "2026-12-04T17:00", "late_penalty_per_day": 0.1}}
    )
    assert info.schedule == ScheduleSpec(due_at="2026-12-04T17:00", late_penalty_per_day=0.1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="due_at must not be before opens_at"):
        ExerciseInfo.model_validate(
            {**base, "schedule": {"opens_at": "2026-12-05T00:00", "due_at": "2026-12-04T17:00"}}
        )
