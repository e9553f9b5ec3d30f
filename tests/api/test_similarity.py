"""GET /api/v1/exercises/{slug}/similarity: the contract's shape for instructors, 403 for students."""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient

from quizapp.services import similarity_jobs
from tests.api.test_openapi import Checker
from tests.conftest import AuthActions
from tests.similarity.classroom import SLUG, hold_computation, similar_class

__all__ = ["similar_class"]  # the fixture, used by the tests below

URL = f"/api/v1/exercises/{SLUG}/similarity"


def teacher_headers(auth: AuthActions) -> dict[str, str]:
    """A bearer header for the instructor of the ``similar_class`` fixture."""
    return {"Authorization": f"Bearer {auth.token('teacher@example.com')}"}


def test_instructor_gets_pairs_most_similar_first(
    client: FlaskClient, auth: AuthActions, similar_class: dict[str, int]
) -> None:
    """The renamed copy (ann, bob) is the first pair, with the contract's a/b/similarity fields."""
    body = Checker()(client.get(URL, headers=teacher_headers(auth)), 200)
    pairs = body["pairs"]
    assert len(pairs) == 6 and body["status"] == "done"
    top = pairs[0]
    assert {top["a"]["email"], top["b"]["email"]} == {"ann@example.com", "bob@example.com"}
    assert {top["a"]["submission"], top["b"]["submission"]} == {similar_class["ann"], similar_class["bob"]}
    assert 0.8 <= top["similarity"] <= 1 and pairs[1]["similarity"] <= top["similarity"] - 0.3
    assert all(0 <= p["similarity"] <= 1 for p in pairs)


def test_min_similarity_filters_pairs(
    client: FlaskClient, auth: AuthActions, similar_class: dict[str, int]
) -> None:
    """``min_similarity=0.6`` keeps only the copied pair; a value outside 0..1 is a JSON 400."""
    headers = teacher_headers(auth)
    pairs = client.get(f"{URL}?min_similarity=0.6", headers=headers).get_json()["pairs"]
    assert len(pairs) == 1
    bad = client.get(f"{URL}?min_similarity=2", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_min_similarity"


def test_students_get_403(client: FlaskClient, auth: AuthActions, similar_class: dict[str, int]) -> None:
    """A student, even one in the report, is refused with the JSON error shape."""
    response = client.get(URL, headers={"Authorization": f"Bearer {auth.token('ann@example.com')}"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_anonymous_gets_401_and_unknown_exercise_404(client: FlaskClient, auth: AuthActions) -> None:
    """No credentials is 401; an instructor asking about an unknown slug gets 404 unknown_exercise."""
    assert client.get(URL).status_code == 401
    headers = auth.bearer("boss@example.com", role="instructor")
    response = client.get("/api/v1/exercises/nope/similarity", headers=headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_exercise"


def test_no_submissions_gives_no_pairs(client: FlaskClient, auth: AuthActions) -> None:
    """An exercise nobody has submitted to has an empty, finished report."""
    headers = auth.bearer("boss@example.com", role="instructor")
    body = client.get(URL, headers=headers).get_json()
    assert body["pairs"] == [] and body["status"] == "done" and body["students"] == 0


@pytest.mark.parametrize("app_overrides", [{"SIMILARITY_INLINE_PAIRS": 0}])
def test_running_job_answers_202_with_progress_then_200(
    client: FlaskClient, auth: AuthActions, similar_class: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A background job answers 202 with its progress and Retry-After; once done, 200 with the pairs."""
    headers = teacher_headers(auth)
    gate = hold_computation(monkeypatch)
    check = Checker()  # both answers as the OpenAPI document describes them
    body = check(client.get(URL, headers=headers), 202)
    assert body["status"] == "running" and body["pairs"] == []
    assert body["progress"] == {"done": 0, "total": 10}
    gate.set()
    similarity_jobs.wait_for_jobs()
    deadline = time.monotonic() + 30
    while (response := client.get(URL, headers=headers)).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(check(response, 200)["pairs"]) == 6
