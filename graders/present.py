"""Plain-text rendering of case messages (public cases only show inputs and expectations).

Output and function names are identifiers: they are never capitalised, so no sentence here
starts with one ("Output c_next differs", not "C_next differs").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.compare import Mismatch

MAX_CASE_MESSAGE = 8000  # characters in one case's message, inputs and expected values included
_KINDS = {dict: "dict", list: "list", tuple: "tuple"}


def show(value: Any, indent: str = "    ", label: str = "", seen: dict[int, str] | None = None) -> str:
    """A compact, bounded text form of a value (arrays are summarised beyond 60 elements).

    An array, dict, list or tuple met again (the same object, e.g. the parameters dict held by
    every cache) is shown once; later it reads ``same dict as caches[0][0][3]``. ``label`` is
    where ``value`` sits, ``seen`` what was shown already and where.
    """
    seen = {} if seen is None else seen
    if isinstance(value, np.ndarray | dict | list | tuple):
        if id(value) in seen:
            kind = "array" if isinstance(value, np.ndarray) else _KINDS.get(type(value), type(value).__name__)
            return f"(same {kind} as {seen[id(value)]})"
        if label:
            seen[id(value)] = label
    if isinstance(value, np.ndarray):
        text = np.array2string(
            value, precision=5, threshold=60, edgeitems=3, max_line_width=100, suppress_small=True
        )
        return f"array of shape {value.shape}:\n" + "\n".join(indent + line for line in text.splitlines())
    if isinstance(value, dict):
        return "dict:\n" + "\n".join(
            f"{indent}[{k!r}] = {show(v, indent + '    ', f'{label}[{k!r}]' if label else '', seen)}"
            for k, v in value.items()
        )
    if isinstance(value, tuple | list):
        inner = "\n".join(
            f"{indent}[{i}] = {show(v, indent + '    ', f'{label}[{i}]' if label else '', seen)}"
            for i, v in enumerate(value)
        )
        return f"{type(value).__name__} of {len(value)}:\n{inner}"
    return repr(value)[:200]


def show_inputs(names: tuple[str, ...], args: tuple[Any, ...]) -> str:
    """``Inputs:`` block listing each argument by name (a repeated object is shown once)."""
    lines, seen = ["Inputs:"], dict[int, str]()
    for i, arg in enumerate(args):
        name = names[i] if i < len(names) else f"arg{i}"
        lines.append(f"  {name} = {show(arg, label=name, seen=seen)}")
    return "\n".join(lines)


def join_names(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def sentence(mismatch: Mismatch) -> str:
    """One wrong output's problem as a sentence that does not start with an identifier."""
    if mismatch.problem.startswith(mismatch.label):
        return f"Output {mismatch.problem}."
    return f"{mismatch.problem}."  # e.g. "The returned value is None; expected a tuple."


def case_summary(wrong: list[Mismatch], right: list[str]) -> str:
    """E.g. ``Output yt_pred differs: largest error 0.3 at index (1, 2); .... Outputs a_next and
    cache[0] are right.``"""
    parts = [sentence(m) for m in wrong]
    if right:
        parts.append(
            f"Output {right[0]} is right." if len(right) == 1 else f"Outputs {join_names(right)} are right."
        )
    return " ".join(parts)


def show_expected(
    wrong: list[tuple[str, Mismatch, Any, Any]], shown: Callable[[str, Any], str] | None = None
) -> str:
    """For public cases: the expected value of each wrong output, next to what was returned.

    ``shown(name, expected)`` may give the expected value's text (kept from an earlier grading).
    """
    blocks = []
    for name, mismatch, got, expected in wrong:
        block = f"Expected {name} = {shown(name, expected) if shown else show(expected)}"
        if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and got.shape == expected.shape:
            block += f"\nYour {name} = {show(got)}"
        if mismatch.got is not None and mismatch.index is not None:
            block += (
                f"\n(at index {mismatch.index}: yours {mismatch.got:.6g}, expected {mismatch.expected:.6g})"
            )
        blocks.append(block)
    return "\n".join(blocks)


def fit(parts: list[str], limit: int = MAX_CASE_MESSAGE) -> str:
    """Join ``parts`` with newlines in at most ``limit`` characters.

    Short parts are kept whole; the long ones share what is left equally and are cut at a line
    boundary, with a line saying how much was left out.
    """
    text = "\n".join(parts)
    if len(text) <= limit:
        return text
    budget = limit - (len(parts) - 1)
    sizes = dict.fromkeys(range(len(parts)), 0)
    for left, i in enumerate(sorted(sizes, key=lambda i: len(parts[i]))):
        sizes[i] = min(len(parts[i]), budget // (len(parts) - left))
        budget -= sizes[i]
    return "\n".join(_cut(part, sizes[i]) for i, part in enumerate(parts))


def _cut(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    lines, kept, used = text.split("\n"), list[str](), 0
    for line in lines:
        note = f"[… {len(lines) - len(kept)} more lines not shown]"
        if used + len(line) + 1 + len(note) > size:
            break
        kept.append(line)
        used += len(line) + 1
    if not kept:  # not even one line fits: cut inside it
        return text[: max(0, size - 1)] + "…"
    return "\n".join([*kept, f"[… {len(lines) - len(kept)} more lines not shown]"])


def step_sentence(name: str, step: int) -> str:
    """Where a sequence output first goes wrong, e.g. ``Your a is right for t = 0 and wrong from t = 1 on.``

    ``t`` is the index on the output's last (time) axis.
    """
    if step <= 0:
        return f"Your {name} is wrong from the first step (t = 0) on."
    right = "t = 0" if step == 1 else f"t = 0 to {step - 1}"
    return f"Your {name} is right for {right} and wrong from t = {step} on."
