"""Hostile submissions that try to read, write or reach what lies outside their sandbox."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from graders import Grader
from graders.sandbox.pool import PoolConfig
from tests.graders.conftest import EXERCISE, REPO, WORKERS, sandbox_processes, solution_with
from tests.graders.hostile.conftest import assert_sane, host_traces, nonce, redis_get

WRONG = "a_next * 0, yt_pred, cache"


def test_reading_the_reference_and_tests_from_disk(grade: Any, grader: Grader) -> None:
    """No grading.py, solution.py, mistakes.py, test or project file is visible from inside."""
    probe = f"""
import json, os, sysconfig
hits = []
for root, dirs, files in os.walk('/'):
    if root in ('/usr/lib', sysconfig.get_paths()['stdlib']):
        dirs.clear()  # the system libraries and the standard library (listed below)
    hits += [os.path.join(root, f) for f in files
             if f in ('grading.py', 'solution.py', 'mistakes.py', 'info.yaml')
             or 'exercises' in root or '/tests' in root and 'numpy' not in root]
print('FOUND', hits)
repo = {str(REPO)!r}
for p in (repo + '/exercises/rnn_cell_forward/grading.py', repo + '/exercises/rnn_cell_forward/solution.py',
          repo + '/tests/conftest.py', repo + '/.git/config', repo + '/pyproject.toml',
          repo + '/graders/catalogue.py', '/work/shared/CONTRACT.md', '/root/.bash_history', '/etc/passwd'):
    try:
        print('READ', p, open(p).read()[:40])
    except OSError as e:
        print('DENIED', type(e).__name__)
try:
    import graders.catalogue
    print('IMPORTED')
except Exception as e:
    print('NOIMPORT', type(e).__name__)
print('LISTING', json.dumps([sorted(os.listdir('/')), sorted(os.listdir(repo))]))
"""
    v = grade(solution_with(module_code=probe, returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert "FOUND []" in v.output and "READ" not in v.output and "IMPORTED" not in v.output
    assert "def reference" not in v.output and "NOIMPORT ModuleNotFoundError" in v.output
    top, in_repo = json.loads(v.output.split("LISTING ")[1].splitlines()[0])
    report = grader.pool().report
    binds = [Path(p) for p in report["binds"]]
    allowed_top = {"dev", "lib", "lib32", "lib64", "libx32", report["scratch"].strip("/")} | {
        b.parts[1] for b in binds
    }
    assert set(top) <= allowed_top and not {"etc", "home", "proc", "sys", "var", "boot"} & set(top)
    assert set(in_repo) <= {b.relative_to(REPO).parts[0] for b in binds if b.is_relative_to(REPO)}


def test_walking_frames_and_gc_finds_no_expected_values(grade: Any, grader: Any) -> None:
    """The frames above the function and every object gc can reach hold inputs only, never expectations."""
    probe = """
import gc, sys, numpy as np
def rnn_cell_forward(xt, a_prev, parameters):
    names, values = [], []
    f = sys._getframe()
    while f is not None:
        names.append(f.f_code.co_filename + ':' + f.f_code.co_name)
        f = f.f_back
    for o in gc.get_objects():
        items = o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else ()
        try:
            values += [x for x in items if isinstance(x, np.ndarray)]
        except Exception:
            pass
    print('FRAMES', names)
    print('VALUES', ' '.join(repr(float(v)) for arr in values for v in np.ravel(arr)[:400]))
    n_a, m = a_prev.shape
    guess = [a for a in values if a.shape == (n_a, m) and a is not a_prev]
    guess_y = [a for a in values if a.shape == (parameters['Wya'].shape[0], m)]
    y = (guess_y or [np.zeros((parameters['Wya'].shape[0], m))])[0]
    return (guess or [a_prev])[0], y, (a_prev, a_prev, xt, parameters)
