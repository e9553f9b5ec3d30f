"""The SQLite writer lock: one writer at a time across threads and processes, queueing instead of sleeping."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quizapp.config import engine_options
from quizapp.grading.sqlite import WriterLock, writer_lock

REPO = Path(__file__).resolve().parents[2]
OTHER_PROCESS = """
import sys, time
from quizapp.grading.sqlite import writer_lock
lock = writer_lock(sys.argv[1])
print("ready", flush=True)
started = time.perf_counter()
lock.acquire()
print(round(time.perf_counter() - started, 3), flush=True)
lock.release()
"""


@pytest.fixture(autouse=True)
def _stop_grading() -> None:
    """These tests build no app, so there is no pool to stop (overrides the package's fixture)."""


def test_a_writer_in_another_process_waits_for_the_lock(tmp_path: Path) -> None:
    """A second process's writer blocks on the lock until the first releases it, then goes on at once."""
    database = str(tmp_path / "db.sqlite")
    lock = writer_lock(database)
    lock.acquire()
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, database], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "ready"
        time.sleep(0.5)
    finally:
        lock.release()
    waited = float(other.stdout.readline())
    assert other.wait(10) == 0
    assert 0.4 <= waited < 5.0


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    """Threads holding the lock never overlap."""
    lock = writer_lock(str(tmp_path / "db.sqlite"))
    inside, overlaps = [0], [0]

    def write() -> None:
        for _ in range(50):
            lock.acquire()
            inside[0] += 1
            if inside[0] > 1:
                overlaps[0] += 1
            time.sleep(0.0005)
            inside[0] -= 1
            lock.release()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [0]


def test_one_lock_object_per_database_file(tmp_path: Path) -> None:
    """Every engine on one file shares the process's lock; another file has its own."""
    first = writer_lock(str(tmp_path / "a.sqlite"))
    assert writer_lock(str(tmp_path / "a.sqlite")) is first
    assert writer_lock(str(tmp_path / "b.sqlite")) is not first
    assert first.path == str(tmp_path / "a.sqlite") + "-writer"


def test_a_forked_child_locks_with_its_own_open_file(tmp_path: Path) -> None:
    """After a fork (gunicorn's workers) the child opens the lock file again: a shared open file would make
    parent and child one lock owner, and both would write at once."""
    lock = WriterLock(str(tmp_path / "db.sqlite-writer"))
    lock.acquire()
    lock.release()  # the parent's file is open now
    holding_r, holding_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: take the lock, say so, hold it until told
        try:
            lock.acquire()
            os.write(holding_w, b"x")
            os.read(done_r, 1)
            lock.release()
        finally:
            os._exit(0)
    try:
        assert os.read(holding_r, 1) == b"x"
        with pytest.raises(BlockingIOError):
            fcntl.flock(lock._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.write(done_w, b"x")
        os.waitpid(pid, 0)
    fcntl.flock(lock._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once the child let go
    fcntl.flock(lock._file(), fcntl.LOCK_UN)


def test_pool_settings_keep_a_connection_per_thread() -> None:
    """A SQLite file keeps up to 48 connections open, unpinged; PostgreSQL pings; memory keeps the default."""
    kept = {"pool_size": 48, "max_overflow": 32, "pool_pre_ping": False}
    assert engine_options("sqlite:////tmp/x.sqlite") == kept
    assert engine_options("sqlite://") == {}
    assert engine_options("sqlite:///:memory:") == {}
    assert engine_options("postgresql+psycopg://u@h/db")["pool_pre_ping"] is True
