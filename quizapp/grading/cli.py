"""``flask grader ...``: run the local grading pool as its own process, or sweep stale jobs once."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import current_app

from quizapp.grading import grading_for
from quizapp.grading.local import LocalPool
from quizapp.services import submissions

grader = click.Group("grader", help="Grade queued submissions.")


@grader.command("run")
@click.option("--workers", type=int, default=None, help="Grading threads (default: GRADING_WORKERS).")
def run(workers: int | None) -> None:
    """Run a local grading pool in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["GRADER_BACKEND"] != "local":
        raise click.ClickException("GRADER_BACKEND is celery: run `celery -A quizapp.tasks worker` instead.")
    if workers is not None:
        app.config["GRADING_WORKERS"] = max(1, workers)
    pool = LocalPool(app)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    pool.start()
    click.echo(f"Grading with {pool.workers} threads; {submissions.queue_depth()} submissions queued.")
    stop.wait()
    click.echo("Stopping after the current jobs...")
    pool.stop()


@grader.command("sweep")
@click.option("--stale-after", type=float, default=None, help="Seconds (default: GRADING_STALE_AFTER).")
def sweep(stale_after: float | None) -> None:
    """Hand submissions queued or running for too long to the grading backend again, once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if stale_after is None:
        stale_after = float(app.config["GRADING_STALE_AFTER"])
    ids = submissions.requeue_stale(stale_after)
    if app.config["GRADER_BACKEND"] == "celery":
        grading_for(app).dispatch(ids)
    click.echo(f"Requeued {len(ids)} submissions." + (f" {ids}" if ids else ""))
