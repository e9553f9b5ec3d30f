"""SQLite settings for the embedded default, where the grading pool writes while the web serves requests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event

from quizapp.extensions import db


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
