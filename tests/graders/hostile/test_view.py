"""What a job can see and call: the minimal filesystem view and the machine-wide or cross-job calls
that seccomp refuses (AIO, locks, inotify, page-cache probes, message queues, SysV IPC...)."""

from __future__ import annotations

import os
import platform
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from graders import Grader
from tests.graders.conftest import solution_with
from tests.graders.hostile.conftest import assert_sane

WRONG = "a_next * 0, yt_pred, cache"


def test_the_job_sees_no_site_packages_and_only_the_loaded_libraries(grade: Any, grader: Grader) -> None:
    """The host's site-packages is empty inside (yaml, requests, pydantic, scipy are not importable) and
    the system library directory holds only the libraries Python and NumPy loaded."""
    stdlib = sysconfig.get_paths()["stdlib"]
    probe = f"""
import os
print('SITE', os.listdir({stdlib + "/site-packages"!r}))
LIB = '/usr/lib/x86_64-linux-gnu'
print('LIBS', sorted(os.listdir(LIB)) if os.path.isdir(LIB) else [])
for name in ('yaml', 'requests', 'pydantic', 'scipy', 'flask', 'sqlalchemy', 'graders.catalogue'):
    try:
        __import__(name)
        print('IMPORTED', name)
    except ImportError:
        print('MISSING', name)
import numpy, rnn_utils, math, json, decimal, hashlib
print('NEEDED OK')
"""
    v = grade(solution_with(module_code=probe, returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert "SITE []" in v.output and "IMPORTED" not in v.output and "NEEDED OK" in v.output
    assert v.output.count("MISSING") == 7
    libs = eval(v.output.split("LIBS ")[1].splitlines()[0])  # noqa: S307 - a list literal printed above
    assert 0 < len(libs) <= 20 and all(".so" in lib for lib in libs), libs
    binds = grader.pool().report["binds"]
    directories = [b for b in binds if Path(b).is_dir()]
    assert all(Path(b).is_file() for b in binds if "/x86_64-linux-gnu/" in b or b.endswith(".so"))
    assert len(directories) <= 4, directories  # stdlib, numpy, numpy.libs, the course helpers
    assert not any(b.endswith(("site-packages", "x86_64-linux-gnu", "/lib")) for b in binds), binds


x86_64 = pytest.mark.skipif(platform.machine() != "x86_64", reason="raw syscall numbers are x86_64's")
# name: a snippet that prints 'DENIED' when the call is refused with EPERM, 'ALLOWED' otherwise.
PROBES: dict[str, str] = {
    "io_setup": "r = sc(206, 64, ctypes.byref(ctypes.c_ulong(0)))",
    "io_submit": "r = sc(209, 0, 0, 0)",
    "flock": "r = call(lambda: fcntl.flock(open(os.__file__), fcntl.LOCK_SH | fcntl.LOCK_NB))",
    "fcntl F_SETLK": "r = call(lambda: fcntl.lockf(open(scratch('x'), 'w'), fcntl.LOCK_EX | fcntl.LOCK_NB))",
    "fcntl F_GETLK": "r = call(lambda: fcntl.fcntl(open(os.__file__), fcntl.F_GETLK, bytes(32)))",
    "fcntl F_OFD_SETLK": "r = call(lambda: fcntl.fcntl(open(os.__file__), 37, bytes(32)))",
    "fcntl F_SETLEASE": "r = call(lambda: fcntl.fcntl(open(os.__file__), 1024, 0))",
    "fcntl F_NOTIFY": "r = call(lambda: fcntl.fcntl(os.open('/usr', os.O_RDONLY), 1026, 0x80000001))",
    "inotify_init1": "r = libc.inotify_init1(0)",
    "inotify_init": "r = sc(253)",
    "fanotify_init": "r = sc(300, 0, 0)",
    "fanotify_mark": "r = sc(301, 0, 0, 0, 0, 0)",
    "mincore": "r = sc(27, 0, 4096, 0)",
    "cachestat": "r = sc(451, 0, 0, 0, 0)",
    "posix_fadvise": "r = call(lambda: os.posix_fadvise(os.open(os.__file__, os.O_RDONLY), 0, 0, 4))",
    "readahead": "r = sc(187, os.open(os.__file__, os.O_RDONLY), 0, 4096)",
    "madvise MADV_PAGEOUT": "r = call(lambda: mmap.mmap(os.open(os.__file__, os.O_RDONLY), 4096, "
    "prot=mmap.PROT_READ).madvise(21))",
    "sync": "r = sc(162)",
    "syncfs": "r = sc(306, 0)",
    "mq_open": "r = sc(240, b'/q', 0o100 | 2, 0o600, 0)",
    "msgget": "r = sc(68, 0, 0o1000 | 0o600)",
    "semget": "r = sc(64, 0, 1, 0o1000 | 0o600)",
    "shmget": "r = sc(29, 0, 4096, 0o1000 | 0o600)",
    "memfd_secret": "r = sc(447, 0)",
    "keyctl": "r = sc(250, 0, 0, 0, 0, 0)",
    "userfaultfd": "r = sc(323, 0)",
    "perf_event_open": "r = sc(298, 0, 0, -1, -1, 0)",
}
PRELUDE = """
import ctypes, errno, fcntl, mmap, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def sc(*args):
    return -ctypes.get_errno() if libc.syscall(*args) == -1 else 0

def call(fn):
    try:
        fn()
        return 0
    except OSError as e:
        return -e.errno

def report(name, r):
    print('PROBE', name, 'DENIED' if r == -errno.EPERM else 'ALLOWED', r)

def scratch(name):
    # The job's own writable directory: /tmp, or /scratch when the installation itself lives under /tmp.
    return os.path.join(os.environ['TMPDIR'], name)
"""


@pytest.fixture(scope="module")
def probe_output(grader: Grader) -> str:
    """One grading that tries every probe and prints its outcome (controls included)."""
    body = "".join(
        f"try:\n    {snippet.replace(chr(10), ' ')}\nexcept Exception as e:\n    r = repr(e)\n"
        f"report({name!r}, r)\n"
        for name, snippet in PROBES.items()
    )
    controls = """
fd = os.open(scratch('ok'), os.O_CREAT | os.O_RDWR)
print('CONTROL fcntl', fcntl.fcntl(fd, fcntl.F_GETFL) >= 0)
print('CONTROL madvise', mmap.mmap(-1, 1 << 20).madvise(mmap.MADV_DONTNEED) is None)
print('CONTROL fsync', os.fsync(fd) is None)
"""
    code = solution_with(module_code=PRELUDE + body + controls)
    verdict = grader.grade("rnn_cell_forward", code)
    assert verdict.status == "passed", (verdict.feedback, verdict.output)
    return verdict.output


@x86_64
@pytest.mark.parametrize("name", list(PROBES))
def test_machine_wide_and_cross_job_calls_are_refused(probe_output: str, name: str) -> None:
    """Each call is refused with EPERM inside the sandbox (and the grading still passes)."""
    line = next(line for line in probe_output.splitlines() if line.startswith(f"PROBE {name} "))
    assert " DENIED " in line + " ", line


@x86_64
def test_ordinary_file_and_memory_calls_still_work(probe_output: str) -> None:
    """fcntl(F_GETFL), madvise(MADV_DONTNEED) and fsync on scratch files are not affected."""
    assert probe_output.count("CONTROL") == 3 and "False" not in probe_output, probe_output


def test_no_lock_is_visible_between_two_jobs(grader: Grader) -> None:
    """A job cannot lock a shared file, so a second job cannot read a token from its locks."""
    probe = """
import fcntl, os
try:
    fcntl.flock(os.open(os.__file__, os.O_RDONLY), fcntl.LOCK_EX | fcntl.LOCK_NB)
    print('LOCKED')
except OSError as e:
    print('NOLOCK', e.errno)
"""
    v = grader.grade("rnn_cell_forward", solution_with(module_code=probe))
    assert v.status == "passed" and "NOLOCK 1" in v.output and "LOCKED" not in v.output
    assert os.path.exists(os.__file__)
