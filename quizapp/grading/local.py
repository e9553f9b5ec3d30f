"""The ``local`` backend: a bounded pool of grading threads inside one process.

The queue is the database itself: each thread claims the oldest queued submission atomically, so
several processes (gunicorn workers, ``flask grader run``) can run pools on one database without
grading anything twice. A dispatch in this process wakes a thread at once; otherwise idle threads
look again every ``GRADING_POLL_INTERVAL`` seconds. A sweeper thread hands stale jobs out again at
start-up and every ``GRADING_SWEEP_INTERVAL`` seconds.

A submission accepted by this process while one of its threads is free skips the database queue: the
request reserves the thread (``reserve``), stores the submission already claimed under the reservation's
token, and hands the claim over (``hand``). That saves a write per submission, and on SQLite, with its
single writer, writes are what bound the rate. Should the process die first, the claim goes stale and
the sweep queues the submission again, as for a grader that dies mid-job.
"""

from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections import deque
from collections.abc import Callable

from flask import Flask

from quizapp.grading import runner
from quizapp.services import submissions
from quizapp.services.submissions import Claim

log = logging.getLogger(__name__)


class LocalPool:
    """Grading threads bound to one app; started lazily, never at import or in ``flask db`` commands."""

    def __init__(self, app: Flask):
        # A weak reference, so a pool never keeps a discarded app (e.g. a finished test's) alive.
        self._app = weakref.ref(app)
        self.workers = int(app.config["GRADING_WORKERS"])
        self.poll_interval = float(app.config["GRADING_POLL_INTERVAL"])
        self.sweep_interval = float(app.config["GRADING_SWEEP_INTERVAL"])
        self.stale_after = float(app.config["GRADING_STALE_AFTER"])
        self._wake = threading.Condition()
        self._pending = 0
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._handed: deque[Claim] = deque()  # claims handed over by this process's requests
        self._busy = 0  # threads grading now
        self._reserved = 0  # threads promised to requests that are storing their submission

    @property
    def running(self) -> bool:
        """Whether the pool's threads have been started and not stopped."""
        return bool(self._threads) and not self._stopping.is_set()

    def start(self) -> None:
        """Start the grading threads and the sweeper, once."""
        with self._lock:
            if self._threads:
                return
            for number in range(self.workers):
                self._spawn(self._work, f"grader-{number}")
            self._spawn(self._sweep, "grader-sweep")
            import graders  # not at import time: `flask db ...` never needs the grader

            graders.configure(workers=self.workers)  # one sandbox per grading thread
            self._spawn(_warm_sandbox, "grader-warm-up")

    def _spawn(self, target: object, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def reserve(self) -> str | None:
        """A claim token promising a free grading thread to the caller, or None when none is free.

        The caller stores its submission claimed under the token, then calls ``hand`` with the claim,
        or ``unreserve`` when nothing was stored.
        """
        if not self.running:
            return None
        with self._wake:
            if self.workers - self._busy - self._reserved - len(self._handed) <= 0:
                return None
            self._reserved += 1
        return str(uuid.uuid4())

    def unreserve(self) -> None:
        """Give back a reservation whose submission was not stored."""
        with self._wake:
            self._reserved = max(0, self._reserved - 1)

    def hand(self, claim: Claim) -> None:
        """Give a reserved thread the claim of a submission just stored as running under its token."""
        with self._wake:
            self._reserved = max(0, self._reserved - 1)
            self._handed.append(claim)
            self._wake.notify()

    def notify(self, count: int = 1) -> None:
        """Tell idle threads that ``count`` jobs are waiting."""
        with self._wake:
            self._pending += count
            self._wake.notify(count)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the threads after their current job; a job cut short is recovered by the stale sweep."""
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout)

    def _idle_wait(self, seconds: float) -> None:
        with self._wake:
            if self._pending == 0 and not self._handed and not self._stopping.is_set():
                self._wake.wait(seconds)
            self._pending = max(0, self._pending - 1)

    def _turn(self) -> bool:
        """Grade one job: a claim handed over by a request, else the oldest queued submission."""
        with self._wake:
            held = self._handed.popleft() if self._handed else None
            if held is not None:
                self._busy += 1
        if held is None:
            held = submissions.claim_next()
            if held is None:
                return False
            with self._wake:
                self._busy += 1
        try:
            runner.grade_claim(held)
        finally:
            with self._wake:
                self._busy -= 1
        return True

    def _repeat(self, turn: Callable[[], bool], rest: Callable[[], object], failure: str) -> None:
        """Run ``turn`` in the app's context, then ``rest`` unless it returned True (go again at once),
        until the pool stops or the app is gone. A failing turn is logged and counts as False."""
        while not self._stopping.is_set():
            app = self._app()
            if app is None:
                return
            try:
                with app.app_context():
                    again = turn()
            except Exception:
                log.exception("local grading pool: %s", failure)
                again = False
            del app  # never hold the app while resting
            if not again:
                rest()

    def _work(self) -> None:
        self._repeat(self._turn, lambda: self._idle_wait(self.poll_interval), "job failed")

    def _sweep(self) -> None:
        self._repeat(
            self._requeue_stale, lambda: self._stopping.wait(self.sweep_interval), "stale sweep failed"
        )

    def _requeue_stale(self) -> bool:
        ids = submissions.requeue_stale(self.stale_after)
        if ids:
            log.warning("requeued %d stale submissions: %s", len(ids), ids)
            self.notify(len(ids))
        return False  # the sweep always rests between rounds


def _warm_sandbox() -> None:
    """Start the process's sandboxes now, while the first visitors browse, so that the first submission
    does not wait a second or two for them (a sandbox that cannot start is reported by its first job)."""
    try:
        import graders

        graders.default_grader().pool()
    except Exception:
        log.exception("local grading pool: the sandboxes did not start ahead of the first job")
