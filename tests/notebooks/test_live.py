"""Against the real server: the CLI submits a whole notebook, and a notebook cell submits with submit()."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
import requests

from tests.notebooks.helpers import COURSE_NOTEBOOK, FINISHED, UNFINISHED
from tests.notebooks.test_offline import pasted, run, text_of

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def student(live_server: str, create_live_user: Callable[..., str]) -> tuple[str, str]:
    """A student's email and bearer token on the live server."""
    email = create_live_user("notebook-student@example.com")
    response = requests.post(f"{live_server}/api/v1/tokens", auth=(email, "correct-horse"), timeout=30)
    assert response.status_code == 201
    return email, str(response.json()["token"])


def test_cli_submits_every_graded_function_of_a_notebook(live_server: str, student: tuple[str, str]) -> None:
    """`python -m quizapp.client submit week1.ipynb`: each function graded on its own; exit 1 as one fails."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZAPP_")}
    env.update(PYTHONPATH=str(REPO), QUIZAPP_TOKEN=student[1])
    result = subprocess.run(
        [sys.executable, "-m", "quizapp.client", "submit", str(COURSE_NOTEBOOK), "--server", live_server],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1, result.stderr
    for slug in FINISHED:
        assert f"{slug}: PASSED: 10 / 10 points" in result.stdout, result.stdout
    assert f"{UNFINISHED}: ERROR: 0 / 10 points" in result.stdout
    assert "`None` placeholders" in result.stdout
    assert "Not found in the notebook: " in result.stderr and "gru_cell_forward" in result.stderr


def test_cli_refuses_a_python_file_without_exercise(tmp_path: Path) -> None:
    """`submit FILE.py` without an exercise slug is a usage error (exit 2) with a clear message."""
    source = tmp_path / "x.py"
    source.write_text("def clip(g, m):\n    return g\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "QUIZAPP_TOKEN": "t"}
    command = [sys.executable, "-m", "quizapp.client", "submit", str(source)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and ".ipynb" in result.stderr


def test_submit_from_a_notebook_cell_shows_the_verdict(
    live_server: str, student: tuple[str, str], tmp_path: Path
) -> None:
    """The downloaded notebook, solution pasted, login() then submit(): the verdict is shown as HTML."""
    email, token = student
    response = requests.get(f"{live_server}/api/v1/exercises/rnn_forward/notebook",
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
    notebook = nbformat.reads(response.text, as_version=4)
    import graders

    graded = next(c for c in notebook.cells if "graded" in c.metadata.get("tags", []))
    graded.source = pasted(graders.get_exercise("rnn_forward"))
    last = notebook.cells[-1]
    assert f'SERVER = "{live_server}"' in last.source
    last.source = last.source.replace('TOKEN = ""', f'TOKEN = login(SERVER, "{email}", "correct-horse")')
    run(notebook, tmp_path)
    html = [o.data["text/html"] for o in last.outputs if o.output_type == "display_data"]
    assert html, text_of(last)
    assert "rnn_forward: passed" in html[0] and "10 / 10 points" in html[0]


def test_submit_by_name_sends_helpers_and_reports_errors(
    live_server: str, student: tuple[str, str], tmp_path: Path
) -> None:
    """submit("clip") with a helper defined in another cell: the helper is sent along and the clip passes."""
    token = student[1]
    client_source = (REPO / "quizapp" / "static" / "quizapp_submit.py").read_text(encoding="utf-8")
    cells = [
        "import numpy as np\nimport copy as cp\nLIMIT = 1.0",
        "def bound(g, m):\n    return np.clip(g, -m * LIMIT, m * LIMIT)",
        "def clip(gradients, maxValue):\n    gradients = cp.deepcopy(gradients)\n"
        "    return {k: bound(v, maxValue) for k, v in gradients.items()}",
        client_source,
        f'SERVER = "{live_server}"\nTOKEN = "{token}"\nverdict = submit("clip")\nprint(verdict["status"])',
        'try:\n    submit("nothing_here")\nexcept SubmitError as exc:\n    print("refused:", exc)',
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    run(notebook, tmp_path)
    assert text_of(notebook.cells[4]).strip().endswith("passed"), text_of(notebook.cells[4])
    assert "refused: nothing_here is not defined" in text_of(notebook.cells[5])
