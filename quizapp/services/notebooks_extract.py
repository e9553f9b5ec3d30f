"""Reading an uploaded Jupyter notebook and extracting, per graded function, the code to grade.

A notebook is read with ``nbformat`` (version 4), its outputs stripped, and every code cell parsed
with :mod:`ast` after IPython-only lines (magics ``%...``, cell magics ``%%...``, shell lines
``!...``, help ``?``) are blanked. For each catalogue function the notebook defines (the last
definition in cell order wins, as when the notebook runs top to bottom), the extracted code is
that function plus what it uses from any cell, transitively: helper functions and classes,
module imports and simple constants (``maxValue = 10``). Test calls, prints and every other
top-level statement are left out, so an unfinished or crashing cell costs only its own exercise.

A cell that does not parse still counts for the functions it defines (found with
:mod:`tokenize`): its text is submitted as is, so the grader reports the syntax error and its line.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import nbformat

from quizapp.errors import PayloadTooLarge, ValidationFailed

MAX_NOTEBOOK_BYTES = 1 << 20
# Modules a submission may import in the sandbox besides the standard library.
SANDBOX_MODULES = frozenset({"numpy", "rnn_utils"})
_DEF = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class _Item:
    """One top-level statement kept from a cell: a definition, an import or a literal constant."""

    cell: int
    line: int
    text: str
    node: ast.stmt | None  # None: a cell that does not parse, kept whole


@dataclass
class _Index:
    """What the notebook's cells define at top level, the last definition of a name winning."""

    defs: dict[str, _Item] = field(default_factory=dict)
    imports: dict[str, _Item] = field(default_factory=dict)
    star_imports: list[_Item] = field(default_factory=list)
    consts: dict[str, _Item] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)  # names only left-out top-level code sets: cell


@dataclass(frozen=True)
class Extraction:
    """Per graded function found: the code to grade (in catalogue order); and the ones not found."""

    found: dict[str, str]
    not_found: list[str]
    cells: dict[str, list[int]]  # the (1-based) code cells each extraction took code from


