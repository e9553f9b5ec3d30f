"""The ``celery`` backend: grading jobs travel over a broker (Redis) to ``celery -A quizapp.tasks worker``.

The web process only publishes job ids; workers claim each submission in the shared database, so a
message delivered twice (a redelivery after a lost worker, a sweep's re-send) leaves one result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from celery import Celery

log = logging.getLogger(__name__)

GRADE_TASK = "quizapp.grade_submission"
SWEEP_TASK = "quizapp.requeue_stale"


def make_celery(config: Mapping[str, Any]) -> Celery:
    """A Celery app configured for at-least-once grading from a Flask config mapping."""
    celery = Celery("quizapp", broker=config["CELERY_BROKER_URL"], set_as_current=False)
    celery.conf.update(
        task_default_queue=config["CELERY_QUEUE"],
        # Acknowledge only after the job ran, and give the job back if its worker process dies.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One job at a time per worker process: nothing waits behind a slow grading.
        worker_prefetch_multiplier=1,
        # Jobs take seconds; after this long an unacknowledged message is redelivered by Redis.
        broker_transport_options={"visibility_timeout": int(config["CELERY_VISIBILITY_TIMEOUT"])},
        task_time_limit=int(config["CELERY_TASK_TIME_LIMIT"]),
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
    )
    return celery


class CeleryDispatcher:
    """Publishes grading jobs to the broker from the web process."""

    def __init__(self, config: Mapping[str, Any]):
        self._celery = make_celery(config)
        self._queue = str(config["CELERY_QUEUE"])

    def dispatch(self, submission_ids: Iterable[int]) -> None:
        """Send one job per id; a failed send is logged and left to the workers' stale sweep."""
        for submission_id in submission_ids:
            try:
                self._celery.send_task(GRADE_TASK, args=[submission_id], queue=self._queue)
            except Exception:
                log.exception("could not publish job %s; the stale sweep will resend it", submission_id)

    def close(self) -> None:
        """Release broker connections."""
        self._celery.close()
