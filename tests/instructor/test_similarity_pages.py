"""The similarity pages: pairs above the threshold, the caution, and two codes side by side."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.conftest import AuthActions
from tests.similarity.classroom import SLUG, similar_class

__all__ = ["similar_class"]  # the fixture, used by the tests below
REPORT = f"/instructor/exercises/{SLUG}/similarity"


def test_report_lists_the_copied_pair_with_the_caution(
    auth: AuthActions, similar_class: dict[str, int]
) -> None:
    """At the default 50% only ann and bob are listed, with a link to compare them and the caution."""
    auth.login("teacher@example.com")
    page = auth.client.get(REPORT).get_data(as_text=True)
    assert "Similarity is a reason to look, never proof." in page
    rows = re.findall(r"<tr>\s*<td class=\"num\">.*?</tr>", page, re.S)
    assert len(rows) == 1 and "ann@example.com" in rows[0] and "bob@example.com" in rows[0]
    pair = f"{REPORT}/{similar_class['ann']}/{similar_class['bob']}"
    assert f'href="{pair}"' in page
    assert "4 of 4 students" in page


def test_lower_threshold_lists_more_pairs_most_similar_first(
    auth: AuthActions, similar_class: dict[str, int]
) -> None:
    """At 30% a second pair appears, below the copied one; a bad threshold falls back to the default."""
    auth.login("teacher@example.com")
    page = auth.client.get(f"{REPORT}?min=0.3").get_data(as_text=True)
    shares = [int(x) for x in re.findall(r'<td class="num"><strong>(\d+)%</strong>', page)]
    assert len(shares) >= 2 and shares == sorted(shares, reverse=True) and shares[0] >= 80
    fallback = auth.client.get(f"{REPORT}?min=lots").get_data(as_text=True)
    assert len(re.findall(r'<td class="num"><strong>', fallback)) == 1


def test_side_by_side_highlights_matching_regions(auth: AuthActions, similar_class: dict[str, int]) -> None:
    """Both codes are shown, escaped, with <mark> around the matching gate computations."""
    auth.login("teacher@example.com")
    page = auth.client.get(f"{REPORT}/{similar_class['ann']}/{similar_class['bob']}").get_data(as_text=True)
    assert page.count('<pre><code>') == 2
    marks = re.findall(r'<mark class="match">(.*?)</mark>', page, re.S)
    assert any("np.dot(Wf, concat)" in m for m in marks)
    assert any("np.dot( Wf , stacked )" in m for m in marks)
    assert "never proof" in page
    assert f'/instructor/submissions/{similar_class["bob"]}#override' in page


def test_pair_of_another_exercise_is_404(auth: AuthActions, similar_class: dict[str, int]) -> None:
    """Submission ids that do not belong to the exercise in the URL are not found."""
    auth.login("teacher@example.com")
    response = auth.client.get(f"/instructor/exercises/rnn_forward/similarity/{similar_class['ann']}/1")
    assert response.status_code == 404


@pytest.mark.parametrize("path", [REPORT, f"{REPORT}/1/2"])
def test_students_are_turned_away(app: Flask, auth: AuthActions, path: str) -> None:
    """A student gets 403 on the report and on a pair; an anonymous visitor is sent to log in."""
    assert auth.client.get(path).status_code == 302
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    assert auth.client.get(path).status_code == 403


@pytest.mark.parametrize("app_overrides", [{"SIMILARITY_INLINE_PAIRS": 0}])
def test_running_report_shows_progress_and_reloads(
    auth: AuthActions, similar_class: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the job runs, the page shows a progress bar and asks the browser to reload, no inline script."""
    from quizapp.services import similarity, similarity_jobs

    monkeypatch.setattr(similarity, "run_claim", lambda claim: True)
    auth.login("teacher@example.com")
    response = auth.client.get(REPORT)
    similarity_jobs.wait_for_jobs()
    page = response.get_data(as_text=True)
    assert response.headers["Refresh"] == "3"
    assert "<progress" in page and "0 of 10 steps done" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script: it reloads by header
