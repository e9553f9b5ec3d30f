"""Trusted comparison of a submission's returned values with the reference's.

Values arrive as plain data (see :mod:`graders.wire`), so every array here is a base
``ndarray`` built by the grader. Each check is strict and explained in plain words:
containers must have the same kind and length (dicts: every expected key), arrays the
exact shape (no broadcasting) and a compatible dtype, values must be finite where the
expected ones are, and finite values must satisfy ``|got - expected| <= atol + rtol*|expected|``.
Non-finite values must match exactly (NaN with NaN, +inf with +inf), which lets a named
mistake that overflows be recognised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders.exercise import OutputPath
from graders.wire import Unsupported

_MISSING = object()


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance for numeric comparison."""

    rtol: float
    atol: float


@dataclass(frozen=True)
class Mismatch:
    """Why one graded output is wrong (``label`` names the exact part, e.g. ``cache[2][0]``)."""

    label: str
    problem: str
    max_error: float | None = None
    index: tuple[int, ...] | None = None
    got: float | None = None
    expected: float | None = None


def describe(value: Any) -> str:
    """A short plain-words description of a value's kind (never its contents)."""
    if value is None:
        return "None"
    if isinstance(value, Unsupported):
        return f"a {value.type_name}" + (f" ({value.detail})" if value.detail else "")
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, bool | np.bool_):
        return "a bool"
    if isinstance(value, int | float | np.number):
        return f"a number ({type(value).__name__})"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)[:8]}"
    return f"a {type(value).__name__}"


def expectation(value: Any) -> str:
    """What an expected value looks like, in words (never its contents)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)}"
    if isinstance(value, int | float | np.number):
        return "a number"
    return describe(value)


def path_label(root: str, path: OutputPath) -> str:
    """``root[0]['Wax']``-style label for a path."""
    return root + "".join(f"[{p!r}]" for p in path)


def resolve(value: Any, path: OutputPath, root: str) -> tuple[Any, str]:
    """Follow ``path`` into ``value``; return (the part, '') or (missing, a plain-words problem)."""
    here = value
    for depth, step in enumerate(path):
        found = (
            isinstance(here, tuple | list) and step < len(here)
            if isinstance(step, int)
            else isinstance(here, dict) and step in here
        )
        if not found:  # the label is only built for the problem, not on every step
            return _MISSING, _missing_part(here, step, path_label(root, path[:depth]))
        here = here[step]
    return here, ""


def _missing_part(here: Any, step: int | str, label: str) -> str:
    if isinstance(step, int):
        if not isinstance(here, tuple | list):
            return f"{label} is {describe(here)}; expected a tuple"
        need = f"{step + 1} item{'s' if step else ''}"
        return f"{label} has {len(here)} item{'s' if len(here) != 1 else ''}; expected at least {need}"
    if not isinstance(here, dict):
        return f"{label} is {describe(here)}; expected a dict with the key {step!r}"
    return f"{label} has no key {step!r}"


def compare(got: Any, expected: Any, tol: Tolerance, label: str) -> Mismatch | None:
    """``None`` if ``got`` matches ``expected``; otherwise the first problem found."""
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list):
            return Mismatch(label, f"{label} is {describe(got)}; expected {expectation(expected)}")
        if _is_int_sequence(expected) and _is_int_sequence(got):
            return _compare_draws(list(got), list(expected), label)
        if len(got) != len(expected):
            items = f"{len(got)} item{'s' if len(got) != 1 else ''}"
            return Mismatch(label, f"{label} has {items}; expected {len(expected)}")
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            if found := compare(g, e, tol, f"{label}[{i}]"):
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch(label, f"{label} is {describe(got)}; expected {expectation(expected)}")
        missing = [k for k in expected if k not in got]
        if missing:
            keys = ", ".join(repr(k) for k in missing)
            return Mismatch(label, f"{label} is missing the key{'s' if len(missing) > 1 else ''} {keys}")
        for key, e in expected.items():
            if found := compare(got[key], e, tol, f"{label}[{key!r}]"):
                return found
        return None
    if expected is None or isinstance(expected, str):
        ok = got is None if expected is None else got == expected
        return None if ok else Mismatch(label, f"{label} is {describe(got)}; expected {expected!r}")
    return _compare_numeric(got, expected, tol, label)


def matches(got: Any, expected: Any, tol: Tolerance) -> bool:
    """Whether :func:`compare` finds no problem; quicker when two float arrays differ, as no words are
    needed (naming a known mistake asks this many times per grading)."""
    if _float_arrays(got, expected):
        with np.errstate(invalid="ignore", over="ignore"):
            if _inside(np.abs(got - expected), expected, tol):
                return True
        if np.isfinite(got).all() and np.isfinite(expected).all():
            return False  # all finite, so some value is outside the tolerance
    return compare(got, expected, tol, "value") is None


def _float_arrays(got: Any, expected: Any) -> bool:
    """Both plain float arrays of one shape: the usual graded output, checked on the quick paths."""
    return (
        type(got) is np.ndarray
        and type(expected) is np.ndarray
        and got.shape == expected.shape
        and got.dtype.kind == "f"
        and expected.dtype.kind == "f"
    )


def _inside(diff: np.ndarray[Any, Any], expected: np.ndarray[Any, Any], tol: Tolerance) -> bool:
    """Every |yours - expected| (``diff``) within the tolerance of its expected value, and every bound
    finite: False for any NaN, and where an infinity is expected (its bound ``rtol·|inf|`` is infinite,
    so 5 or -inf would pass for +inf). The callers silence NumPy's warnings for inf - inf."""
    limit = tol.atol + tol.rtol * np.abs(expected)
    return bool((diff <= limit).all() and np.isfinite(limit).all())


