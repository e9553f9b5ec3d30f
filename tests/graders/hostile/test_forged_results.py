"""Hostile result streams: frames a submission forges on the result descriptor to crash or bloat the
trusted side. Each gives exactly one verdict, under the size cap, NUL-free and valid UTF-8."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from graders import Verdict
from graders.verdict import MAX_VERDICT_BYTES
from tests.graders.conftest import REPO, SOLUTION, solution_with
from tests.graders.hostile.conftest import assert_sane

# What a student's file can do: write its own frames to fd 4 (the result descriptor), then leave
# before the runner sends anything genuine. Raw bytes, built without any grader module.
FORGE = """
import json as _json, os as _os, struct as _struct
import numpy as _np

def _npy(arr):
    import io
    buf = io.BytesIO()
    _np.save(buf, arr)
    return buf.getvalue()

def _frame(header, blobs=()):
    head = _json.dumps({**header, "blobs": [len(b) for b in blobs]}).encode()
    return _struct.pack("<I", len(head)) + head + b"".join(blobs)

def _send(*frames):
    data = memoryview(b"".join(frames))
    while data:
        data = data[_os.write(4, data):]
    _os._exit(0)
"""


def forged(send: str) -> str:
    """A submission that sends the frames built by the expression ``send`` and exits."""
    return FORGE + "\n" + textwrap.dedent(send) + "\n"


# One 1 MiB array (npy blob 0) referenced from 40,000 tree nodes in every case frame: decoding it
# afresh per reference needed ~40 GiB. Six case frames of ~1.5 MiB each stay under the 16 MiB cap.
SHARED_BLOB = forged(
    """
blob = _npy(_np.zeros(1 << 17))
tree = ["tuple", [["list", [["array", 0]] * 40000], ["array", 0], ["tuple", []]]]
_send(*[_frame({"kind": "case", "index": i, "value": tree}, [blob]) for i in range(6)],
      _frame({"kind": "done"}))
"""
)
CASES: dict[str, tuple[str, set[str]]] = {
    "shared 1 MiB array referenced 40,000 times": (SHARED_BLOB, {"failed", "error"}),
    "syntax_error offset 10**30": (
        forged(
            '_send(_frame({"kind": "syntax_error", "line": 1, "offset": 10**30, "message": "x", '
            '"text": "def f(:"}))'
        ),
        {"error"},
    ),
    "syntax_error offset 2**40": (
        forged(
            '_send(_frame({"kind": "syntax_error", "line": 1, "offset": 2**40, "message": "x", '
            '"text": "def f(:"}))'
        ),
        {"error"},
    ),
    "syntax_error offset 2*10**8 (a 200 MB caret)": (
        forged(
            '_send(_frame({"kind": "syntax_error", "line": 1, "offset": 2 * 10**8, "message": "x", '
            '"text": "def f(:"}))'
        ),
        {"error"},
    ),
    "syntax_error text as a list": (
        forged(
            '_send(_frame({"kind": "syntax_error", "line": 1, "offset": 3, "message": ["m"] * 9, '
            '"text": ["def f(:"] * 100000}))'
        ),
        {"error"},
    ),
    "module_error traceback as a list": (
        forged(
            '_send(_frame({"kind": "module_error", "exc_type": ["E"], "errno": "12", '
            '"traceback": ["x" * 1000] * 4000}))'
        ),
        {"error"},
    ),
    "case_error traceback as a list": (
        forged(
            '_send(*[_frame({"kind": "case_error", "index": i, "exc_type": "ValueError", '
            '"traceback": ["y" * 1000] * 2000}) for i in range(6)], _frame({"kind": "done"}))'
        ),
        {"error"},
    ),
    "missing_function defined as an int": (
        forged('_send(_frame({"kind": "missing_function", "defined": 12345}))'),
        {"error"},
    ),
    "missing_function defined as huge names": (
        forged('_send(_frame({"kind": "missing_function", "defined": ["f" * 10**6] * 3}))'),
        {"error"},
    ),
    ".npy descr <i3": (
        forged(
            """
head = b"{'descr': '<i3', 'fortran_order': False, 'shape': (2,), }"
head += b" " * (-(len(head) + 11) % 64) + b"\\n"
blob = b"\\x93NUMPY\\x01\\x00" + _struct.pack("<H", len(head)) + head + b"\\x00" * 6
_send(*[_frame({"kind": "case", "index": i, "value": ["array", 0]}, [blob]) for i in range(6)],
      _frame({"kind": "done"}))
