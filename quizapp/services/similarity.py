"""Code similarity between students' submissions to one exercise, with copydetect's winnowed fingerprints.

Each student's latest graded submission is tokenised with identifier names normalised (so renaming
variables changes nothing), the exercise's starter is removed as boilerplate, and every pair is compared.
The result is cached per exercise (``SimilarityReport``) until the set of compared submissions changes.
Similarity is a reason to look at a pair, never proof of copying.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from copydetect import CodeFingerprint, compare_files
from sqlalchemy import and_, func, not_, or_, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import SimilarityReport, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import exercises

# copydetect's defaults: matches shorter than 25 characters of tokenised code are noise, and every match
# of 25 or more is guaranteed to be found (window 1).
NOISE_THRESHOLD = 25
WINDOW = 1
# Pairs at or above this similarity are listed by default on the instructor page.
DEFAULT_THRESHOLD = 0.5
# The report keeps the most similar pairs only; a class of 64 has 2,016 pairs.
MAX_STORED_PAIRS = 2000
# A running job that has not written progress for this long is taken to have died.
STALE_AFTER = timedelta(seconds=90)
# How often (seconds) a running job writes its progress, which also shows it is alive.
PROGRESS_EVERY = 0.5
SETTINGS_VERSION = f"copydetect-k{NOISE_THRESHOLD}-w{WINDOW}-v1"


@dataclass(frozen=True)
class Candidate:
    """One student's latest graded submission to the exercise."""

    submission_id: int
    email: str
    code: str


@dataclass(frozen=True)
class Claim:
    """A report this caller must compute now: its row, claim token and inputs."""

    report_id: int
    token: str
    slug: str
    candidates: list[Candidate]

    @property
    def comparisons(self) -> int:
        """How many pairs the job compares."""
        n = len(self.candidates)
        return n * (n - 1) // 2


# --- comparing code ---------------------------------------------------------------------------------


def _fingerprint(code: str, boilerplate: Any = None) -> Any:
    return CodeFingerprint(
        "submission.py",
        NOISE_THRESHOLD,
        WINDOW,
        boilerplate=boilerplate,
        fp=io.StringIO(code),
        language="python",
    )


def boilerplate_hashes(starter: str) -> Any:
    """The fingerprints of the starter code, which matches in every submission by design."""
    return np.array(sorted(_fingerprint(starter).hashes), dtype=np.int64)


def fingerprint(code: str, boilerplate: Any) -> Any | None:
    """The submission's fingerprints without the starter's; None when it has too little code of its own."""
    print_ = _fingerprint(code, boilerplate)
    return print_ if print_.token_coverage >= NOISE_THRESHOLD else None


def compare(first: Any, second: Any) -> tuple[float, float, Any]:
    """The share of each submission's own code that matches the other's, and the matching slices."""
    _, (share_a, share_b), slices = compare_files(first, second)
    return float(share_a), float(share_b), slices


def compute_pairs(
    starter: str, candidates: Sequence[Candidate], progress: Callable[[int], bool] | None = None
) -> dict[str, Any]:
    """Compare every pair of candidates; the result JSON of a report, most similar first.

    ``progress(done)`` is called about every ``PROGRESS_EVERY`` seconds with the number of steps done (one
    per fingerprint, then one per pair); when it returns False the computation stops with ``Abandoned``.
    """
    boilerplate = boilerplate_hashes(starter)
    step, last = 0, time.monotonic()

    def tick() -> None:
        nonlocal step, last
        step += 1
        if progress is not None and time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            if not progress(step):
                raise Abandoned

    prints: list[tuple[Candidate, Any]] = []
    too_short: list[int] = []
    for candidate in candidates:
        print_ = fingerprint(candidate.code, boilerplate)
        if print_ is None:
            too_short.append(candidate.submission_id)
        else:
            prints.append((candidate, print_))
        tick()
    pairs: list[dict[str, Any]] = []
    for (cand_a, print_a), (cand_b, print_b) in itertools.combinations(prints, 2):
        share_a, share_b, _ = compare(print_a, print_b)
        pairs.append(
            {
                "a": {"email": cand_a.email, "submission": cand_a.submission_id, "share": round(share_a, 4)},
                "b": {"email": cand_b.email, "submission": cand_b.submission_id, "share": round(share_b, 4)},
                "similarity": round(max(share_a, share_b), 4),
            }
        )
        tick()
    pairs.sort(key=lambda p: (-p["similarity"], p["a"]["submission"], p["b"]["submission"]))
    # The class's typical pair, over every pair (not only those kept): the yardstick for the top ones.
    median = float(np.median([p["similarity"] for p in pairs])) if pairs else None
    return {
        "pairs": pairs[:MAX_STORED_PAIRS],
        "compared": len(prints),
        "too_short": too_short,
        "median_similarity": None if median is None else round(median, 4),
    }


class Abandoned(Exception):
    """The job lost its claim (a newer job took over): stop without writing."""


# --- the cached report --------------------------------------------------------------------------------


