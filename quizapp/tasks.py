"""Grading workers: ``celery -A quizapp.tasks worker``.

A worker needs only the code, ``DATABASE_URL`` and ``CELERY_BROKER_URL`` (plus the ``GRADING_*``
settings if you change them). Each worker also hands stale submissions out again: once at start-up
and every ``GRADING_SWEEP_INTERVAL`` seconds, by sending itself a sweep job, so the worker's main
process never opens a database connection that forked pool processes could inherit.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from celery import bootsteps
from celery.signals import worker_process_init

import graders  # noqa: F401  (imported while celery has the working directory on sys.path)
from quizapp import create_app
from quizapp.extensions import db
from quizapp.grading import runner
from quizapp.grading.celery_backend import GRADE_TASK, SWEEP_TASK, make_celery
from quizapp.services import submissions

log = logging.getLogger(__name__)

flask_app = create_app()
app = make_celery(flask_app.config)


@worker_process_init.connect
def _fresh_connections_after_fork(**_: Any) -> None:
    # Never reuse a connection inherited from the parent; close=False leaves the parent's sockets alone.
    with flask_app.app_context():
        db.engine.dispose(close=False)


@app.task(name=GRADE_TASK)
def grade_submission(submission_id: int) -> bool:
    """Claim, grade and record one submission; a no-op if it is graded or held by a live claim."""
    with flask_app.app_context():
        return runner.run_one(submission_id)


@app.task(name=SWEEP_TASK, acks_late=False)
def requeue_stale() -> int:
    """Send stale (queued or running too long) submissions to the queue again."""
    with flask_app.app_context():
        ids = submissions.requeue_stale(flask_app.config["GRADING_STALE_AFTER"])
    for submission_id in ids:
        grade_submission.apply_async((submission_id,))
    if ids:
        log.warning("requeued %d stale submissions: %s", len(ids), ids)
    return len(ids)


class StaleSweep(bootsteps.StartStopStep):
    """Schedules the sweep job from the worker's timer: at start-up, then periodically."""

    requires: ClassVar[set[str]] = {"celery.worker.components:Timer"}

    def __init__(self, worker: Any, **kwargs: Any):
        super().__init__(worker, **kwargs)
        self.timers: list[Any] = []

    def start(self, worker: Any) -> None:
        interval = float(flask_app.config["GRADING_SWEEP_INTERVAL"])
        self.timers = [
            worker.timer.call_after(1.0, self._send),
            worker.timer.call_repeatedly(interval, self._send),
        ]

    def stop(self, worker: Any) -> None:
        for timer in self.timers:
            timer.cancel()

    @staticmethod
    def _send() -> None:
        try:
            interval = float(flask_app.config["GRADING_SWEEP_INTERVAL"])
            requeue_stale.apply_async(expires=max(interval, 5.0))
        except Exception:
            log.exception("could not schedule the stale sweep")


app.steps["worker"].add(StaleSweep)
