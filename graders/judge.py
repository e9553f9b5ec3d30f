"""Turning what came back from the sandbox into a verdict, on the trusted side.

Only the decoded return values decide whether a case passed, and only the zygote's own
report (deadline kill, OOM and pids counters, exit signal) establishes a time or resource
limit. What the child says about itself (exceptions, syntax errors) can only choose
between non-passing statuses. Status precedence: timeout, resource_limit, error, failed,
passed. Score = points x (cases passed / cases), whatever the status.
"""

from __future__ import annotations

import errno
import signal
from dataclasses import dataclass, field
from typing import Any

from graders import present
from graders.catalogue import Exercise, ExerciseContent
from graders.compare import (
    Difference,
    Mismatch,
    Tolerance,
    compare,
    difference,
    resolve,
    right_everywhere,
)
from graders.diagnose import diagnose
from graders.exercise import Case, Mistake
from graders.sandbox.limits import SETUP_FAILED, Limits, cpu_limit
from graders.sandbox.pool import JobResult, SandboxError
from graders.verdict import CaseResult, OutputResult, Status, Verdict
from graders.wire import WireError, decode_value

MAX_MESSAGE = 4000
MAX_GRID_CELLS = 8192  # heatmap cells kept in one verdict, over all its cases and outputs
_SIGNALS = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGFPE: "a floating-point exception",
    signal.SIGILL: "an illegal instruction",
    signal.SIGABRT: "an abort",
    signal.SIGKILL: "SIGKILL",
}


@dataclass
class Outcome:
    """The child's frames, parsed and bounded (all of it untrusted)."""

    started: bool = False
    done: bool = False
    early_error: dict[str, Any] | None = None  # syntax_error, module_error or missing_function
    values: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


MAX_LINE = 10**7  # a line number or caret offset beyond any 64 KiB source is a forgery
MAX_NAMES = 20
_STRINGS = ("message", "text", "exc_type", "traceback")
_NUMBERS = {"line": MAX_LINE, "offset": MAX_LINE, "errno": 4095}


def _text(value: Any, limit: int = MAX_MESSAGE) -> str:
    """A string field of a frame, capped; anything that is not a string counts as absent."""
    return value[:limit] if isinstance(value, str) else ""


def clean_report(header: dict[str, Any]) -> dict[str, Any]:
    """The fields of a child's error frame that the judge uses, each of its expected type and bounded.

    A field of the wrong type (a list for ``text``, an int for ``defined``, an ``offset`` of
    10**30) is dropped, so nothing downstream ever sees it.
    """
    kind = header.get("kind")
    report: dict[str, Any] = {"kind": kind if isinstance(kind, str) else ""}
    for key in _STRINGS:
        if key in header:
            report[key] = _text(header[key], 100 if key == "exc_type" else MAX_MESSAGE)
    for key, most in _NUMBERS.items():
        value = header.get(key)
        report[key] = value if type(value) is int and 0 <= value <= most else None
    report["while_sending"] = header.get("while_sending") is True
    defined = header.get("defined")
    if isinstance(defined, list):
        report["defined"] = [d[:100] for d in defined[:MAX_NAMES] if isinstance(d, str)]
    return report


def parse(result: JobResult, case_count: int) -> Outcome:
    """Read the frames in order; the first result for a case wins; anything malformed is noted.

    Total and bounded: every field kept is validated and capped (see :func:`clean_report`), and
    an unreadable value becomes that case's error, never an exception.
    """
    out = Outcome()
    if result.stream_problem:
        out.problems.append(result.stream_problem[:200])
    for frame in result.frames:
        head = frame.header
        kind, index = head.get("kind"), head.get("index")
        if kind == "started":
            out.started = True
        elif kind == "done":
            out.done = True
            break
        elif kind in ("syntax_error", "module_error", "missing_function") and out.early_error is None:
            out.early_error = clean_report(head)
        elif kind in ("case", "case_error"):
            if (
                type(index) is not int
                or not 0 <= index < case_count
                or index in out.values
                or index in out.errors
            ):
                out.problems.append("a result for an unknown or repeated case")
            elif kind == "case_error":
                out.errors[index] = clean_report(head)
            else:
                try:
                    out.values[index] = decode_value(head.get("value"), frame.blobs)
                except WireError as exc:
                    out.problems.append(f"an unreadable result ({str(exc)[:200]})")
                    out.errors[index] = {"unreadable": str(exc)[:200]}
    return out


