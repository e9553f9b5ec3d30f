"""The command line: one verdict JSON on stdout, exit codes, list, status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graders.catalogue import Catalogue
from tests.graders.conftest import REPO, SOLUTION, solution_with


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args], cwd=REPO, input=stdin, capture_output=True, timeout=60
    )


def test_grade_prints_exactly_one_verdict(tmp_path: Path) -> None:
    """`grade` prints one JSON document on stdout and exits 0 for a passing file."""
    path = tmp_path / "sub.py"
    path.write_text(SOLUTION)
    done = cli("grade", "rnn_cell_forward", str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["status"] == "passed"


def test_fake_verdicts_printed_by_the_submission_stay_inside_output(tmp_path: Path) -> None:
    """A submission printing a 'passed' verdict JSON still gets one real, failing verdict on stdout."""
    fake = json.dumps({"exercise": "rnn_cell_forward", "status": "passed", "score": 10, "max_score": 10})
    code = solution_with(
        module_code=f"print({fake!r})\nprint('\\n' + {fake!r})", returns="a_next * 0, yt_pred, cache"
    )
    path = tmp_path / "sub.py"
    path.write_text(code)
    done = cli("grade", "rnn_cell_forward", str(path))
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 0 and len(lines) == 1
    verdict = json.loads(lines[0])
    assert verdict["status"] == "failed" and verdict["score"] == 0 and fake in verdict["output"]


def test_failed_and_rejected_verdicts_still_exit_zero(tmp_path: Path) -> None:
    """Exit status 0 means 'a verdict was produced', whatever it says."""
    path = tmp_path / "sub.py"
    path.write_bytes(b"\xff\xfe not utf-8")
    done = cli("grade", "rnn_cell_forward", str(path))
    assert done.returncode == 0 and json.loads(done.stdout)["status"] == "rejected"


def test_stdin_dash_reads_standard_input() -> None:
    """FILE '-' reads the submission from standard input."""
    done = cli("grade", "rnn_cell_forward", "-", "--seed", "5", stdin=SOLUTION.encode())
    verdict = json.loads(done.stdout)
    assert verdict["status"] == "passed" and verdict["seed"] == 5


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    """An unknown exercise or an unreadable file is a usage error (exit 2), not a verdict."""
    unknown = cli("grade", "no_such_exercise", str(tmp_path / "x.py"))
    assert unknown.returncode == 2 and unknown.stdout == b"" and b"unknown exercise" in unknown.stderr
    missing = cli("grade", "rnn_cell_forward", str(tmp_path / "missing.py"))
    assert missing.returncode == 2 and missing.stdout == b""


def test_list_prints_slugs_in_order() -> None:
    """`list` prints the catalogue's slugs, one per line."""
    done = cli("list")
    assert done.returncode == 0 and done.stdout.decode().split() == Catalogue().slugs()


def test_status_reports_the_isolation() -> None:
    """`status` reports the zygote's isolation: cgroups, seccomp, and what the root exposes."""
    report = json.loads(cli("status").stdout)
    assert report["seccomp"] is True and report["op"] == "ready"
    assert not any(
        path.startswith(str(REPO)) and "sandbox_lib" not in path and "numpy" not in path
        for path in report["binds"]
    )