"""
    v = grade(probe, seed=99)
    assert_sane(v, allowed={"failed"})
    frames = v.output.split("FRAMES ")[1].splitlines()[0]
    assert "judge" not in frames and "compare" not in frames and "grader.py" not in frames
    content = grader.catalogue.get("rnn_cell_forward").content()
    cases = content.cases(__import__("numpy").random.default_rng(99), 4)
    a_next, yt_pred, _ = content.reference(*cases[0].args)
    for value in list(a_next.ravel()[:5]) + list(yt_pred.ravel()[:5]):
        assert repr(float(value)) not in v.output


def test_files_left_for_the_next_job_are_gone(grade: Any, grader: Grader) -> None:
    """sitecustomize.py, conftest.py or a fake rnn_utils written by one job never reach the next."""
    marker = nonce()
    poison = f"""
import os
import socket
payload = "import builtins\\nbuiltins.POISONED = True\\ndef softmax(z):\\n    return z * 0 + 1\\n"
written = []
for d in (os.environ['TMPDIR'], '.', '/', '{REPO}/graders/sandbox_lib', '/dev/shm', '/root', '/usr/lib'):
    for name in ('sitecustomize.py', 'usercustomize.py', 'conftest.py', 'rnn_utils.py', '{marker}'):
        try:
            with open(os.path.join(d, name), 'w') as f:
                f.write(payload)
            written.append(os.path.join(d, name))
        except OSError:
            pass