def _is_int_sequence(value: Any) -> bool:
    """A non-empty list or tuple of plain integers (e.g. sampled indices), compared draw by draw."""
    return (
        isinstance(value, tuple | list)
        and len(value) > 0
        and all(isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) for v in value)
    )


def first_difference(got: Sequence[Any], expected: Sequence[Any]) -> int | None:
    """The first position where two integer sequences differ (a length difference counts); None if equal."""
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        if int(g) != int(e):
            return i
    return None if len(got) == len(expected) else min(len(got), len(expected))


def _compare_draws(got: list[Any], expected: list[Any], label: str) -> Mismatch | None:
    step = first_difference(got, expected)
    if step is None:
        return None
    agree = "none of the items match" if step == 0 else f"the first {step} match"
    if step < len(got) and step < len(expected):
        found = f"{label}[{step}] is {int(got[step])}; expected {int(expected[step])} ({agree})"
        return Mismatch(label, found, index=(step,), got=float(got[step]), expected=float(expected[step]))
    if len(got) > len(expected):
        return Mismatch(
            label, f"{label} has {len(got)} items; expected {len(expected)}: it goes on after the last one "
            f"({agree})", index=(step,)
        )
    early = f"{label} has {len(got)} items; expected {len(expected)}: it stops early ({agree})"
    return Mismatch(label, early, index=(step,))


def _kind_problem(got: np.ndarray[Any, Any], expected: np.ndarray[Any, Any], label: str) -> str:
    g, e = got.dtype.kind, expected.dtype.kind
    compatible = {"f": "f", "i": "iu", "u": "iu", "b": "b", "c": "fc"}.get(e, e)
    if g in compatible:
        return ""
    names = {
        "f": "floating-point numbers",
        "i": "integers",
        "u": "integers",
        "b": "booleans",
        "c": "complex numbers",
    }
    got_words, expected_words = names.get(g, str(got.dtype)), names.get(e, str(expected.dtype))
    return f"{label} holds {got_words} (dtype {got.dtype}); expected {expected_words}"


