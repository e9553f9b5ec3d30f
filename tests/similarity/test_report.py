"""The similarity service: a renamed copy stands out, the starter never matches, the report is cached."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from quizapp.extensions import db
from quizapp.models import SimilarityReport, Submission
from quizapp.services import similarity, similarity_jobs, similarity_pairs
from tests.instructor import factories as f
from tests.similarity.classroom import SLUG, STARTER, code, hold_computation, passed


def candidates(*names: str) -> list[similarity.Candidate]:
    """Candidates made of the named test solutions, numbered from 1."""
    return [similarity.Candidate(i, name, code(name)) for i, name in enumerate(names, start=1)]


def test_renamed_copy_is_the_top_pair_clearly_above_independent_solutions() -> None:
    """The original and its renamed copy score 0.8 or more, 0.3 above every pair with an independent one."""
    names = ("original", "renamed_copy", "independent_a", "independent_b")
    result = similarity.compute_pairs(STARTER, candidates(*names))
    pairs = result["pairs"]
    assert len(pairs) == 6 and result["compared"] == 4
    top = pairs[0]
    assert {top["a"]["email"], top["b"]["email"]} == {"original", "renamed_copy"}
    assert top["similarity"] >= 0.8
    assert all(top["similarity"] - other["similarity"] >= 0.3 for other in pairs[1:])
    independent = next(p for p in pairs if {p["a"]["email"], p["b"]["email"]} == set(names[2:]))
    assert independent["similarity"] < 0.5
    assert [p["similarity"] for p in pairs] == sorted((p["similarity"] for p in pairs), reverse=True)
    # The median of six pairs is the mean of the 3rd and 4th: well below the copied pair.
    ranked = [p["similarity"] for p in pairs]
    assert result["median_similarity"] == pytest.approx((ranked[2] + ranked[3]) / 2, abs=1e-4)
    assert top["similarity"] - result["median_similarity"] >= 0.4


def test_the_starter_alone_matches_nothing_and_is_left_out() -> None:
    """An untouched starter has no code of its own: it is listed as too short and compared with nobody."""
    found = [*candidates("original", "renamed_copy"), similarity.Candidate(9, "blank", STARTER)]
    result = similarity.compute_pairs(STARTER, found)
    assert result["too_short"] == [9]
    assert len(result["pairs"]) == 1


def test_identical_code_outside_the_starter_is_fully_similar() -> None:
    """Two byte-identical solutions score 1.0; the starter they share does not dilute it."""
    result = similarity.compute_pairs(STARTER, candidates("independent_b", "independent_b"))
    assert result["pairs"][0]["similarity"] == pytest.approx(1.0)


def test_pair_detail_marks_matching_regions_in_both_codes(app: Flask, similar_class: dict[str, int]) -> None:
    """The side-by-side view highlights the copied gate lines in both codes and not the docstring."""
    with app.app_context():
        ann = db.session.get(Submission, similar_class["ann"])
        bob = db.session.get(Submission, similar_class["bob"])
        detail = similarity_pairs.pair_detail(SLUG, ann, bob)
        assert detail.similarity >= 0.8
        a_marked = "".join(s.text for s in detail.a_segments if s.matched)
        b_marked = "".join(s.text for s in detail.b_segments if s.matched)
        assert "sigmoid(np.dot(Wi, concat) + bi)" in a_marked
        assert "sigmoid( np.dot( Wi , stacked ) + bi )" in b_marked
        assert "Implement a single forward step" not in a_marked
        assert "".join(s.text for s in detail.a_segments) == ann.code
        start = 0
        for segment in detail.a_segments:  # a match never starts or ends inside a name
            end = start + len(segment.text)
            if segment.matched:
                assert not (start and ann.code[start - 1].isalnum() and segment.text[0].isalnum())
                assert not (end < len(ann.code) and ann.code[end].isalnum() and segment.text[-1].isalnum())
            start = end


def test_pair_detail_folds_long_unmatched_runs_around_the_matches(
    app: Flask, similar_class: dict[str, int]
) -> None:
    """With context, the docstring before the first match is folded into a counted placeholder; the
    matched text and the lines kept around it are unchanged."""
    with app.app_context():
        ann = db.session.get(Submission, similar_class["ann"])
        bob = db.session.get(Submission, similar_class["bob"])
        whole = similarity_pairs.pair_detail(SLUG, ann, bob)
        folded = similarity_pairs.pair_detail(SLUG, ann, bob, context=3)
    placeholders = [s for s in folded.a_segments if s.folded]
    assert placeholders and re.fullmatch(r"⋯ \d+ lines without a match ⋯", placeholders[0].text)
    shown = "".join(s.text for s in folded.a_segments if not s.folded)
    assert "Implement a single forward step" not in shown
    assert [s.text for s in folded.a_segments if s.matched] == [s.text for s in whole.a_segments if s.matched]
    # Each placeholder stands for its hidden lines, line ends included.
    assert shown.count("\n") + sum(s.folded for s in folded.a_segments) == ann.code.count("\n")


def test_report_compares_latest_student_submissions_and_is_cached(
    app: Flask, similar_class: dict[str, int]
) -> None:
    """Latest graded submission per student, no instructors; a second request reuses the stored result."""
    with app.app_context():
        report = similarity_jobs.ensure_report(SLUG)
        body = similarity.report_json(SLUG, report)
        assert body["status"] == "done" and body["students"] == 4 and len(body["pairs"]) == 6
        seen = {p[side]["submission"] for p in body["pairs"] for side in ("a", "b")}
        assert seen == {similar_class[n] for n in ("ann", "bob", "cy", "dee")}
        top = body["pairs"][0]
        assert {top["a"]["email"], top["b"]["email"]} == {"ann@example.com", "bob@example.com"}
        finished = report.finished_at

        again, claim = similarity.request_report(SLUG)
        assert claim is None and again.finished_at == finished


def test_a_new_graded_submission_makes_the_report_stale(app: Flask, similar_class: dict[str, int]) -> None:
    """When cy submits again, the next request computes a new report over cy's new code."""
    with app.app_context():
        first = similarity_jobs.ensure_report(SLUG)
        old_basis = first.basis
        cy = db.session.get(Submission, similar_class["cy"]).user_id
        newer = f.graded(cy, SLUG, passed(), code=code("original"))
        report = similarity_jobs.ensure_report(SLUG)
        assert report.basis != old_basis and report.status == "done"
        body = similarity.report_json(SLUG, report)
        assert newer in {p[side]["submission"] for p in body["pairs"] for side in ("a", "b")}
        assert body["pairs"][0]["similarity"] == pytest.approx(1.0)  # cy's new code is ann's, unchanged


