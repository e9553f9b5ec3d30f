"""Plain-text rendering of values for case messages (public cases only show inputs and expectations)."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.compare import Mismatch


def show(value: Any, indent: str = "    ") -> str:
    """A compact, bounded text form of a value (arrays are summarised beyond 60 elements)."""
    if isinstance(value, np.ndarray):
        text = np.array2string(
            value, precision=5, threshold=60, edgeitems=3, max_line_width=100, suppress_small=True
        )
        return f"array of shape {value.shape}:\n" + "\n".join(indent + line for line in text.splitlines())
    if isinstance(value, dict):
        return "dict:\n" + "\n".join(
            f"{indent}[{k!r}] = {show(v, indent + '    ')}" for k, v in value.items()
        )
    if isinstance(value, tuple | list):
        inner = "\n".join(f"{indent}[{i}] = {show(v, indent + '    ')}" for i, v in enumerate(value))
        return f"{type(value).__name__} of {len(value)}:\n{inner}"
    return repr(value)[:200]


def show_inputs(names: tuple[str, ...], args: tuple[Any, ...]) -> str:
    """``Inputs:`` block listing each argument by name."""
    lines = ["Inputs:"]
    for i, arg in enumerate(args):
        name = names[i] if i < len(names) else f"arg{i}"
        lines.append(f"  {name} = {show(arg)}")
    return "\n".join(lines)


def join_names(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def case_summary(wrong: list[Mismatch], right: list[str]) -> str:
    """E.g. ``yt_pred differs: largest error 0.3 at index (1, 2); ...; a_next and cache[0] are right.``"""
    parts = [m.problem for m in wrong]
    if right:
        verb = "is" if len(right) == 1 else "are"
        parts.append(f"{join_names(right)} {verb} right")
    return "; ".join(parts) + "."


def show_expected(wrong: list[tuple[str, Mismatch, Any, Any]]) -> str:
    """For public cases: the expected value of each wrong output, next to what was returned."""
    blocks = []
    for name, mismatch, got, expected in wrong:
        block = f"Expected {name} = {show(expected)}"
        if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and got.shape == expected.shape:
            block += f"\nYour {name} = {show(got)}"
        if mismatch.got is not None and mismatch.index is not None:
            block += (
                f"\n(at index {mismatch.index}: yours {mismatch.got:.6g}, expected {mismatch.expected:.6g})"
            )
        blocks.append(block)
    return "\n".join(blocks)
