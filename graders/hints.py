"""Advice for code that comes from a notebook, read from the submitted source on the trusted side.

The source is only parsed with :mod:`ast`, never run. Each hint names the line it is about:

- a name still missing (``NameError``): which earlier cell or import of the notebook it comes from;
- an unfilled placeholder (``x = None``, ``for t in range(None)``) left in any function;
- ``caches`` passed to a step function where one step's ``caches[t]`` is meant;
- ``c = a`` aliasing two arrays that are then written into, so both outputs are the same array;
- top-level lines (test calls, prints, notebook magics and shell lines) that broke the loading.

Hints are added only to verdicts that did not pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import cast

from graders.verdict import Verdict

MAX_LINES_SHOWN = 4
_NAME_ERROR = re.compile(r"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")
_ALLOCATORS = frozenset({"zeros", "empty", "ones", "zeros_like", "empty_like", "ones_like", "full", "array"})
# Helpers of the Dinosaur Island notebook's `from utils import *`, which the grader does not have.
_UTILS_HELPERS = frozenset(
    {"smooth", "print_sample", "get_initial_loss", "initialize_parameters", "rnn_step_forward",
     "rnn_step_backward", "rnn_forward", "rnn_backward", "update_parameters", "get_sample"}
)
_LOADING = "Your file raised an exception while it was loading"


def _line(lines: list[str], number: int) -> str:
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return text if len(text) <= 80 else text[:77] + "..."


def _messages(verdict: Verdict) -> Iterable[str]:
    yield from verdict.feedback
    for case in verdict.cases:
        yield case.message


def name_error_hints(verdict: Verdict, functions: dict[str, str]) -> list[str]:
    """For each name a ``NameError`` says is missing: where the notebook defines or imports it.

    ``functions`` maps the catalogue's graded function names to their exercise titles.
    """
    found = (m.group(1) for text in _messages(verdict) for m in _NAME_ERROR.finditer(text))
    missing = list(dict.fromkeys(found))
    hints = []
    for name in missing[:3]:
        if name in functions:
            hints.append(
                f"`{name}` is not defined in your file: it is the function of the exercise "
                f"\u201c{functions[name]}\u201d, defined in an earlier cell of the notebook. Paste that "
                "function above yours, or upload the whole notebook so the platform finds it."
            )
        elif name.endswith("_tmp") or name.endswith("_test"):
            hints.append(
                f"`{name}` is not defined in your file: it comes from one of the notebook's test cells. "
                "Your function should use only its arguments; remove the lines that use it."
            )
        elif name in _UTILS_HELPERS:
            hints.append(
                f"`{name}` is not defined in your file: in the notebook it comes from `from utils import *` "
                "in the first cell, which the grader does not provide. Paste its definition above your "
                "function."
            )
        else:
            hints.append(
                f"`{name}` is not defined in your file. In the notebook it comes from an earlier cell or an "
                "import in the first cell: paste that definition or import above your function, or upload "
                "the whole notebook so the platform takes what your function uses. (`np`, `copy`, `math`, "
                "`random`, `sigmoid` and `softmax` are always available, as in the notebook.)"
            )
    return hints


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _placeholder(node: ast.AST) -> bool:
    """``x = None``, ``x += None``, ``for t in None``, ``f(None, None)`` or a bare ``None`` line."""
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Expr):
        return _is_none(node.value)
    if isinstance(node, ast.For):
        return _is_none(node.iter)
    return isinstance(node, ast.Call) and bool(node.args) and all(_is_none(a) for a in node.args)


def placeholder_hints(tree: ast.Module, lines: list[str]) -> list[str]:
    """Lines still holding the starter's ``None`` placeholders."""
    nodes = (node for node in ast.walk(tree) if isinstance(node, ast.stmt | ast.expr))
    numbers = sorted({node.lineno for node in nodes if _placeholder(node)})
    if not numbers:
        return []
    shown = "; ".join(f"line {n}: `{_line(lines, n)}`" for n in numbers[:MAX_LINES_SHOWN])
    more = f" and {len(numbers) - MAX_LINES_SHOWN} more" if len(numbers) > MAX_LINES_SHOWN else ""
    return [
        f"Some lines still hold the starter's `None` placeholders ({shown}{more}). Replace each `None` "
        "between ### START CODE HERE ### and ### END CODE HERE ### with your code."
    ]


