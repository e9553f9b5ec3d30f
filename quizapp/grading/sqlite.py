"""SQLite settings for the embedded default, where the grading pool writes while the web serves requests."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from quizapp.extensions import db

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE")


class WriterLock:
    """One writer at a time across every thread of every process using one SQLite file.

    SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy
    handler in growing steps (up to 100 ms) instead of queueing: with a few dozen threads in two gunicorn
    workers writing, millisecond transactions took seconds. So a thread takes this lock before its
    transaction's first write and holds it until the transaction ends: threads of one process queue on a
    thread lock, processes on an ``flock`` of a file beside the database, and the kernel wakes the next
    writer as soon as the lock is free. Only one writer at a time ever meets SQLite's own lock. Readers
    never take it (write-ahead logging lets them read during a write).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd = -1
        self._pid = -1

    def _file(self) -> int:
        # flock belongs to an open file description, which a forked child would share with its parent:
        # each process opens its own.
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self) -> None:
        """Wait for the lock (other threads of this process first, then other processes)."""
        self._threads.acquire()
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        """Let the next writer in."""
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


_locks: dict[str, WriterLock] = {}
_engine_locks: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()
_held = threading.local()  # the WriterLock this thread holds, if any


def writer_lock(database: str) -> WriterLock:
    """The process's lock object for one SQLite file."""
    path = os.path.abspath(database) + "-writer"
    with _locks_guard:
        return _locks.setdefault(path, WriterLock(path))


def _before_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if getattr(_held, "lock", None) is not None:
        return
    if statement.lstrip()[:15].upper().startswith(_WRITES):
        lock = _engine_locks[conn.engine]
        lock.acquire()
        _held.lock = lock


def _transaction_ended(*_args: Any) -> None:
    lock: WriterLock | None = getattr(_held, "lock", None)
    if lock is not None:
        _held.lock = None
        lock.release()


def _concurrent_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Write-ahead logging lets readers carry on while one writer commits; in the default rollback-journal
    # mode every commit waits for all readers, and a busy site starves the graders' claims and results.
    # synchronous stays FULL (the default): a submission acknowledged to a student survives a power cut.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
    finally:
        cursor.close()


def configure(app: Flask) -> None:
    """Put a file-based SQLite database in WAL mode, with one writer at a time, for every connection."""
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not uri.startswith("sqlite") or ":memory:" in uri or uri.rstrip("/") == "sqlite:":
        return
    with app.app_context():
        engine: Engine = db.engine
    if not event.contains(engine, "connect", _concurrent_sqlite):
        _engine_locks[engine] = writer_lock(str(engine.url.database))
        event.listen(engine, "connect", _concurrent_sqlite)
        event.listen(engine, "before_cursor_execute", _before_write)
        # After the COMMIT or ROLLBACK itself, and when a connection goes back to the pool (a safety net).
        event.listen(engine, "checkin", _transaction_ended)
    if not event.contains(Session, "after_commit", _transaction_ended):
        event.listen(Session, "after_commit", _transaction_ended)
        event.listen(Session, "after_rollback", _transaction_ended)