def resource_problem(error: dict[str, Any]) -> str:
    """The resource an exception reported by the child says ran out ('' if none)."""
    kind, code, text = error.get("exc_type"), error.get("errno"), _text(error.get("traceback"))
    if kind == "MemoryError":
        return "memory"
    if (kind == "BlockingIOError" and code == errno.EAGAIN) or "can't start new thread" in text:
        return "processes"
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "disk"
    if code in (errno.EMFILE, errno.ENFILE):
        return "open files"
    return ""


def limit_reason(result: JobResult, limits: Limits) -> tuple[Status, str] | None:
    """A time or resource limit established by the zygote's own report, if any."""
    mib = limits.memory_bytes >> 20
    if result.killed == "timeout":
        return "timeout", f"Your code was stopped at the time limit ({limits.wall_s:g} s of wall-clock time)."
    if result.killed == "output":
        return (
            "resource_limit",
            f"Your code printed more than {limits.output_max >> 10} KiB, the output limit.",
        )
    if result.killed == "result_size":
        return "resource_limit", f"Your function returned more than {limits.result_max >> 20} MiB of data."
    if result.killed:
        raise SandboxError(f"the job was stopped by the platform ({result.killed})")
    if result.exit_code == -signal.SIGXCPU or (
        result.exit_code == -signal.SIGKILL and result.cpu_s >= cpu_limit(limits.wall_s) - 0.05
    ):
        return "timeout", f"Your code used up its CPU time limit ({cpu_limit(limits.wall_s)} s)."
    if result.oom_kill:
        return "resource_limit", f"Your code ran out of memory (the limit is about {mib} MiB)."
    if result.exit_code == -signal.SIGXFSZ:
        return "resource_limit", f"Your code wrote a file larger than {limits.file_bytes >> 20} MiB."
    if result.pids_max:
        return (
            "resource_limit",
            f"Your code tried to start more than {limits.processes} processes or threads.",
        )
    return None


_RESOURCE_WORDS = {
    "memory": "Your code ran out of memory.",
    "processes": "Your code could not start another process or thread: the process limit was reached.",
    "disk": "Your code ran out of disk space (the scratch space and file sizes are limited).",
    "open files": "Your code opened too many files at once.",
}


def _early_error_feedback(error: dict[str, Any], function: str) -> str:
    kind = error.get("kind")
    if kind == "syntax_error":
        where = f" on line {error['line']}" if isinstance(error.get("line"), int) else ""
        text = _text(error.get("text"))
        caret = ""
        if text.strip() and isinstance(error.get("offset"), int):
            stripped = text.rstrip("\n")
            shown = stripped.lstrip()
            pad = max(0, error["offset"] - 1 - (len(stripped) - len(shown)))
            caret = f"\n    {shown}\n    {' ' * min(pad, len(shown))}^"  # the caret stays on the line
        return f"Syntax error{where}: {_text(error.get('message'))}{caret}"
    if kind == "missing_function":
        defined = [d for d in error.get("defined", []) if isinstance(d, str)][:MAX_NAMES]
        found = f" Functions found: {', '.join(defined)}." if defined else ""
        return (
            f"No function named {function} was found: define `def {function}(...)` "
            f"at the top level of your file.{found}"
        )
    if error.get("exc_type") == "SystemExit":
        return "Your file called sys.exit() (or exit()) while it was loading; remove that call."
    trace = _text(error.get("traceback"))
    return f"Your file raised an exception while it was loading, before {function} was called:\n{trace}"


