"""Exercise notebooks to download: statement, helpers, starter, public tests and a submit cell (nbformat 4).

Everything comes from the catalogue, so a new exercise folder appears in the notebooks by itself.
A notebook runs offline with only NumPy: the course helpers (``sigmoid``, ``softmax``) are inline,
the checker is the grader's own comparison (see :mod:`quizapp.services.notebooks_checker`) and the
submit client is the stdlib-only ``static/quizapp_submit.py``.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

import graders
from graders.sandbox_lib import rnn_utils
from quizapp.services.notebooks_checker import cases_blob, checker_source

CLIENT_FILE = Path(__file__).resolve().parents[1] / "static" / "quizapp_submit.py"
_DROPPED_IMPORTS = ("numpy", "rnn_utils")
_v4: Any = nbformat.v4  # nbformat is untyped
new_code_cell, new_markdown_cell, new_notebook = _v4.new_code_cell, _v4.new_markdown_cell, _v4.new_notebook


def helpers_source() -> str:
    """The course helpers from ``rnn_utils.py`` without type annotations, as plain notebook code."""
    tree = ast.parse(Path(rnn_utils.__file__).read_text(encoding="utf-8"))
    functions = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            node.returns = None
            for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                arg.annotation = None
            functions.append(ast.unparse(node))
    return "\n\n\n".join(functions)


def setup_source() -> str:
    """The notebook's first code cell: the course imports and helpers."""
    return (
        "import copy\nimport math\n\nimport numpy as np\n\n"
        "# The course's helpers (rnn_utils.py), inline so this notebook runs with only NumPy.\n"
        + helpers_source()
        + "\n"
    )


def starter_cell_source(exercise: Any, earlier: frozenset[str] = frozenset()) -> str:
    """The starter code without the imports the setup cell already made, marked as graded.

    Functions named in ``earlier`` (graded in an earlier cell of the same notebook) are left out
    with the comment above them, so the starter does not overwrite the student's own version.
    """
    source = exercise.starter_code
    lines = source.split("\n")
    drop: set[int] = {0} if lines and lines[0].startswith("# ruff:") else set()
    for node in ast.parse(source).body:
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if isinstance(node, ast.Import):
            module = node.names[0].name
        start = node.lineno - 1
        if isinstance(node, ast.FunctionDef) and node.name in earlier:
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
        elif module is None or module.split(".")[0] not in _DROPPED_IMPORTS:
            continue
        drop.update(range(start, node.end_lineno or node.lineno))
    text = "\n".join(line for i, line in enumerate(lines) if i not in drop).strip("\n")
    if f"GRADED FUNCTION: {exercise.function}" not in text:
        text = f"# GRADED FUNCTION: {exercise.function}\n\n{text}"
    return text + "\n"


def _client_source() -> str:
    return CLIENT_FILE.read_text(encoding="utf-8")


def _intro(title: str, server: str, count: int) -> str:
    plural = "s" if count > 1 else ""
    return (
        f"# {title}\n\n"
        f"Work through the exercise{plural} here: fill in the code between `### START CODE HERE ###` and "
        "`### END CODE HERE ###`, then run the test cell below it. The tests compare your outputs with "
        "the platform's public cases and say what differs, in the grader's words; they run offline "
        "with only NumPy.\n\n"
        "To be graded (on hidden cases too), set your token in the last cell and run it, or upload this "
        f"notebook on the course page of {server}. Only the graded functions and what they use are "
        "sent; test calls and other top-level lines are left out.\n\n"
        f"The course helpers are also available as a file: [{server}/static/rnn_utils.py]"
        f"({server}/static/rnn_utils.py)."
    )


def _submit_cell(server: str, functions: list[str]) -> str:
    if len(functions) == 1:
        action = f"    submit({functions[0]}, server=SERVER, token=TOKEN)"
    else:
        names = ", ".join(repr(f) for f in functions)
        action = (
            f"    for name in [{names}]:\n"
            "        if name in globals():\n"
            "            submit(name, server=SERVER, token=TOKEN)"
        )
    return (
        "# Submit to the platform. Get a token once with\n"
        '#     TOKEN = login(SERVER, "you@example.com")   # asks for your password\n'
        "# or with `python -m quizapp.client login --email you@example.com`, then run this cell.\n"
        f'SERVER = "{server}"\n'
        'TOKEN = ""  # paste your token between the quotes\n\n'
        "if TOKEN:\n"
        f"{action}\n"
        "else:\n"
        '    print("Set TOKEN above to submit from this notebook, "\n'
        '          "or upload the notebook on the course page.")\n'
    )


def _hidden(tag: str) -> dict[str, Any]:
    """Metadata of a platform cell: tagged, its source collapsed in JupyterLab and Notebook 7."""
    return {"tags": [tag], "jupyter": {"source_hidden": True}}


def build(slugs: list[str], title: str, server: str) -> nbformat.NotebookNode:
    """A notebook for these exercises, in this order."""
    exercises = [graders.get_exercise(slug) for slug in slugs]
    data = ",\n".join(f'    "{e.slug}": load_cases(\n        "{cases_blob(e)}"\n    )' for e in exercises)
    cells = [
        new_markdown_cell(_intro(title, server, len(exercises))),
        new_code_cell(setup_source()),
        new_code_cell(checker_source(), metadata=_hidden("quizapp-checker")),
        new_code_cell(
            "# The public test cases and their expected values (data for the checker above).\n"
            f"PUBLIC_CASES = {{\n{data},\n}}\n",
            metadata=_hidden("quizapp-data"),
        ),
    ]
    for number, exercise in enumerate(exercises):
        earlier = frozenset(e.function for e in exercises[:number])
        cells += [
            new_markdown_cell(exercise.statement),
            new_code_cell(
                starter_cell_source(exercise, earlier), metadata={"tags": ["graded", exercise.slug]}
            ),
            new_code_cell(
                f"# Test {exercise.function} on the public cases\n"
                f'check({exercise.function}, PUBLIC_CASES["{exercise.slug}"])\n',
                metadata={"tags": ["quizapp-test"]},
            ),
        ]
    cells += [
        new_markdown_cell(
            "## Submit\n\nThe next cell defines `submit(...)` (standard library only); the one after "
            "sends your function(s) with their helpers and shows the verdict here."
        ),
        new_code_cell(_client_source(), metadata=_hidden("quizapp-client")),
        new_code_cell(_submit_cell(server, [e.function for e in exercises])),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    built: nbformat.NotebookNode = notebook
    return built


@lru_cache(maxsize=64)
def _cached(slugs: tuple[str, ...], versions: tuple[int, ...], title: str, server: str) -> str:
    writes: Any = nbformat.writes
    return str(writes(build(list(slugs), title, server)))


def exercise_notebook(slug: str, server: str) -> str:
    """One exercise as ``.ipynb`` JSON."""
    exercise = graders.get_exercise(slug)
    return _cached((slug,), (exercise.version,), exercise.title, server)


def week_notebook(server: str) -> str:
    """Every exercise, in catalogue order, as ``.ipynb`` JSON."""
    exercises = graders.list_exercises()
    return _cached(
        tuple(e.slug for e in exercises),
        tuple(e.version for e in exercises),
        "Sequence models, week 1: every exercise",
        server,
    )
