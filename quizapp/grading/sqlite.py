"""SQLite settings for the embedded default, where the grading pool writes while the web serves requests."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from quizapp.extensions import db

# SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy handler
# in growing steps (up to 100 ms) instead of queueing: with a few dozen threads writing, millisecond
# transactions took seconds. So the threads of one process take this lock before their first write and
# hold it until their transaction ends: they queue here, in order, and only one writer per process ever
# meets SQLite's lock. Every thread uses one session and one connection, so holding it never waits on
# another thread of the process.
_writer = threading.Lock()
_holds = threading.local()
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE")


def _before_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if getattr(_holds, "writer", False):
        return
    if statement.lstrip()[:15].upper().startswith(_WRITES):
        _writer.acquire()
        _holds.writer = True


def _transaction_ended(*_args: Any) -> None:
    if getattr(_holds, "writer", False):
        _holds.writer = False
        _writer.release()


def _concurrent_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Write-ahead logging lets readers carry on while one writer commits; in the default rollback-journal
    # mode every commit waits for all readers, and a busy site starves the graders' claims and results.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
    finally:
        cursor.close()


def configure(app: Flask) -> None:
    """Put a file-based SQLite database in WAL mode for every connection the app opens."""
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not uri.startswith("sqlite") or ":memory:" in uri or uri.rstrip("/") == "sqlite:":
        return
    with app.app_context():
        engine = db.engine
    if not event.contains(engine, "connect", _concurrent_sqlite):
        event.listen(engine, "connect", _concurrent_sqlite)
        event.listen(engine, "before_cursor_execute", _before_write)
        # After the COMMIT or ROLLBACK itself, and when a connection goes back to the pool (a safety net).
        event.listen(engine, "checkin", _transaction_ended)
    if not event.contains(Session, "after_commit", _transaction_ended):
        event.listen(Session, "after_commit", _transaction_ended)
        event.listen(Session, "after_rollback", _transaction_ended)