def _compare_numeric(got: Any, expected: Any, tol: Tolerance, label: str) -> Mismatch | None:
    exp = np.asarray(expected)
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            hint = " (is a line still `= None`?)" if got is None else ""
            return Mismatch(label, f"{label} is {describe(got)}; expected {expectation(expected)}{hint}")
    elif not (
        isinstance(got, int | float | np.number | np.bool_)
        or (isinstance(got, np.ndarray) and got.shape == ())
    ):
        return Mismatch(label, f"{label} is {describe(got)}; expected a number")
    arr = np.asarray(got)
    if problem := _kind_problem(arr, exp, label):
        return Mismatch(label, problem)
    if arr.shape != exp.shape:
        hint = ""
        if arr.shape == exp.shape[::-1] and arr.ndim == 2:
            hint = " (transposed?)"
        elif arr.size != exp.size:
            hint = " (shapes must match exactly; broadcasting is not applied)"
        return Mismatch(label, f"{label} has shape {arr.shape}; expected {exp.shape}{hint}")
    wide = np.complex128 if arr.dtype.kind == "c" or exp.dtype.kind == "c" else np.float64
    g = arr.astype(wide, copy=False)
    e = exp.astype(g.dtype, copy=False)
    with np.errstate(invalid="ignore", over="ignore"):
        if _inside(np.abs(g - e), e, tol):  # the quick path; anything else is looked at below
            return None
    g_fin, e_fin = np.isfinite(g), np.isfinite(e)
    if (bad := ~g_fin & e_fin).any():
        idx = _index(np.argmax(bad), arr.shape)
        kind = "NaN" if np.isnan(g[idx]) else "infinity"
        return Mismatch(label, f"{label} contains {kind} at index {idx}; expected finite values", index=idx)
    if (odd := ~e_fin & ~((np.isnan(g) & np.isnan(e)) | (g == e))).any():
        idx = _index(np.argmax(odd), arr.shape)
        return Mismatch(label, f"{label} has {g[idx]} at index {idx}; expected {e[idx]}", index=idx)
    both = g_fin & e_fin
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf where both are the same infinity
        diff = np.where(both, np.abs(g - e), 0.0)
    outside = diff > tol.atol + tol.rtol * np.where(both, np.abs(e), 0.0)
    if not outside.any():
        return None
    idx = _index(np.argmax(diff), arr.shape)
    count, size = int(outside.sum()), int(arr.size)
    where = f" at index {idx}" if arr.shape else ""
    return Mismatch(
        label,
        f"{label} differs: largest error {float(diff[idx]):.3g}{where}; "
        f"{count} of {size} value{'s' if size > 1 else ''} "
        "outside the tolerance",
        max_error=float(diff[idx]),
        index=idx,
        got=complex(g[idx]).real if g.dtype.kind == "c" else float(g[idx]),
        expected=complex(e[idx]).real if e.dtype.kind == "c" else float(e[idx]),
    )