"""
        ),
        {"error"},
    ),
    "NUL and lone surrogates in forged text": (
        forged(
            '_send(_frame({"kind": "module_error", "exc_type": "E\\u0000", '
            '"traceback": "a\\u0000b\\ud800c"}))'
        ),
        {"error"},
    ),
}


def texts(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(t for v in value.values() for t in texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def check_verdict_json(data: dict[str, Any]) -> None:
    """The verdict JSON is under the cap (as stored, ASCII-escaped), NUL-free and valid UTF-8."""
    text = json.dumps(data, ensure_ascii=True)
    assert len(text) <= MAX_VERDICT_BYTES, len(text)
    assert not any("\x00" in s for s in texts(data))
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate


@pytest.mark.parametrize("name", list(CASES))
def test_forged_frames_give_one_bounded_verdict(grade: Any, name: str) -> None:
    """Each forged stream of the issue ends as a sane verdict (never passed), small and clean."""
    code, allowed = CASES[name]
    v: Verdict = grade(code)
    assert_sane(v, allowed=allowed)
    check_verdict_json(v.to_dict())


def test_the_caret_stays_on_the_line(grade: Any) -> None:
    """A forged caret offset never pads beyond the offending line; an absurd one is dropped."""
    early = forged(
        '_send(_frame({"kind": "syntax_error", "line": 1, "offset": 5000000, "message": "x", '
        '"text": "def f(:"}))'
    )
    v = grade(early)
    message = next(f for f in v.feedback if f.startswith("Syntax error"))
    assert message.endswith("def f(:\n    " + " " * 7 + "^"), message
    v = grade(CASES["syntax_error offset 10**30"][0])
    assert "Syntax error on line 1: x" in v.feedback


def test_wrong_typed_fields_are_dropped_not_shown(grade: Any) -> None:
    """A list-valued traceback or text is dropped (not stringified), so no 4 MB of feedback."""
    v = grade(CASES["module_error traceback as a list"][0])
    assert sum(len(f) for f in v.feedback) < 2000 and "xxxx" not in json.dumps(v.to_dict())
    v = grade(CASES["missing_function defined as huge names"][0])
    assert "f" * 101 not in json.dumps(v.to_dict())


def test_nul_in_an_exception_text_never_reaches_the_verdict(grade: Any) -> None:
    """A genuine exception whose text holds NUL gives a verdict with the NUL escaped, not kept."""
    v = grade(solution_with(body_prefix="raise ValueError('a\\x00b')"))
    assert_sane(v, allowed={"error"})
    check_verdict_json(v.to_dict())
    assert "a\\x00b" in v.cases[0].message


def test_each_case_through_the_command_line(tmp_path: Path) -> None:
    """`python -m graders grade` prints exactly one verdict under the cap for every forged stream."""
    paths = []
    for i, (code, _) in enumerate(CASES.values()):
        path = tmp_path / f"sub{i}.py"
        path.write_text(code)
        paths.append(str(path))
    script = (
        "import json, sys\nfrom graders.__main__ import main\n"
        "for path in sys.argv[1:]:\n    main(['grade', 'rnn_cell_forward', path])\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *paths], cwd=REPO, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(CASES)
    for (name, (_, allowed)), line in zip(CASES.items(), lines, strict=True):
        assert len(line.encode()) <= MAX_VERDICT_BYTES, name
        verdict = json.loads(line)
        assert verdict["status"] in allowed, (name, verdict["feedback"])
        check_verdict_json(verdict)


MEMORY_PROBE = """
import json, sys
import graders
attack, solution = open(sys.argv[1]).read(), open(sys.argv[2]).read()
after_attack = graders.grade("rnn_cell_forward", attack).status
after_solution = graders.grade("rnn_cell_forward", solution).status
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"attack": after_attack, "solution": after_solution, "peak_kib": int(peak.split()[1])}))
"""


def test_shared_blob_attack_keeps_the_grader_small_and_the_next_grading_passes(tmp_path: Path) -> None:
    """The 1 MiB-array-referenced-40,000-times stream keeps the grader process under 256 MiB at its
    peak (the child has its own limit), and a correct submission graded right after passes."""
    attack, solution = tmp_path / "attack.py", tmp_path / "solution.py"
    attack.write_text(SHARED_BLOB)
    solution.write_text(SOLUTION)
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(attack), str(solution)],
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["attack"] in {"failed", "error"} and result["solution"] == "passed"
    assert result["peak_kib"] < 256 << 10, result
