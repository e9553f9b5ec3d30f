"""The verdict: what a grading returns, serialised exactly as the contract's verdict JSON."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

GRADER_VERSION = "1.0.0"
MAX_VERDICT_BYTES = 256 << 10  # the verdict JSON, as stored (ASCII-escaped) or printed
_SURROGATES = re.compile("[\ud800-\udfff]")

Status = Literal["passed", "failed", "error", "timeout", "resource_limit", "rejected"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "error", "timeout", "resource_limit", "rejected")


@dataclass(frozen=True)
class OutputResult:
    """One graded output of a case: the contract's ``cases[].outputs`` entry.

    ``yours``/``expected`` are the values at ``worst_index`` (None for hidden cases, whose expected
    values stay secret). Additive keys: ``outside_count`` (values outside the tolerance), ``worst``
    (the few worst entries, public cases only), ``diff_grid`` (a pooled |yours - expected| grid
    for a heatmap, public wrong outputs only; None when not drawn) and ``problem`` (the wrong
    output's sentence, as in the message; None when right).
    """

    name: str
    passed: bool
    shape: tuple[int, ...] | None = None
    max_abs_error: float | None = None
    worst_index: tuple[int, ...] | None = None
    yours: float | str | None = None
    expected: float | str | None = None
    first_wrong_step: int | None = None
    outside_count: int | None = None
    worst: tuple[dict[str, Any], ...] = ()
    diff_grid: dict[str, Any] | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's output object, then the additive keys."""
        return {
            "name": self.name,
            "passed": self.passed,
            "shape": list(self.shape) if self.shape is not None else None,
            "max_abs_error": self.max_abs_error,
            "worst_index": list(self.worst_index) if self.worst_index is not None else None,
            "yours": self.yours,
            "expected": self.expected,
            "first_wrong_step": self.first_wrong_step,
            "outside_count": self.outside_count,
            "worst": [dict(w) for w in self.worst],
            "diff_grid": self.diff_grid,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class CaseResult:
    """One case's outcome. Hidden cases never carry inputs or expected values in ``message``
    or ``outputs``."""

    name: str
    passed: bool
    hidden: bool
    message: str
    wrong_outputs: tuple[str, ...] = ()
    outputs: tuple[OutputResult, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's case object."""
        return {
            "name": self.name,
            "passed": self.passed,
            "hidden": self.hidden,
            "message": self.message,
            "outputs": [output.to_dict() for output in self.outputs],
        }


@dataclass(frozen=True)
class Verdict:
    """The result of grading one submission.

    ``to_dict()`` gives the contract's verdict JSON plus these additive keys: ``seed`` (replays
    the hidden cases with ``grade(..., seed=...)``), ``grader_version``, ``exercise_version``
    and ``mistakes`` (ids of the named mistakes diagnosed, for the dashboard).
    """

    exercise: str
    status: Status
    score: float
    max_score: float
    cases: tuple[CaseResult, ...] = ()
    feedback: tuple[str, ...] = ()
    output: str = ""
    seed: int | None = None
    grader_version: str = GRADER_VERSION
    exercise_version: int | None = None
    mistakes: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return self.status == "passed"

    def to_dict(self) -> dict[str, Any]:
        """The verdict JSON (contract keys first, then the additive ones)."""
        data = {
            "exercise": self.exercise,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "cases": [case.to_dict() for case in self.cases],
            "feedback": list(self.feedback),
            "output": self.output,
            "seed": self.seed,
            "grader_version": self.grader_version,
            "exercise_version": self.exercise_version,
            "mistakes": list(self.mistakes),
        }
        return bounded(data)


def _clean(value: Any) -> Any:
    """A JSON-safe copy: valid UTF-8 text without NUL, finite numbers, plain containers."""
    # The exact built-in types first: a verdict is thousands of them, and this is on every grading's path.
    kind = type(value)
    if kind is str:
        return value if value.isascii() and "\x00" not in value else _clean_text(value)
    if kind is float:
        return value if math.isfinite(value) else str(value)  # 'nan', 'inf': JSON has neither
    if kind is int or value is None or kind is bool:
        return value
    if kind is dict:
        return {k if type(k) is str and k.isascii() and "\x00" not in k else _clean(str(k)): _clean(v)
                for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_clean(v) for v in value]
    return _clean_other(value)


def _clean_text(text: str) -> str:
    text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: not UTF-8, and PostgreSQL refuses them
        text = _SURROGATES.sub("\ufffd", text)
    return text


def _clean_other(value: Any) -> Any:
    """``_clean`` for subclasses of the built-in types, NumPy scalars and anything else."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _clean(float(value))
    if isinstance(value, str):
        return _clean_text(str(value))
    if isinstance(value, dict):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # NumPy scalars
        try:
            return _clean(value.item())
        except (TypeError, ValueError):
            pass
    return _clean(str(value)[:200])


def _size(data: Any) -> int:
    # json.dumps' defaults, as the command line and the database's JSON columns write it; escaping
    # every non-ASCII character makes this at least the UTF-8 size, however it is written.
    return len(json.dumps(data, ensure_ascii=True, allow_nan=False))


def _cut_strings(value: Any, limit: int) -> Any:
    if isinstance(value, str) and len(value) > limit:
        note = f"\n[… {len(value) - limit} more characters cut to keep the verdict under 256 KiB]"
        # Only where it saves room: so the smaller the limit, the smaller the result (bisection).
        return value[:limit] + note if limit + len(note) < len(value) else value
    if isinstance(value, dict):
        return {k: _cut_strings(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_strings(v, limit) for v in value]
    return value


def _cut_lists(value: Any, limit: int) -> Any:
    if isinstance(value, dict):
        return {k: _cut_lists(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_lists(v, limit) for v in value[:limit]]
    return value


def _longest(value: Any, kind: type = str) -> int:
    here = len(value) if isinstance(value, str | list) and isinstance(value, kind) else 0
    if isinstance(value, dict):
        return max([here, *(_longest(v, kind) for v in value.values())])
    if isinstance(value, list):
        return max([here, *(_longest(v, kind) for v in value)])
    return here


def _most(high: int, fits: Any) -> int:
    """The largest n in 0..high for which fits(n) holds (0 if none), by bisection."""
    low = 0
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


_LISTS_NOTE = "Some details (list items) were left out to keep this verdict under 256 KiB."


def bounded(data: dict[str, Any], max_bytes: int = MAX_VERDICT_BYTES) -> dict[str, Any]:
    """The verdict JSON made safe to store and show: valid UTF-8 without NUL, finite numbers, and at
    most ``max_bytes`` of JSON. Too long, the longest texts are cut (each with a note saying so);
    if that is not enough, the longest lists too (with a note in ``feedback``), and as a last
    resort only the headline and the case outcomes are kept. Never raises for a verdict-shaped dict."""
    clean: dict[str, Any] = _clean(data)
    if _size(clean) <= max_bytes:
        return clean
    texts = _most(_longest(clean), lambda n: _size(_cut_strings(clean, n)) <= max_bytes)
    cut: dict[str, Any] = _cut_strings(clean, texts)
    if _size(cut) <= max_bytes:
        return cut

    def with_note(value: dict[str, Any]) -> dict[str, Any]:
        feedback = value.get("feedback")
        return {**value, "feedback": [*(feedback if isinstance(feedback, list) else []), _LISTS_NOTE]}

    items = _most(
        _longest(clean, list),
        lambda n: _size(with_note(_cut_strings(_cut_lists(clean, n), 500))) <= max_bytes,
    )
    if items:
        fewer = _cut_lists(clean, items)
        texts = _most(_longest(fewer), lambda n: _size(with_note(_cut_strings(fewer, n))) <= max_bytes)
        cut = with_note(_cut_strings(fewer, texts))
        if _size(cut) <= max_bytes:
            return cut
    # Not texts but too many items: keep the headline, the case outcomes and the first feedback.
    note = "The rest of this verdict was too large to keep (over 256 KiB) and was left out."
    cases = [
        {k: c.get(k) for k in ("name", "passed", "hidden")} | {"message": ""}
        for c in clean.get("cases", [])
        if isinstance(c, dict)
    ]
    feedback = clean.get("feedback")
    first = feedback[:1] if isinstance(feedback, list) else []
    small = {
        k: v for k, v in clean.items() if not isinstance(v, list | dict | str) or k in ("exercise", "status")
    }
    slim = {
        **small,
        "cases": cases,
        "feedback": _cut_strings([*first, note], 2000),
        "output": "",
        "mistakes": [],
    }
    if _size(slim) <= max_bytes:
        return slim
    return {**small, "cases": [], "feedback": [note], "output": "", "mistakes": []}
