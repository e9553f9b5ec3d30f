"""Extracting each graded function from a notebook with ast: what is kept, what is left out, bad files."""

from __future__ import annotations

import json

import pytest

from quizapp.errors import PayloadTooLarge, ValidationFailed
from quizapp.services.notebooks_extract import (
    MAX_NOTEBOOK_BYTES,
    clean_cell,
    code_cells,
    extract,
    load_notebook,
)
from tests.notebooks.helpers import (
    COURSE_NOTEBOOK,
    FINISHED,
    UNFINISHED,
    course_notebook,
    functions,
    notebook_with,
)


def extracted(notebook: dict[str, object]) -> dict[str, str]:
    """The extraction's code per exercise for a decoded notebook."""
    return extract(code_cells(load_notebook(notebook)), functions()).found


def test_course_notebook_finds_every_defined_function() -> None:
    """Every catalogue function the course notebook defines is found; the others are listed as not found."""
    result = extract(code_cells(load_notebook(COURSE_NOTEBOOK.read_bytes())), functions())
    assert list(result.found) == [s for s in functions() if s in [*FINISHED, UNFINISHED]]
    assert set(result.not_found) == set(functions()) - {*FINISHED, UNFINISHED}
    assert "gru_cell_forward" in result.not_found


def test_magics_shell_lines_and_test_calls_are_left_out() -> None:
    """No magic, shell line, notebook-only import or top-level test call reaches the extracted code."""
    for slug, code in extracted(course_notebook()).items():
        for banned in ("%matplotlib", "%autoreload", "!pip", "public_tests", "from utils", "_tests(",
                       "_test(", "np.random.seed", "print("):
            assert banned not in code, (slug, banned)
        compile(code, slug, "exec")


def test_helpers_and_imports_come_along_transitively() -> None:
    """rnn_forward brings rnn_cell_forward and numpy; clip brings `import copy` from the first cell."""
    found = extracted(course_notebook())
    assert "def rnn_cell_forward(" in found["rnn_forward"] and "import numpy as np" in found["rnn_forward"]
    assert "def lstm_cell_forward(" in found["lstm_forward"]
    assert "import copy" in found["clip"] and "gradients = copy.deepcopy(gradients)" in found["clip"]
    assert "def rnn_forward(" not in found["rnn_cell_forward"]  # only what the function uses


def test_later_definition_wins_and_constants_used_are_kept() -> None:
    """The last definition in cell order is extracted, with a literal constant and a helper it uses."""
    notebook = notebook_with(
        "def clip(gradients, maxValue):\n    return None\n",
        "LIMIT = 1\n\ndef helper(g, m):\n    return {k: np.clip(v, -m, m) for k, v in g.items()}\n",
        "import numpy as np\n\ndef clip(gradients, maxValue):\n"
        "    return helper(gradients, maxValue * LIMIT)\n",
        "clip({}, 1)",
    )
    code = extracted(notebook)["clip"]
    assert "return None" not in code and "LIMIT = 1" in code and "def helper(" in code
    assert code.index("import numpy as np") < code.index("def helper(") < code.index("def clip(")
    assert "clip({}, 1)" not in code


def test_cell_that_does_not_parse_is_submitted_whole() -> None:
    """A graded cell with a syntax error is sent as written, so the grader reports the error and its line."""
    broken = "def clip(gradients, maxValue):\n    for g in gradients.values(:\n        pass\n"
    code = extracted(notebook_with(broken))["clip"]
    assert code == broken


def test_cell_magic_keeps_its_body_and_line_magics_inside_are_blanked() -> None:
    """`%%time` keeps the cell's body; `x = !ls` and `%time f()` lines are blanked, line numbers kept."""
    text, tree = clean_cell("%%time\ndef f():\n    return 1\nfiles = !ls\n%time f()\n")
    assert tree is not None and text.split("\n")[1] == "def f():"
    assert [type(node).__name__ for node in tree.body] == ["FunctionDef"]


def test_docstring_line_starting_with_percent_is_kept() -> None:
    """A `%` at the start of a line inside a string is not mistaken for a magic, even next to a real one."""
    source = 'def f():\n    """Rates:\n% of cases\n"""\n    return 1\n'
    text, tree = clean_cell(source)
    assert tree is not None and text == source
    text, tree = clean_cell("%matplotlib inline\n" + source)
    assert tree is not None and text == "\n" + source


