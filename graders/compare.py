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
        label = path_label(root, path[:depth])
        if isinstance(step, int):
            if not isinstance(here, tuple | list):
                return _MISSING, f"{label} is {describe(here)}; expected a tuple"
            if step >= len(here):
                need = f"{step + 1} item{'s' if step else ''}"
                return (
                    _MISSING,
                    f"{label} has {len(here)} item{'s' if len(here) != 1 else ''}; expected at least {need}",
                )
        elif not isinstance(here, dict):
            return _MISSING, f"{label} is {describe(here)}; expected a dict with the key {step!r}"
        elif step not in here:
            return _MISSING, f"{label} has no key {step!r}"
        here = here[step]
    return here, ""


def compare(got: Any, expected: Any, tol: Tolerance, label: str) -> Mismatch | None:
    """``None`` if ``got`` matches ``expected``; otherwise the first problem found."""
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list):
            return Mismatch(label, f"{label} is {describe(got)}; expected {expectation(expected)}")
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
        if np.all(np.abs(g - e) <= tol.atol + tol.rtol * np.abs(e)):  # fast path; False for any NaN or inf
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
