"""Downloaded notebooks run offline in a fresh kernel with only NumPy; starters say what is wrong."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

import graders
from quizapp.services import notebooks_build

SERVER = "http://127.0.0.1:9"  # nothing listens here: the notebook must not need the network


def run(notebook: Any, cwd: Path) -> Any:
    """Execute every cell in a fresh python3 kernel started in ``cwd`` without this repo on its path."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "QUIZAPP_TOKEN")}
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.km = client.create_kernel_manager()
    client.start_new_kernel(env=env, cwd=str(cwd))
    with client.setup_kernel():
        client.start_new_kernel_client()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
    return notebook


def text_of(cell: Any) -> str:
    """Everything a code cell printed, errors included."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


def pasted(exercise: Any) -> str:
    """The reference solution as a student pastes it into the graded cell (no rnn_utils import)."""
    return "\n".join(line for line in exercise.solution_code.split("\n") if "rnn_utils" not in line)


def test_notebook_code_imports_only_numpy_and_the_standard_library() -> None:
    """Every import in the week notebook's code cells is NumPy or the standard library."""
    notebook = notebooks_build.build([e.slug for e in graders.list_exercises()], "week", SERVER)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            for name in names:
                top = name.split(".")[0]
                assert top in ("numpy", "IPython", "__future__") or top in sys.stdlib_module_names, name


def test_week_notebook_with_solutions_passes_offline(tmp_path: Path) -> None:
    """Every catalogue exercise, solution pasted in: every test cell reports all public tests passed."""
    exercises = graders.list_exercises()
    notebook = notebooks_build.build([e.slug for e in exercises], "week", SERVER)
    by_slug = {e.slug: e for e in exercises}
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "graded" in tags:
            cell.source = pasted(by_slug[tags[1]])
    run(notebook, tmp_path)
    tests = [cell for cell in notebook.cells if "quizapp-test" in cell.metadata.get("tags", [])]
    assert len(tests) == len(exercises)
    for cell in tests:
        assert "public tests passed" in text_of(cell) and "[FAIL]" not in text_of(cell), text_of(cell)
    crashed = [c for c in notebook.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert [text_of(c) for c in crashed] == []
    assert "Set TOKEN above" in text_of(notebook.cells[-1])


@pytest.mark.parametrize("slug", ["rnn_cell_forward", "lstm_forward", "clip"])
def test_exercise_notebook_with_the_starter_says_what_is_wrong(tmp_path: Path, slug: str) -> None:
    """The downloaded notebook run as is: the test cell fails in the grader's words, nothing crashes."""
    notebook = nbformat.reads(notebooks_build.exercise_notebook(slug, SERVER), as_version=4)
    run(notebook, tmp_path)
    test = next(c for c in notebook.cells if "quizapp-test" in c.metadata.get("tags", []))
    output = text_of(test)
    assert "[FAIL]" in output and "0 of 2 public tests passed" in output, output
    assert "is None; expected an array" in output or "raised an exception" in output, output
    assert not any(o.output_type == "error" for c in notebook.cells for o in c.get("outputs", []))


def test_checker_words_match_the_grader(tmp_path: Path) -> None:
    """A wrong rnn_cell_forward gets the same first sentence offline as in the grader's public case."""
    wrong = pasted(graders.get_exercise("rnn_cell_forward")).replace("np.tanh(", "sigmoid(", 1)
    notebook = nbformat.reads(notebooks_build.exercise_notebook("rnn_cell_forward", SERVER), as_version=4)
    next(c for c in notebook.cells if "graded" in c.metadata.get("tags", [])).source = wrong
    run(notebook, tmp_path)
    output = text_of(next(c for c in notebook.cells if "quizapp-test" in c.metadata.get("tags", [])))
    verdict = graders.grade("rnn_cell_forward", "from rnn_utils import *\n" + wrong)
    first = verdict.cases[0].message.split("\n")[0]
    assert first in output, (first, output)