def test_outputs_are_stripped_on_load() -> None:
    """A run notebook's outputs and execution counts are dropped when it is read."""
    notebook = load_notebook(COURSE_NOTEBOOK.read_bytes())
    assert course_notebook()["cells"][5]["outputs"], "the test notebook should carry an output"
    assert all(not cell.outputs and cell.execution_count is None
               for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize(
    "raw",
    [
        b"def clip(g, m):\n    return g\n",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"cells": "nope"}',
        b'{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"nbformat": 3}',
    ],
    ids=["python", "not-utf8", "json-array", "cells-not-list", "invalid-cell", "deep-nesting", "no-cells"],
)
def test_not_a_notebook_is_422(raw: bytes) -> None:
    """Anything that is not an nbformat 4 notebook is a ValidationFailed with code not_a_notebook."""
    with pytest.raises(ValidationFailed) as caught:
        load_notebook(raw)
    assert caught.value.code == "not_a_notebook" and caught.value.status == 422
    assert "not a Jupyter notebook" in caught.value.message


def test_too_large_is_413() -> None:
    """A notebook over the size limit is refused with 413 and advice to clear the outputs."""
    notebook = course_notebook()
    notebook["cells"][5]["outputs"][0]["text"] = "x" * MAX_NOTEBOOK_BYTES
    with pytest.raises(PayloadTooLarge) as caught:
        load_notebook(json.dumps(notebook).encode())
    assert caught.value.status == 413 and "Clear All Outputs" in caught.value.message


def test_hostile_cells_do_not_break_extraction() -> None:
    """Deep nesting, NUL bytes, endless recursion between helpers and thousands of cells are handled."""
    cells = [
        "x = " + "(" * 5000 + ")" * 5000,
        "y = 1\x00",
        "def ping(n):\n    return pong(n)\n\ndef pong(n):\n    return ping(n)\n",
        "def clip(gradients, maxValue):\n    return ping(gradients)\n",
        *["z = 1"] * 5000,
    ]
    result = extract(cells, functions())
    assert list(result.found) == ["clip"]
    assert "def ping(" in result.found["clip"] and "def pong(" in result.found["clip"]


def test_cell_sources_split_in_lines_are_joined() -> None:
    """nbformat's multi-line form (a list of strings per cell) is read as one source."""
    notebook = notebook_with("")
    notebook["cells"][0]["source"] = ["def clip(gradients, maxValue):\n", "    return gradients\n"]
    code = extracted(notebook)["clip"]
    assert code.rstrip().endswith("def clip(gradients, maxValue):\n    return gradients")


def test_imports_the_sandbox_lacks_are_dropped_but_stdlib_kept() -> None:
    """`from public_tests import *` and `import matplotlib` are left out; `import math` is kept when used."""
    notebook = notebook_with(
        "import math\nimport matplotlib.pyplot as plt\nfrom public_tests import *\nfrom rnn_utils import *\n",
        "def clip(gradients, maxValue):\n    plt.plot([])\n"
        "    return {k: v * math.pi for k, v in gradients.items()}\n",
    )
    code = extracted(notebook)["clip"]
    assert "import math" in code and "from rnn_utils import *" in code
    assert "matplotlib" not in code and "public_tests" not in code


def test_name_set_only_by_left_out_code_is_noted() -> None:
    """A global that only a test cell sets is named in a comment of the extracted code, with its cell."""
    notebook = notebook_with(
        "import numpy as np\nlimit_tmp = np.float64(5.0)\n",
        "def clip(gradients, maxValue):\n"
        "    return {k: np.clip(v, -limit_tmp, limit_tmp) for k, v in gradients.items()}\n",
    )
    code = extracted(notebook)["clip"]
    assert "# Note: `limit_tmp` is set only by top-level code in cell 1, which is left out" in code
    assert "limit_tmp = np.float64" not in code


def test_a_cell_of_many_magic_lines_is_cleaned_in_one_pass() -> None:
    """100,000 shell lines in one cell are blanked quickly (no parse per line)."""
    import time

    started = time.monotonic()
    _, tree = clean_cell("!echo\n" * 100_000 + "def f():\n    return 1\n")
    assert tree is not None and [type(n).__name__ for n in tree.body] == ["FunctionDef"]
    assert time.monotonic() - started < 10