def caches_hints(tree: ast.Module, lines: list[str]) -> list[str]:
    """Calls inside a loop that pass the whole ``caches`` where one step's ``caches[t]`` is meant."""
    hints = []
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For | ast.While):
            continue
        for node in ast.walk(loop):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if any(isinstance(arg, ast.Name) and arg.id == "caches" for arg in node.args):
                hints.append(
                    f"Line {node.lineno} passes `caches` to {node.func.id} (`{_line(lines, node.lineno)}`). "
                    "One step takes its own cache, `caches[t]`: after `(caches, x) = caches`, `caches` is "
                    "the list of every step's cache."
                )
    return list(dict.fromkeys(hints))[:2]


def alias_hints(tree: ast.Module, lines: list[str]) -> list[str]:
    """``c = a`` where ``a`` is an array the function allocated and one of them is then written into."""
    hints = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        allocated: set[str] = set()
        written: set[str] = set()  # names written into by subscript: `a[t] = ...`, `a[0] += ...`
        copies: list[ast.Assign] = []  # `c = a`
        for node in ast.walk(function):  # one walk: a file's hints are computed on every failed grading
            if isinstance(node, ast.Assign):
                targets = node.targets
                if (
                    isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Attribute)
                    and node.value.func.attr in _ALLOCATORS
                ):
                    allocated.update(t.id for t in targets if isinstance(t, ast.Name))
                copy = len(targets) == 1 and isinstance(targets[0], ast.Name)
                if copy and isinstance(node.value, ast.Name):
                    copies.append(node)
            elif isinstance(node, ast.AugAssign):
                targets = [node.target]
            else:
                continue
            written.update(
                t.value.id for t in targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
            )
        for node in copies:
            target, source = cast(ast.Name, node.targets[0]).id, cast(ast.Name, node.value).id
            if source in allocated and {target, source} & written:
                hints.append(
                    f"Line {node.lineno}: `{target} = {source}` makes {target} and {source} the same array, "
                    f"so writing into one overwrites the other and both outputs come out identical. Give "
                    f"{target} its own array, e.g. `{target} = np.zeros(...)`."
                )
    return hints[:2]


def top_level_hints(tree: ast.Module | None, lines: list[str], function: str) -> list[str]:
    """What to remove when top-level lines (tests, prints, notebook commands) broke the loading."""
    if tree is None:
        magic = [n for n, text in enumerate(lines, 1) if text.lstrip().startswith(("%", "!"))]
        if not magic:
            return []
        shown = ", ".join(str(n) for n in magic[:MAX_LINES_SHOWN])
        return [
            f"Line{'s' if len(magic) > 1 else ''} {shown} {'are' if len(magic) > 1 else 'is a'} notebook "
            f"command{'s' if len(magic) > 1 else ''} (magic or shell line), not Python: remove "
            f"{'them' if len(magic) > 1 else 'it'}, or upload the notebook itself (.ipynb)."
        ]
    kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    extra = [
        node.lineno
        for node in tree.body
        if not isinstance(node, kept)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        and not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant))
    ]
    if not extra:
        return []
    shown = "; ".join(f"line {n}: `{_line(lines, n)}`" for n in extra[:MAX_LINES_SHOWN])
    return [
        f"Your file runs top-level code besides its definitions ({shown}), and it crashed before {function} "
        "was called. Keep only imports and function definitions: remove test calls, prints and other "
        "top-level lines, or upload the notebook itself (.ipynb) and the platform keeps only what "
        f"{function} uses."
    ]


def advise(verdict: Verdict, code: str, function: str, functions: dict[str, str]) -> list[str]:
    """The notebook hints for a verdict that did not pass (none for one that did)."""
    if verdict.status in ("passed", "rejected"):
        return []
    lines = code.split("\n")
    try:
        tree: ast.Module | None = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    hints = name_error_hints(verdict, functions)
    if any(text.startswith(_LOADING) for text in verdict.feedback) or (tree is None):
        hints += top_level_hints(tree, lines, function)
    if tree is not None:
        hints += placeholder_hints(tree, lines) + caches_hints(tree, lines) + alias_hints(tree, lines)
    return hints