def _crash_reason(result: JobResult) -> str:
    code = result.exit_code
    if code < 0:
        try:
            sig = signal.Signals(-code)
        except ValueError:
            return f"Your code crashed (signal {-code}) before it finished."
        return f"Your code crashed ({_SIGNALS.get(sig, sig.name)}, signal {sig.name}) before it finished."
    return f"Your code ended the process (exit code {code}) before it finished."


# (output name, yours, expected, problem, the facts of a right output when already known)
Checked = list[tuple[str, Any, Any, Mismatch | None, Difference | None]]


def _check_case(
    exercise: Exercise, content: ExerciseContent, case: Case, got: Any, expected: Any
) -> tuple[list[tuple[str, Mismatch, Any, Any]], list[str], Checked]:
    wrong, right, checked = [], [], []
    tol = exercise.tolerance
    for name, path in content.output_paths(case).items():
        e, e_problem = resolve(expected, path, "the reference")
        if e_problem:
            raise SandboxError(
                f"{exercise.slug}: output {name!r} does not exist in the reference's value: {e_problem}"
            )
        g, g_problem = resolve(got, path, "The returned value")  # only ever starts a sentence
        known = None if g_problem else right_everywhere(g, e, tol)
        mismatch = Mismatch(name, g_problem) if g_problem else None if known else compare(g, e, tol, name)
        checked.append((name, None if g_problem else g, e, mismatch, known))
        if mismatch is None:
            right.append(name)
        else:
            wrong.append((name, mismatch, g, e))
    return wrong, right, checked


def _output_result(
    name: str, mismatch: Mismatch | None, hidden: bool, diff: Difference | None, tol: Tolerance, expected: Any
) -> OutputResult:
    """The verdict's facts about one output; a hidden case's keep no values, entries or grid."""
    problem = present.sentence(mismatch) if mismatch is not None else None
    if diff is None:
        shape = getattr(expected, "shape", None)
        return OutputResult(
            name,
            mismatch is None,
            shape=tuple(int(n) for n in shape) if shape is not None else None,
            problem=problem,
        )
    passed = mismatch is None
    grid = diff.grid
    return OutputResult(
        name,
        passed,
        shape=diff.shape,
        max_abs_error=diff.max_abs_error,
        worst_index=diff.worst_index,
        yours=None if hidden else diff.yours,
        expected=None if hidden else diff.expected,
        first_wrong_step=None if passed else diff.first_wrong_step,
        outside_count=diff.outside_count,
        worst=()
        if hidden or passed
        else tuple(
            {"index": list(w.index), "yours": w.yours, "expected": w.expected, "error": w.error}
            for w in diff.worst
        ),
        diff_grid=None
        if hidden or passed or grid is None
        else {
            "shape": list(grid.shape),
            "row_block": grid.row_block,
            "col_block": grid.col_block,
            "cells": [list(row) for row in grid.cells],
            "outside": list(grid.outside),
            "time_axis": grid.time_axis,
            "tolerance": {"rtol": tol.rtol, "atol": tol.atol},
        },
        problem=problem,
    )


def _output_results(
    exercise: Exercise, case: Case, checked: Checked, graded: Graded
) -> tuple[OutputResult, ...]:
    results = []
    for name, g, e, mismatch, known in checked:
        draw = not case.hidden and mismatch is not None and graded.grid_cells > 0
        diff = known or difference(g, e, exercise.tolerance, grid=draw)
        cells = diff.grid.size if diff is not None and diff.grid is not None else 0
        if cells > graded.grid_cells:  # over the verdict's budget: the summary without the picture
            diff = difference(g, e, exercise.tolerance, grid=False)
        else:
            graded.grid_cells -= cells
        results.append(_output_result(name, mismatch, case.hidden, diff, exercise.tolerance, e))
    return tuple(results)