def _index(flat: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()


# --- Pictures of the difference: bounded facts about one graded output, for the verdict JSON ---

GRID_ROWS, GRID_COLS = 32, 64  # the most cells a stored |yours - expected| grid has per side
WORST_ENTRIES = 5  # entries listed (index, yours, expected) for a wrong public output


@dataclass(frozen=True)
class Worst:
    """One entry of a wrong output: where it is, what was returned and what was expected."""

    index: tuple[int, ...]
    yours: float | str | None
    expected: float | str | None
    error: float | None  # |yours - expected|; None when one of them is not finite


@dataclass(frozen=True)
class DiffGrid:
    """|yours - expected| laid out as rows x columns, max-pooled to at most GRID_ROWS x GRID_COLS.

    The last axis is the columns (the time axis of a sequence); the other axes are flattened into the
    rows in C order. Each cell covers ``row_block`` x ``col_block`` entries; ``cells`` hold the
    largest |difference| in the block (None where a value is not finite and should be), ``outside``
    one string of '0'/'1' per row: whether any entry of the cell is outside the tolerance.
    """

    shape: tuple[int, ...]
    row_block: int
    col_block: int
    cells: tuple[tuple[float | None, ...], ...]
    outside: tuple[str, ...]
    time_axis: bool

    @property
    def size(self) -> int:
        """How many cells the grid holds."""
        return sum(len(row) for row in self.cells)


@dataclass(frozen=True)
class Difference:
    """How ``yours`` differs from ``expected`` for one output of equal shape and numeric kind."""

    shape: tuple[int, ...]
    max_abs_error: float | None  # None when the worst entry is a NaN or an infinity that should not be
    worst_index: tuple[int, ...]
    yours: float | str | None
    expected: float | str | None
    outside_count: int
    first_wrong_step: int | None
    worst: tuple[Worst, ...]
    grid: DiffGrid | None


def _plain(value: Any) -> float | str | None:
    """A JSON-safe number: finite floats as is, NaN and infinities as 'nan', 'inf', '-inf'."""
    number = complex(value).real if np.iscomplexobj(value) else float(value)
    if np.isfinite(number):
        return float(f"{number:.6g}")
    return "nan" if np.isnan(number) else ("inf" if number > 0 else "-inf")


def _round(value: float) -> float:
    return float(f"{value:.3g}")


def difference(got: Any, expected: Any, tol: Tolerance, *, grid: bool = True) -> Difference | None:
    """The facts behind a picture of ``got`` vs ``expected``; None unless both are numeric and the same shape.

    A 3-D array is a sequence laid out as (features, examples, time): its ``first_wrong_step`` is the
    first index on the last axis where any value is outside the tolerance (None when right). Only
    bounded summaries are kept: the worst few entries and a pooled grid, never the whole arrays.
    """
    if _is_int_sequence(got) and _is_int_sequence(expected):
        return _draw_difference(list(got), list(expected))
    numeric = (int, float, np.number, np.ndarray)
    if isinstance(got, bool | np.bool_) or isinstance(expected, bool | np.bool_):
        return None
    if not isinstance(got, numeric) or not isinstance(expected, numeric):
        return None
    g_arr, e_arr = np.asarray(got), np.asarray(expected)
    if g_arr.shape != e_arr.shape or g_arr.dtype.kind not in "iufc" or e_arr.dtype.kind not in "iufc":
        return None
    wide = np.complex128 if g_arr.dtype.kind == "c" or e_arr.dtype.kind == "c" else np.float64
    g, e = g_arr.astype(wide), e_arr.astype(wide)
    if g.size and (right := _within(g, e, tol)) is not None:
        return right
    with np.errstate(invalid="ignore", over="ignore"):
        g_fin, e_fin = np.isfinite(g), np.isfinite(e)
        both = g_fin & e_fin
        same_special = ~e_fin & ((np.isnan(g) & np.isnan(e)) | (g == e))
        diff = np.where(both, np.abs(np.where(both, g, 0) - np.where(both, e, 0)), 0.0).astype(np.float64)
        outside = (both & (diff > tol.atol + tol.rtol * np.where(both, np.abs(e), 0.0))) | (
            ~both & ~same_special
        )
    # Rank entries by error; a NaN or infinity where it should not be ranks above every finite error.
    badness = np.where(~both & ~same_special, np.inf, diff)
    flat = badness.reshape(-1)
    shape = tuple(int(n) for n in g.shape)
    worst_flat = int(np.argmax(flat)) if flat.size else 0
    worst_index = _index(worst_flat, shape)
    sequence = g.ndim == 3
    step = None
    if sequence and outside.any():
        step = int(np.argmax(outside.reshape(-1, shape[-1]).any(axis=0)))
    worst: list[Worst] = []
    count = int(outside.sum())
    if count:
        order = np.argsort(-flat, kind="stable")[: min(WORST_ENTRIES, count)]
        for f in order:
            idx = _index(int(f), shape)
            err = float(flat[f])
            worst.append(
                Worst(idx, _plain(g[idx]), _plain(e[idx]), _round(err) if np.isfinite(err) else None)
            )
    top = float(flat[worst_flat]) if flat.size else 0.0
    return Difference(
        shape=shape,
        max_abs_error=_round(top) if np.isfinite(top) else None,
        worst_index=worst_index,
        yours=_plain(g[worst_index]) if flat.size else None,
        expected=_plain(e[worst_index]) if flat.size else None,
        outside_count=count,
        first_wrong_step=step,
        worst=tuple(worst),
        grid=_grid(badness, outside, sequence) if grid and count and g.ndim >= 1 else None,
    )


def right_everywhere(got: Any, expected: Any, tol: Tolerance) -> Difference | None:
    """The facts of ``got`` when it is a float array that :func:`compare` accepts at once (same shape,
    every value finite and inside the tolerance); None otherwise, when the two functions say more.

    One pass that decides an output right and gives its :func:`difference`, for the usual case.
    """
    return _within(got, expected, tol) if _float_arrays(got, expected) and got.size else None


def _within(g: np.ndarray[Any, Any], e: np.ndarray[Any, Any], tol: Tolerance) -> Difference | None:
    """The facts of an output that is right everywhere (every value finite and inside the tolerance),
    with a handful of array operations; None when some value is not, for the full treatment."""
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(g - e)
        if not _inside(diff, e, tol):
            return None
    shape = tuple(int(n) for n in g.shape)
    worst_flat = int(np.argmax(diff))
    index = _index(worst_flat, shape)
    return Difference(
        shape=shape,
        max_abs_error=_round(float(diff.reshape(-1)[worst_flat])),
        worst_index=index,
        yours=_plain(g[index]),
        expected=_plain(e[index]),
        outside_count=0,
        first_wrong_step=None,
        worst=(),
        grid=None,
    )


def _draw_difference(got: list[Any], expected: list[Any]) -> Difference | None:
    """Integer sequences (draws in time order): the first differing draw is the first wrong step."""
    step = first_difference(got, expected)
    if step is None:
        return None

    def at(values: list[Any], i: int) -> float | None:
        return float(int(values[i])) if i < len(values) else None

    wrong = [i for i in range(max(len(got), len(expected))) if at(got, i) != at(expected, i)]
    worst = tuple(
        Worst((i,), at(got, i), at(expected, i), None) for i in wrong[:WORST_ENTRIES]
    )
    return Difference(
        shape=(len(got),),
        max_abs_error=None,
        worst_index=(step,),
        yours=at(got, step),
        expected=at(expected, step),
        outside_count=len(wrong),
        first_wrong_step=step,
        worst=worst,
        grid=None,
    )


def _grid(badness: np.ndarray[Any, Any], outside: np.ndarray[Any, Any], time_axis: bool) -> DiffGrid:
    shape = tuple(int(n) for n in badness.shape)
    cols = shape[-1]
    table = badness.reshape(-1, cols)
    over = outside.reshape(-1, cols)
    rows = table.shape[0]
    rb, cb = -(-rows // GRID_ROWS), -(-cols // GRID_COLS)
    cells: list[tuple[float | None, ...]] = []
    marks: list[str] = []
    for r in range(0, rows, rb):
        line: list[float | None] = []
        mark = []
        for c in range(0, cols, cb):
            block = float(table[r : r + rb, c : c + cb].max())
            line.append(_round(block) if np.isfinite(block) else None)
            mark.append("1" if over[r : r + rb, c : c + cb].any() else "0")
        cells.append(tuple(line))
        marks.append("".join(mark))
    return DiffGrid(shape, rb, cb, tuple(cells), tuple(marks), time_axis)
