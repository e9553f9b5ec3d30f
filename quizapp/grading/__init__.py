"""Where queued submissions get graded: the ``local`` pool or ``celery`` workers, with one semantics.

``init_app`` only records settings; no thread starts until the app serves a request (outside tests)
or dispatches a job, so ``flask db ...`` commands and imports never start one.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from flask import Flask, current_app

from quizapp import gate
from quizapp.extensions import db
from quizapp.grading import sqlite
from quizapp.grading.settings import apply_defaults
from quizapp.grading.waiting import VerdictWaiters
from quizapp.services.submissions import Claim

if TYPE_CHECKING:
    from quizapp.grading.celery_backend import CeleryDispatcher
    from quizapp.grading.local import LocalPool
    from quizapp.models import Submission

_EXTENSION = "grading"
_live_pools: weakref.WeakSet[LocalPool] = weakref.WeakSet()
_lock = threading.Lock()


class Grading:
    """The app's grading backend, created on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self.backend: str = app.config["GRADER_BACKEND"]
        self._pool: LocalPool | None = None
        self._dispatcher: CeleryDispatcher | None = None
        self._waiters: VerdictWaiters | None = None

    def waiters(self) -> VerdictWaiters:
        """This process's long-poll waiters (created on first use)."""
        with _lock:
            if self._waiters is None:
                self._waiters = VerdictWaiters(self.app)
            return self._waiters

    def announce(self, submission_id: int) -> None:
        """A verdict was stored by this process: wake whoever here waits for it."""
        if self._waiters is not None:
            self._waiters.announce(submission_id)

    def pool(self) -> LocalPool:
        """This app's local pool (created, not started)."""
        from quizapp.grading.local import LocalPool

        with _lock:
            if self._pool is None:
                self._pool = LocalPool(self.app)
                _live_pools.add(self._pool)
            return self._pool

    def start_pool(self) -> None:
        """Start the in-app local pool if this app runs one."""
        if self.backend == "local" and self.app.config["GRADING_POOL_IN_APP"]:
            self.pool().start()

    def dispatch(self, submission_ids: Iterable[int]) -> None:
        """Hand committed, queued submissions to the backend."""
        ids = list(submission_ids)
        if not ids:
            return
        if self.backend == "celery":
            if self._dispatcher is None:
                from quizapp.grading.celery_backend import CeleryDispatcher

                self._dispatcher = CeleryDispatcher(self.app.config)
            self._dispatcher.dispatch(ids)
        elif self.app.config["GRADING_POOL_IN_APP"]:
            self.start_pool()
            self.pool().notify(len(ids))
        # Otherwise a `flask grader run` process finds them in the database.

    def reserve(self) -> str | None:
        """A claim token when this process's in-app pool has a grading thread free (see ``submit``)."""
        if self.backend != "local" or not self.app.config["GRADING_POOL_IN_APP"]:
            return None
        self.start_pool()
        return self.pool().reserve()

    def shutdown(self) -> None:
        """Stop the pool and close broker connections (tests, orderly exits)."""
        if self._pool is not None:
            self._pool.stop()
        if self._dispatcher is not None:
            self._dispatcher.close()


def init_app(app: Flask) -> None:
    """Attach grading to the app; outside tests the local pool starts with the first request."""
    apply_defaults(app)
    sqlite.configure(app)
    state = Grading(app)
    app.extensions[_EXTENSION] = state
    if state.backend == "local" and app.config["GRADING_POOL_IN_APP"] and not app.testing:

        @app.before_request
        def _start_grading_pool() -> None:
            state.start_pool()


def grading_for(app: Flask | None = None) -> Grading:
    """The grading state of ``app`` (default: the current app)."""
    target = app if app is not None else cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    return cast(Grading, target.extensions[_EXTENSION])


def dispatch(submission_ids: Iterable[int]) -> None:
    """Hand committed, queued submissions to the current app's grading backend."""
    grading_for().dispatch(submission_ids)


def submit(accept: Callable[[str | None], Submission]) -> Submission:
    """Store a new submission with ``accept(claim_token)`` and hand it to a grader.

    When this process grades (the local pool) and one of its threads is free, the submission is stored
    already claimed for that thread and handed over in memory, which saves the claim's write. Otherwise
    ``claim_token`` is None: it is stored ``queued`` and dispatched as usual.
    """
    state = grading_for()
    token = state.reserve()
    try:
        submission = accept(token)
    except BaseException:
        if token is not None:
            state.pool().unreserve()
        raise
    if token is not None and submission.claim_token == token:
        state.pool().hand(
            Claim(
                submission_id=submission.id,
                token=token,
                exercise=submission.exercise_slug,
                code=submission.code,
                kind=submission.pending_kind,
                delivery_count=submission.delivery_count,
            )
        )
    else:
        if token is not None:
            state.pool().unreserve()
        state.dispatch([submission.id])
    return submission


def wait_for_verdict(submission_id: int, seconds: float, load: Callable[[], Submission]) -> Submission:
    """``load()`` the submission; if it is not graded yet, wait up to ``seconds`` for its verdict.

    Returns at once when the process already has its fill of waiters (the caller then answers with the
    current state, as a plain poll would). No database connection or lock is held while waiting.
    """
    waiters = grading_for().waiters()
    with waiters.slot(submission_id) as admitted:
        submission = load()
        if not admitted or seconds <= 0 or submission.status == "graded":
            return submission
        db.session.close()
        with gate.released():
            waiters.wait(submission_id, seconds)
        return load()


@atexit.register
def _stop_pools() -> None:
    for pool in list(_live_pools):
        pool.stop(timeout=2.0)
