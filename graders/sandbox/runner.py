"""Child-side code: runs inside the isolated job process, never in the trusted grader.

It reads the job (source code and case arguments) from fd 3, runs the submission, and
writes one frame per event to fd 4: ``started`` (before any submission code runs), then
either ``syntax_error``, ``module_error`` or ``missing_function``, or ``loaded`` followed
by ``case`` (the returned value) or ``case_error`` for every case and ``done``. Everything
it sends is untrusted by the grader: the most a submission gains by tampering with this
module is a worse verdict.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import linecache
import os
import sys
import traceback
import types
from typing import Any, NoReturn

from graders import wire

JOB_FD = 3
RESULT_FD = 4
FILENAME = "submission.py"
MAX_JOB = 64 << 20
MAX_TEXT = 4000

_runner_pid = 0
# What the course notebook's first cells import (alias -> module), and the helpers of rnn_utils: a
# cell pasted from the notebook finds them as it did there (e.g. the 2021 clip's copy.deepcopy).
COURSE_MODULES = {"np": "numpy", "copy": "copy", "math": "math", "random": "random"}
COURSE_HELPERS = ("rnn_utils", ("sigmoid", "softmax"))


def _mark_forked() -> None:
    global _runner_pid
    _runner_pid = -1


def send(header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
    """Write one frame to the result descriptor (only from the runner process itself)."""
    if os.getpid() != _runner_pid:
        return
    view = memoryview(wire.pack(header, blobs or []))
    while view:
        view = view[os.write(RESULT_FD, view) :]


def _read_job() -> wire.Frame:
    chunks = []
    total = 0
    while chunk := os.read(JOB_FD, 1 << 16):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_JOB:
            break
    os.close(JOB_FD)
    frames, _ = wire.unpack_stream(b"".join(chunks), max_frames=1)
    if not frames:
        os._exit(3)
    return frames[0]


def _safe_str(exc: BaseException) -> str:
    try:
        return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:MAX_TEXT]
    except BaseException:
        return type(exc).__name__


def describe(exc: BaseException) -> dict[str, Any]:
    """Plain facts about an exception, with a traceback limited to the submission's own frames."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
        lines = "".join(traceback.format_list(frames)) if frames else ""
    except BaseException:
        lines = ""
    text = ("Traceback (most recent call last):\n" + lines if lines else "") + _safe_str(exc)
    err = getattr(exc, "errno", None)
    return {
        "exc_type": type(exc).__name__[:100],
        "errno": err if type(err) is int else None,
        "traceback": text[-MAX_TEXT:],
    }


def course_namespace() -> dict[str, Any]:
    """The names the course notebook's first cell provides, for the submission's globals."""
    names: dict[str, Any] = {}
    for alias, module in COURSE_MODULES.items():
        with contextlib.suppress(ImportError):
            names[alias] = importlib.import_module(module)
    module_name, helpers = COURSE_HELPERS
    try:
        helper_module = importlib.import_module(module_name)
    except ImportError:
        return names
    names.update({name: getattr(helper_module, name) for name in helpers if hasattr(helper_module, name)})
    return names


def _setup_stdio() -> None:
    out = io.FileIO(1, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="backslashreplace", write_through=True)
    sys.stderr = io.TextIOWrapper(out, encoding="utf-8", errors="backslashreplace", write_through=True)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.__stdout__, sys.__stderr__, sys.__stdin__ = sys.stdout, sys.stderr, sys.stdin  # type: ignore[misc]


def main(import_path: list[str]) -> NoReturn:
    """Run one job in this (already isolated) process and exit."""
    global _runner_pid
    _runner_pid = os.getpid()
    os.register_at_fork(after_in_child=_mark_forked)
    send({"kind": "started"})
    _setup_stdio()
    job = _read_job()
    sys.path[:] = import_path
    sys.argv[:] = [FILENAME]
    source = job.blobs[job.header["source"]].decode("utf-8")
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        send(
            {
                "kind": "syntax_error",
                "line": exc.lineno,
                "offset": exc.offset,
                "message": str(exc.msg)[:MAX_TEXT],
                "text": (exc.text or "")[:MAX_TEXT],
            }
        )
        os._exit(0)
    except (ValueError, MemoryError, RecursionError) as exc:
        send(
            {"kind": "syntax_error", "line": None, "offset": None, "message": str(exc)[:MAX_TEXT], "text": ""}
        )
        os._exit(0)
    module = types.ModuleType("submission")
    module.__file__ = FILENAME
    module.__dict__.update(course_namespace())
    sys.modules["submission"] = module
    try:
        exec(code, module.__dict__)  # noqa: S102 - running the submission is the point
    except BaseException as exc:
        send({"kind": "module_error", **describe(exc)})
        os._exit(0)
    function = module.__dict__.get(job.header["function"])
    if not callable(function):
        defined = sorted(
            k
            for k, v in module.__dict__.items()
            if isinstance(v, types.FunctionType) and v.__module__ == module.__name__
        )
        send({"kind": "missing_function", "defined": defined[:20]})
        os._exit(0)
    send({"kind": "loaded"})
    for index, tree in enumerate(job.header["cases"]):
        _run_case(function, index, tree, job.blobs)
    send({"kind": "done"})
    os._exit(0)


def _run_case(function: Any, index: int, tree: Any, blobs: list[bytes]) -> None:
    args = wire.decode_value(tree, blobs)
    try:
        value = function(*args)
    except BaseException as exc:
        send({"kind": "case_error", "index": index, **describe(exc)})
        return
    try:
        out_blobs: list[bytes] = []
        encoded = wire.encode_value(value, out_blobs)
    except BaseException as exc:
        send({"kind": "case_error", "index": index, **describe(exc), "while_sending": True})
        return
    send({"kind": "case", "index": index, "value": encoded}, out_blobs)