def latest_submission_ids(slug: str) -> list[int]:
    """The id of every student's latest graded submission to ``slug`` (instructors' own are left out)."""
    latest = (
        select(func.max(Submission.id))
        .join(User, User.id == Submission.user_id)
        .where(Submission.exercise_slug == slug, Submission.status == "graded", User.role == "student")
        .group_by(Submission.user_id)
    )
    return sorted(db.session.scalars(latest))


def candidates(submission_ids: Sequence[int]) -> list[Candidate]:
    """The given submissions with their authors' emails and code, by id."""
    rows = db.session.execute(
        select(Submission.id, User.email, Submission.code)
        .join(User, User.id == Submission.user_id)
        .where(Submission.id.in_(submission_ids))
        .order_by(Submission.id)
    ).tuples()
    return [Candidate(sid, email, code) for sid, email, code in rows]


def basis_of(starter: str, submission_ids: Sequence[int]) -> str:
    """A digest of what a report compares: the settings, the starter and the submission ids."""
    digest = hashlib.sha256(SETTINGS_VERSION.encode())
    digest.update(hashlib.sha256(starter.encode()).digest())
    digest.update(",".join(str(i) for i in submission_ids).encode())
    return digest.hexdigest()


def current_report(slug: str) -> SimilarityReport | None:
    """The stored report of ``slug``, whatever its state."""
    return db.session.scalar(select(SimilarityReport).where(SimilarityReport.exercise_slug == slug))


def is_fresh(report: SimilarityReport, basis: str, now: datetime) -> bool:
    """Whether ``report`` needs no new job: done for this basis, or running on it and alive."""
    if report.basis != basis:
        return False
    if report.status == "done":
        return True
    return report.updated_at > now - STALE_AFTER


def request_report(slug: str, now: datetime | None = None) -> tuple[SimilarityReport, Claim | None]:
    """The report of exercise ``slug``, and a claim when a new computation must start (the caller runs it).

    Two callers never both get a claim for the same inputs: the claim is taken by one conditional UPDATE
    (or the INSERT of the first row, guarded by the unique slug).
    """
    starter = exercises.get(slug).starter_code
    now = now or utcnow()
    # Only ids here: every page view asks, and the code is loaded only when a job must run.
    found = latest_submission_ids(slug)
    basis = basis_of(starter, found)
    token = str(uuid.uuid4())
    n = len(found)
    values = {
        "basis": basis,
        "status": "running",
        "claim_token": token,
        "done": 0,
        "total": n + n * (n - 1) // 2,
        "students": n,
        "error": None,
        "started_at": now,
        "updated_at": now,
        "finished_at": None,
    }
    report = current_report(slug)
    if report is None:
        try:
            db.session.add(SimilarityReport(exercise_slug=slug, **values))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            return _claimed(slug, token, found)
    elif not is_fresh(report, basis, now):
        keep = and_(
            SimilarityReport.basis == basis,
            or_(SimilarityReport.status == "done", SimilarityReport.updated_at > now - STALE_AFTER),
        )
        result = db.session.execute(
            update(SimilarityReport)
            .where(SimilarityReport.id == report.id, not_(keep))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        taken = result.rowcount  # type: ignore[attr-defined]
        db.session.commit()
        if taken:
            return _claimed(slug, token, found)
    db.session.expire_all()
    report = current_report(slug)
    assert report is not None
    return report, None


def _claimed(slug: str, token: str, found: list[int]) -> tuple[SimilarityReport, Claim]:
    db.session.expire_all()
    report = current_report(slug)
    assert report is not None
    return report, Claim(report.id, token, slug, candidates(found))


def _write(claim: Claim, **values: Any) -> bool:
    """Update the claimed report if this job still holds it; returns whether it did."""
    result = db.session.execute(
        update(SimilarityReport)
        .where(SimilarityReport.id == claim.report_id, SimilarityReport.claim_token == claim.token)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def run_claim(claim: Claim) -> bool:
    """Compute a claimed report, writing progress as it goes; False if a newer job took it over."""
    starter = exercises.get(claim.slug).starter_code
    try:
        result = compute_pairs(starter, claim.candidates, lambda done: _write(claim, done=done))
    except Abandoned:
        return False
    except Exception as error:  # recorded on the report, so the page can say so, then re-raised
        db.session.rollback()
        _write(claim, status="failed", error=f"{type(error).__name__}: {error}"[:2000])
        raise
    total = len(claim.candidates) + claim.comparisons
    return _write(claim, status="done", done=total, result=result, finished_at=utcnow())


def report_json(slug: str, report: SimilarityReport, min_similarity: float = 0.0) -> dict[str, Any]:
    """The API answer: state, progress and the pairs at or above ``min_similarity``, most similar first."""
    result = report.result if report.status == "done" and report.result else {}
    pairs = [p for p in result.get("pairs", []) if p["similarity"] >= min_similarity]
    return {
        "exercise": slug,
        "status": report.status,
        "progress": {"done": report.done, "total": report.total},
        "students": report.students,
        "compared": result.get("compared", 0),
        "too_short": result.get("too_short", []),
        "computed_at": report.finished_at.isoformat() if report.finished_at else None,
        "min_similarity": min_similarity,
        "median_similarity": result.get("median_similarity"),
        "pairs": pairs,
        "error": report.error if report.status == "failed" else None,
    }
