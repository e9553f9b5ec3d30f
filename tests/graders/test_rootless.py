"""Without root, the grader falls back to a user namespace and still isolates and grades."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.graders.conftest import REPO, SOLUTION

# Run as nobody in a private mount namespace where /root (mode 700 here) is replaced by a tmpfs
# holding only the Python installation, so that nobody can start the interpreter at all.
SCRIPT = """set -e
if [ -n "$PYROOT" ]; then
  mount --bind "$PYROOT" "$SAVE"
  mount -t tmpfs -o mode=755 tmpfs /root
  mkdir -p "$PYROOT"
  mount --bind "$SAVE" "$PYROOT"
fi
cd "$REPO"
exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"
"""


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("unshare"),
    reason="needs root to set up an unprivileged run",
)
def test_unprivileged_grading_uses_a_user_namespace(tmp_path: Path) -> None:
    """As nobody: status reports the rootless mode, the solution passes and a network probe is blocked."""
    base = os.path.realpath(sys.base_prefix)
    pyroot = "/root/" + base.split("/")[2] if base.startswith("/root/") else ""
    save = tmp_path / "save"
    save.mkdir()
    code = SOLUTION + "\nimport socket\ntry:\n    socket.create_connection(('127.0.0.1', 6379))\n"
    code += "except OSError as e:\n    print('BLOCKED', e.errno)\n"
    env = {**os.environ, "PYROOT": pyroot, "SAVE": str(save), "REPO": str(REPO)}

    def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        argv = ["unshare", "-m", "bash", "-c", SCRIPT, "rootless", sys.executable, "-m", "graders", *args]
        return subprocess.run(argv, env=env, input=stdin, capture_output=True, timeout=60)

    status = run("status")
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["rootless"] is True and report["uid"] == 0 and report["cgroup"]["version"] == 0
    graded = run("grade", "rnn_cell_forward", "-", stdin=code.encode())
    assert graded.returncode == 0, graded.stderr
    verdict = json.loads(graded.stdout)
    assert verdict["status"] == "passed" and "BLOCKED" in verdict["output"]