def test_only_one_caller_claims_a_stale_report(app: Flask, similar_class: dict[str, int]) -> None:
    """Two requests for a missing report: the first claims it; the second finds it running, claims nothing."""
    with app.app_context():
        first, claim = similarity.request_report(SLUG)
        assert claim is not None and first.status == "running"
        second, other = similarity.request_report(SLUG)
        assert other is None and second.status == "running"
        assert similarity.run_claim(claim)
        assert similarity.current_report(SLUG).status == "done"


def test_a_superseded_job_cannot_write_its_result(app: Flask, similar_class: dict[str, int]) -> None:
    """A job whose claim was taken over (its process looked dead) stops without overwriting the newer one."""
    with app.app_context():
        _, old = similarity.request_report(SLUG)
        assert old is not None
        db.session.execute(
            db.update(SimilarityReport).values(updated_at=f.T0, basis="stale").execution_options(
                synchronize_session=False
            )
        )
        db.session.commit()
        _, new = similarity.request_report(SLUG)
        assert new is not None and new.token != old.token
        assert similarity.run_claim(old) is False
        assert similarity.current_report(SLUG).status == "running"
        assert similarity.run_claim(new) is True


@pytest.mark.parametrize("app_overrides", [{"SIMILARITY_INLINE_PAIRS": 0}])
def test_large_class_runs_in_the_background_with_progress(
    app: Flask, similar_class: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the inline limit the request returns at once with the report running; the thread finishes it."""
    gate = hold_computation(monkeypatch)
    with app.app_context():
        report = similarity_jobs.ensure_report(SLUG)
        assert report.status == "running" and report.total == 4 + 6 and report.done == 0
        gate.set()
        similarity_jobs.wait_for_jobs()
        db.session.expire_all()
        done = similarity.current_report(SLUG)
        assert done.status == "done" and done.done == done.total
        assert len(done.result["pairs"]) == 6