print('WROTE', written)
"""
    first = grade(solution_with(module_code=poison))
    assert_sane(first, allowed={"passed"})
    scratch = grader.pool().report["scratch"]
    assert f"WROTE ['{scratch}/sitecustomize.py'" in first.output  # only the private scratch was writable
    assert str(REPO) not in first.output.split("WROTE")[1]
    check = "import os, builtins\n"
    check += "print('LEFT', sorted(os.listdir(os.environ['TMPDIR'])), getattr(builtins, 'POISONED', False))\n"
    for _ in range(2 * WORKERS):  # every zygote serves at least one follow-up job
        later = grade(solution_with(module_code=check))
        assert_sane(later, allowed={"passed"})
        assert "LEFT [] False" in later.output
    assert host_traces(marker) == []


def test_huge_files_hit_the_file_size_limit(grade: Any) -> None:
    """Writing a 1 GiB file stops at the file-size limit: resource_limit, and nothing on the host."""
    marker = nonce()
    body = f"import os\nwith open(os.environ['TMPDIR'] + '/{marker}', 'wb') as f:\n"
    body += "    for _ in range(1024):\n        f.write(b'x' * (1 << 20))"
    v = grade(solution_with(body_prefix=body))
    assert_sane(v, allowed={"resource_limit"})
    assert any("disk" in f for f in v.feedback)
    assert host_traces(marker) == []


def test_filling_the_scratch_space_is_a_resource_limit(grade: Any) -> None:
    """Many files below the size limit fill the private tmpfs: resource_limit (disk)."""
    body = "for i in range(100):\n    with open(f'f{i}', 'wb') as f:\n        f.write(b'x' * (7 << 20))"
    v = grade(solution_with(body_prefix=body))
    assert_sane(v, allowed={"resource_limit"})


def test_symlinks_to_host_files_lead_nowhere(grade: Any) -> None:
    """Symlinks and hard links to host files resolve inside the sandbox's root, where those files are not."""
    marker = nonce()
    probe = f"""
import os
import socket
targets = ('/etc/shadow', '/proc/1/environ', '{REPO}/exercises/rnn_cell_forward/grading.py')
for target in targets + ('/root/.ssh/id_rsa',):
    link = '{marker}-' + str(abs(hash(target)))
    os.symlink(target, link)
    try:
        print('READ', open(link).read()[:30])
    except OSError as e:
        print('NOPE', type(e).__name__)
try:
    os.link(os.__file__, 'hard')
    print('LINKED')
except OSError as e:
    print('NOLINK', e.errno)
os.symlink('/etc/passwd', '{marker}')
"""
    v = grade(solution_with(module_code=probe, returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert "READ" not in v.output and v.output.count("NOPE FileNotFoundError") == 4
    assert "LINKED" not in v.output
    assert host_traces(marker) == []


def test_network_and_dns_to_loopback_services_fail(grade: Any) -> None:
    """PostgreSQL and Redis on 127.0.0.1 are unreachable, DNS fails, and Redis never sees the command."""
    key = nonce()
    probe = f"""
import socket
for port in (5432, 6379):
    try:
        s = socket.create_connection(('127.0.0.1', port), timeout=1)
        s.sendall(b'*3\\r\\n$3\\r\\nSET\\r\\n${len(key)}\\r\\n{key}\\r\\n$1\\r\\n1\\r\\n')
        print('CONNECTED', port)
    except OSError as e:
        print('BLOCKED', port, e.errno)
for host in ('localhost', 'example.com'):
    try:
        print('RESOLVED', socket.getaddrinfo(host, 80))
    except OSError as e:
        print('NODNS', host)
for path in ('/var/run/postgresql/.s.PGSQL.5432', '/run/redis/redis-server.sock'):
    try:
        u = socket.socket(socket.AF_UNIX)
        u.connect(path)
        print('CONNECTED', path)
    except OSError as e:
        print('BLOCKED', path, e.errno)
"""
    before = redis_get(key)
    v = grade(solution_with(module_code=probe, returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert "CONNECTED" not in v.output and "RESOLVED" not in v.output
    assert v.output.count("BLOCKED") == 4 and v.output.count("NODNS") == 2
    if before is not None:
        assert redis_get(key) == b"$-1\r\n"  # the key was never set on the host


def test_environment_and_proc_hold_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """SECRET_KEY and DATABASE_URL in the grader's environment are not readable inside, /proc included."""
    secret = nonce() + "-s3cr3t"
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://user:{secret}@127.0.0.1/db")
    probe = """
import os, ctypes
print('ENV', dict(os.environ))
libc = ctypes.CDLL(None)
environ = ctypes.POINTER(ctypes.c_char_p).in_dll(libc, 'environ')
block, i = [], 0
while environ[i]:
    block.append(environ[i])
    i += 1
print('BLOCK', block)
paths = ['/proc/self/environ', '/proc/1/environ', '/proc/self/cmdline']
for path in paths + ['/proc/%d/environ' % os.getppid()]:
    try:
        print('PROC', open(path, 'rb').read())
    except OSError as e:
        print('NOPROC', type(e).__name__)
for pid in range(1, 4096):
    try:
        print('OTHER', pid, open('/proc/%d/environ' % pid, 'rb').read())
    except OSError:
        pass
"""
    fresh = Grader(pool_config=PoolConfig(workers=1))
    try:
        uids = fresh.pool().job_uids()
        v = fresh.grade("rnn_cell_forward", solution_with(module_code=probe))
        assert sandbox_processes(uids) == []
    finally:
        fresh.close()
    assert_sane(v, allowed={"passed"}, seconds=15)
    assert secret not in str(v.to_dict())
    assert "ENV {" in v.output and "BLOCK [" in v.output and "PROC" not in v.output.replace("NOPROC", "")
    assert "OTHER" not in v.output and os.environ["SECRET_KEY"] == secret


def test_abstract_unix_sockets_reach_neither_the_host_nor_the_next_job() -> None:
    """A job cannot reach an abstract Unix socket of the host, and one a job leaves behind (held by a
    detached child) is gone for the next job of the same zygote, which shares its network namespace."""
    host_name = f"quizapp-host-{nonce()}"
    host = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    host.bind("\0" + host_name)
    host.listen(1)
    left = f"quizapp-job-{nonce()}"
    leave = f"""
import os, socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\\0{left}')
s.listen(1)
if os.fork() == 0:
    os.setpgid(0, 0)
    time.sleep(30)
print('BOUND')
"""
    probe = f"""
import socket
for name in ('{host_name}', '{left}'):
    try:
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect('\\0' + name)
        print('CONNECTED', name)
    except OSError as e:
        print('REFUSED', e.errno)
"""
    grader = Grader(workers=1)  # one zygote: the second job follows the first in its namespace
    try:
        first = grader.grade(EXERCISE, solution_with(module_code=leave, returns=WRONG))
        second = grader.grade(EXERCISE, solution_with(module_code=probe, returns=WRONG))
    finally:
        grader.close()
        host.close()
    assert "BOUND" in first.output
    assert "CONNECTED" not in second.output and second.output.count("REFUSED") == 2