def _case_message(
    content: ExerciseContent,
    case: Case,
    wrong: list[tuple[str, Mismatch, Any, Any]],
    right: list[str],
    outputs: tuple[OutputResult, ...] = (),
) -> str:
    unique = {m.problem: m for _, m, _, _ in wrong}  # one sentence per distinct problem
    problems = list(unique.values())
    text = present.case_summary(problems, right) if wrong else "All outputs are right."
    steps = [
        present.step_sentence(o.name, o.first_wrong_step) for o in outputs if o.first_wrong_step is not None
    ]
    if steps:
        text += " " + " ".join(steps)
    if case.note:
        text = f"({case.note}) {text}"
    if not wrong or case.hidden:
        return present.fit([text])
    def shown(name: str, expected: Any) -> str:  # the reference's value: the same in every grading
        return content.remember(case, ("expected", name), lambda: present.show(expected))

    return present.fit([text, _inputs(content, case), present.show_expected(wrong, shown)])


def _inputs(content: ExerciseContent, case: Case) -> str:
    return content.remember(case, "inputs", lambda: present.show_inputs(content.argument_names, case.args))


@dataclass
class Graded:
    """The per-case results and what they add up to."""

    results: list[CaseResult] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)
    wrong: dict[int, list[str]] = field(default_factory=dict)  # wrong output names per failing case
    wrong_counts: dict[str, int] = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)  # resources exceptions said ran out
    raised: int = 0  # cases whose call raised
    grid_cells: int = MAX_GRID_CELLS  # heatmap cells still allowed in this verdict


def _error_message(exercise: Exercise, content: ExerciseContent, case: Case, error: dict[str, Any]) -> str:
    if "unreadable" in error:
        message = f"Your {exercise.function} returned a value that could not be read ({error['unreadable']})."
    elif error.get("exc_type") == "SystemExit":
        message = f"Your {exercise.function} called sys.exit(); a function must return its results."
    else:
        verb = "could not send its result" if error.get("while_sending") else "raised an exception"
        message = f"Your {exercise.function} {verb}:\n{_text(error.get('traceback'))}"
    if case.hidden:
        return present.fit([message])
    return present.fit([message, _inputs(content, case)])


def _grade_cases(
    exercise: Exercise,
    content: ExerciseContent,
    cases: list[Case],
    expected: list[Any],
    outcome: Outcome,
    not_graded: str,
) -> Graded:
    graded = Graded()
    for index, case in enumerate(cases):
        if index in outcome.values:
            got = outcome.values[index]
            wrong, right, checked = _check_case(exercise, content, case, got, expected[index])
            names = [name for name, *_ in wrong]
            for name in names:
                graded.wrong_counts[name] = graded.wrong_counts.get(name, 0) + 1
            if names:
                graded.wrong[index] = names
            outputs = _output_results(exercise, case, checked, graded)
            message = _case_message(content, case, wrong, right, outputs)
            graded.results.append(
                CaseResult(case.name, not wrong, case.hidden, message, tuple(names), outputs)
            )
        elif index in outcome.errors:
            error = outcome.errors[index]
            if resource := resource_problem(error):
                graded.resources.append(resource)
            graded.raised += "exc_type" in error
            message = _error_message(exercise, content, case, error)
            graded.results.append(CaseResult(case.name, False, case.hidden, message))
        else:
            graded.results.append(CaseResult(case.name, False, case.hidden, f"Not graded: {not_graded}"))
    if graded.wrong:
        graded.mistakes = diagnose(
            content.mistakes,
            cases,
            outcome.values,
            graded.wrong,
            content.output_paths,
            exercise.tolerance,
            content.remember,
        )
    return graded


