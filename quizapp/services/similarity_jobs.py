"""Running similarity reports: inline for a small class, otherwise on a background thread of this process.

The state lives in the database (``SimilarityReport``), so any web process can show the progress, and a
job whose process died is taken over once its progress stops moving (``similarity.STALE_AFTER``).
"""

from __future__ import annotations

import logging
import threading
from typing import cast

from flask import Flask, current_app

from quizapp.models import SimilarityReport
from quizapp.services import similarity

log = logging.getLogger(__name__)

# Up to this many pairs the report is computed during the request (well under a second).
DEFAULT_INLINE_PAIRS = 300
_threads: list[threading.Thread] = []


def _run_in_thread(app: Flask, claim: similarity.Claim) -> None:
    from quizapp.extensions import db

    with app.app_context():
        try:
            similarity.run_claim(claim)
        except Exception:
            log.exception("similarity report of %s failed", claim.slug)
        finally:
            db.session.remove()


def ensure_report(slug: str) -> SimilarityReport:
    """The report of ``slug``, computing it now (small class) or starting a background job when stale."""
    report, claim = similarity.request_report(slug)
    if claim is None:
        return report
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    if claim.comparisons <= int(app.config.get("SIMILARITY_INLINE_PAIRS", DEFAULT_INLINE_PAIRS)):
        similarity.run_claim(claim)
    else:
        thread = threading.Thread(
            target=_run_in_thread, args=(app, claim), name=f"similarity-{slug}", daemon=True
        )
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
        thread.start()
    fresh = similarity.current_report(slug)
    assert fresh is not None
    return fresh


def wait_for_jobs(timeout: float = 30.0) -> None:
    """Wait for this process's background jobs to finish (tests and orderly shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)