def load_notebook(raw: bytes | str | Mapping[str, Any]) -> nbformat.NotebookNode:
    """Parse and validate an ``.ipynb`` (bytes, text or decoded JSON) as nbformat 4, outputs stripped.

    Raises PayloadTooLarge (413) over :data:`MAX_NOTEBOOK_BYTES` and ValidationFailed (422,
    ``not_a_notebook``) for anything that is not a Jupyter notebook.
    """
    if isinstance(raw, Mapping):
        raw = json.dumps(raw)
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_NOTEBOOK_BYTES:
        raise PayloadTooLarge(
            f"The notebook is {size:,} bytes; the limit is {MAX_NOTEBOOK_BYTES:,} bytes. "
            "Clear its outputs (Edit > Clear All Outputs) and try again.",
            code="notebook_too_large",
        )
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise ValueError("no cells")
        if not all(isinstance(data.get(key), int) for key in ("nbformat", "nbformat_minor")):
            # nbformat only asserts these (an AssertionError, or nothing under -O): check them here.
            raise ValueError("nbformat and nbformat_minor must be integers")
        reads: Any = nbformat.reads  # nbformat is untyped
        notebook: nbformat.NotebookNode = reads(text, as_version=4)
        nbformat.validate(notebook)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, nbformat.ValidationError) as exc:
        raise ValidationFailed(
            "This file is not a Jupyter notebook (.ipynb, nbformat 4): " + _reason(exc),
            code="not_a_notebook",
        ) from None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text."
    if isinstance(exc, json.JSONDecodeError):
        return f"it is not JSON ({exc.msg} at line {exc.lineno})."
    if isinstance(exc, RecursionError):
        return "it is nested too deeply."
    if isinstance(exc, nbformat.ValidationError):
        return f"it does not follow the notebook format ({str(exc.message)[:200]})."
    return "it has no list of cells."


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """The source of every code cell, in order."""
    return [str(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def _is_ipython_line(line: str) -> bool:
    """A line magic, shell line or help request (``%time f()``, ``!pip``, ``?np``, ``files = !ls``)."""
    stripped = line.strip()
    if stripped.startswith(("%", "!", "?")):
        return True
    _, equals, rhs = stripped.partition("=")
    return bool(equals) and rhs.lstrip().startswith(("%", "!"))


def _string_lines(text: str) -> set[int]:
    """Line numbers inside a multi-line string after its first line (a `%` there is text, not a magic)."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return inside


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def clean_cell(source: str) -> tuple[str, ast.Module | None]:
    """The cell with IPython-only lines blanked, and its syntax tree (None if it still does not parse).

    A cell that parses is kept as it is. Otherwise a leading cell magic line (``%%time``) is dropped
    and every line magic or shell line outside a string is blanked, keeping line numbers; the cell is
    parsed once more. Two parses and one tokenization at most, whatever the cell holds.
    """
    tree = _parse(source)
    if tree is not None:
        return source, tree
    lines = source.split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        lines[0] = ""  # a cell magic such as %%time: keep its body
    inside = _string_lines("\n".join(lines))
    lines = [
        "" if number not in inside and _is_ipython_line(line) else line
        for number, line in enumerate(lines, start=1)
    ]
    text = "\n".join(lines)
    return text, _parse(text)


def _defined_by_tokens(text: str) -> list[str]:
    """Top-level ``def NAME`` in a cell that does not parse, found with the tokenizer."""
    names: list[str] = []
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if (
                token.type == tokenize.NAME
                and previous is not None
                and previous.type == tokenize.NAME
                and previous.string == "def"
                and previous.start[1] == 0
            ):
                names.append(token.string)
            if token.type not in (tokenize.COMMENT, tokenize.NL):
                previous = token
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return names


def _segment(lines: list[str], node: ast.stmt) -> str:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    end = node.end_lineno or node.lineno
    return "\n".join(lines[start - 1 : end]).rstrip()


def _importable(module: str | None) -> bool:
    top = (module or "").split(".")[0]
    return top in SANDBOX_MODULES or top in sys.stdlib_module_names


def _index(cells: Iterable[str]) -> _Index:
    index = _Index()
    for number, source in enumerate(cells, start=1):
        text, tree = clean_cell(source)
        if tree is None:
            for name in _defined_by_tokens(text):
                index.defs[name] = _Item(number, 1, text, None)
            continue
        lines = text.split("\n")
        for node in tree.body:
            item = _Item(number, node.lineno, _segment(lines, node), node)
            if isinstance(node, _DEF):
                index.defs[node.name] = item
            elif isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if isinstance(node, ast.ImportFrom) and node.level:
                    continue
                if not _importable(module):
                    continue  # a notebook-only module (public_tests, utils...): the sandbox has none
                for alias in node.names:
                    if alias.name == "*":
                        index.star_imports.append(item)
                    else:
                        index.imports[(alias.asname or alias.name).split(".")[0]] = item
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and _is_literal(node.value)
            ):
                index.consts[node.targets[0].id] = item
            else:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        index.left_out[sub.id] = number
    return index


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def free_names(node: ast.AST) -> set[str]:
    """Names a definition reads that it does not bind itself (its globals, roughly)."""
    loaded: set[str] = set()
    bound: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (loaded if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and sub is not node:
            bound.add(sub.name)
        elif isinstance(sub, ast.alias):
            bound.add((sub.asname or sub.name).split(".")[0])
    if isinstance(node, _DEF):
        bound.discard(node.name)
    return loaded - bound


def _needed(index: _Index, root: _Item) -> list[_Item]:
    """``root`` and every definition, import and constant it uses, transitively."""
    kept: dict[int, _Item] = {}
    todo = [root]
    while todo:
        item = todo.pop()
        if id(item) in kept:
            continue
        kept[id(item)] = item
        if item.node is None:
            continue
        for name in sorted(free_names(item.node)):
            for table in (index.defs, index.imports, index.consts):
                found = table.get(name)
                if found is not None and found.node is not None:
                    todo.append(found)
                    break
    return list(kept.values())


def _left_out_note(index: _Index, items: list[_Item]) -> list[str]:
    """Comment lines for names the kept code reads that only left-out top-level code sets."""
    known = {*index.defs, *index.imports, *index.consts}
    names = sorted(
        name
        for item in items
        if item.node is not None
        for name in free_names(item.node)
        if name in index.left_out and name not in known
    )
    return [
        f"# Note: `{name}` is set only by top-level code in cell {index.left_out[name]}, which is left out; "
        "a graded function should use only its arguments."
        for name in names
    ]


def _assemble(function: str, items: list[_Item], stars: list[_Item], notes: list[str]) -> str:
    imports = [i for i in items if isinstance(i.node, ast.Import | ast.ImportFrom)]
    rest = sorted((i for i in items if i not in imports), key=lambda i: (i.cell, i.line))
    heads = list(dict.fromkeys(i.text for i in sorted([*stars, *imports], key=lambda i: (i.cell, i.line))))
    cells = sorted({i.cell for i in items})
    header = (
        f"# {function} and what it uses, extracted from code cell{'s' if len(cells) > 1 else ''} "
        f"{', '.join(map(str, cells))} of your notebook (test calls and other top-level lines left out)"
    )
    header = "\n".join([header, *notes])
    blocks = [header, "\n".join(heads)] if heads else [header]
    blocks += [i.text for i in rest]
    return "\n\n\n".join(blocks) + "\n"


def extract(cells: list[str], functions: Mapping[str, str]) -> Extraction:
    """Extract the code to grade for each exercise (``slug -> function name``) the cells define."""
    index = _index(cells)
    found: dict[str, str] = {}
    used: dict[str, list[int]] = {}
    not_found: list[str] = []
    for slug, function in functions.items():
        root = index.defs.get(function)
        if root is None:
            not_found.append(slug)
            continue
        if root.node is None:  # the cell does not parse: submit it whole, the grader shows the error
            found[slug], used[slug] = root.text.rstrip() + "\n", [root.cell]
            continue
        items = _needed(index, root)
        found[slug] = _assemble(function, items, index.star_imports, _left_out_note(index, items))
        used[slug] = sorted({i.cell for i in items})
    return Extraction(found=found, not_found=not_found, cells=used)