def judge(
    exercise: Exercise,
    content: ExerciseContent,
    cases: list[Case],
    expected: list[Any],
    result: JobResult,
    seed: int,
    limits: Limits,
) -> Verdict:
    """Build the verdict for one finished job.

    Total: whatever frames the child wrote, this returns a verdict. It raises only
    :class:`SandboxError`, when the platform itself failed (from the zygote's own report).
    """
    outcome = parse(result, len(cases))
    if not outcome.started and (not result.killed or result.exit_code == SETUP_FAILED):
        raise SandboxError(f"the sandbox could not be set up (exit code {result.exit_code})")
    limit = limit_reason(result, limits)
    try:
        return _judge(exercise, content, cases, expected, result, seed, outcome, limit)
    except SandboxError:
        raise
    except Exception as exc:  # a value no check foresaw: the submission's results are unreadable
        return Verdict(
            exercise=exercise.slug,
            status=limit[0] if limit else "error",
            score=0.0,
            max_score=exercise.max_score,
            cases=tuple(CaseResult(c.name, False, c.hidden, "Not graded: see above.") for c in cases),
            feedback=(
                f"0 of {len(cases)} cases passed.",
                *([limit[1]] if limit else []),
                f"The results your code sent back could not be read ({type(exc).__name__}).",
            ),
            output=_output_text(result),
            seed=seed,
            exercise_version=exercise.version,
            timings={"wall_s": result.wall_s, "cpu_s": result.cpu_s},
        )


def _judge(
    exercise: Exercise,
    content: ExerciseContent,
    cases: list[Case],
    expected: list[Any],
    result: JobResult,
    seed: int,
    outcome: Outcome,
    limit: tuple[Status, str] | None,
) -> Verdict:
    early = outcome.early_error
    early_resources = [r for r in [resource_problem(early)] if r] if early else []
    not_graded = (
        limit[1] if limit else ("see above" if early else "the submission stopped before this case ran")
    )
    graded = _grade_cases(exercise, content, cases, expected, outcome, not_graded)
    resources = early_resources + graded.resources
    passed = sum(r.passed for r in graded.results)
    crashed = not outcome.done and not early and not limit

    status: Status
    if limit:
        status = limit[0]
    elif resources:
        status = "resource_limit"
    elif early or outcome.errors or outcome.problems or crashed:
        status = "error"
    else:
        status = "passed" if passed == len(cases) else "failed"

    feedback = [f"{passed} of {len(cases)} cases passed."]
    feedback += [limit[1]] if limit else []
    feedback += [_RESOURCE_WORDS[r] for r in resources]
    feedback += [_early_error_feedback(early, exercise.function)] if early else []
    if graded.raised:
        raised = f"raised an exception in {graded.raised} of {len(cases)} cases (see the cases)."
        feedback.append(f"Your {exercise.function} {raised}")
    if outcome.problems:
        feedback.append(
            "Some results could not be read (" + "; ".join(dict.fromkeys(outcome.problems)) + ")."
        )
    feedback += [_crash_reason(result)] if crashed else []
    if graded.wrong_counts:
        feedback.append(_wrong_counts(graded.wrong_counts, len(cases)))
    feedback += [m.message for m in graded.mistakes]
    return Verdict(
        exercise=exercise.slug,
        status=status,
        score=round(exercise.max_score * passed / len(cases), 2) if cases else 0.0,
        max_score=exercise.max_score,
        cases=tuple(graded.results),
        feedback=tuple(dict.fromkeys(feedback)),
        output=_output_text(result),
        seed=seed,
        exercise_version=exercise.version,
        mistakes=tuple(m.id for m in graded.mistakes),
        timings={"wall_s": result.wall_s, "cpu_s": result.cpu_s},
    )


def _wrong_counts(counts: dict[str, int], cases: int) -> str:
    """E.g. ``Wrong outputs: dx and da0 in 5 of 6 cases; dba in 1 of 6 cases.``"""
    by_count: dict[int, list[str]] = {}
    for name, n in sorted(counts.items(), key=lambda item: -item[1]):  # stable: first seen first
        by_count.setdefault(n, []).append(name)
    groups = [f"{present.join_names(names)} in {n} of {cases} cases" for n, names in by_count.items()]
    return f"Wrong output{'s' if len(counts) > 1 else ''}: " + "; ".join(groups) + "."


def _output_text(result: JobResult) -> str:
    text = result.output.decode("utf-8", errors="replace").replace("\x00", "\\x00")
    if result.output_bytes > len(result.output):
        text += (
            f"\n[output truncated: {result.output_bytes} bytes printed, the first {len(result.output)} shown]"
        )
    return text
