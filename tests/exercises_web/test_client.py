"""The command-line client against a real gunicorn server: log in, submit a file, print the verdict."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import graders
from quizapp.client import Client, format_verdict
from tests.grading.helpers import BUGGY_LSTM, CORRECT_LSTM, ROOT


def client(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quizapp.client ARGS`` as a student would."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZAPP_")}
    env["PYTHONPATH"] = str(ROOT)
    if token:
        env["QUIZAPP_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "quizapp.client", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def token(live_server: str, create_live_user: Callable[..., str]) -> str:
    """A token obtained with the client's own ``login`` command."""
    email = create_live_user("cli-student@example.com")
    result = client("login", "--server", live_server, "--email", email, "--password", "correct-horse")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_submit_correct_file_prints_passed(live_server: str, token: str, tmp_path: Path) -> None:
    """Submitting a correct file waits for the verdict, prints it, and exits 0."""
    source = tmp_path / "my_lstm.py"
    source.write_text(CORRECT_LSTM)
    result = client("submit", "lstm_cell_forward", str(source), "--server", live_server, "--token", token)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PASSED: 10 / 10 points")
    assert "queued" in result.stderr or "running" in result.stderr or "graded" in result.stderr


def test_buggy_file_with_env_token_prints_feedback(live_server: str, token: str, tmp_path: Path) -> None:
    """A buggy file (token from QUIZAPP_TOKEN) gets FAILED, the failing cases and feedback, and exit 1."""
    source = tmp_path / "buggy.py"
    source.write_text(BUGGY_LSTM)
    result = client("submit", "lstm_cell_forward", str(source), "--server", live_server, token=token)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("FAILED: ")
    assert "[FAIL]" in result.stdout and "Feedback:" in result.stdout


def test_json_output_is_the_verdict(live_server: str, token: str, tmp_path: Path) -> None:
    """--json prints the verdict JSON itself."""
    import json

    source = tmp_path / "ok.py"
    source.write_text(CORRECT_LSTM)
    args = ("submit", "lstm_cell_forward", str(source), "--server", live_server, "--json")
    result = client(*args, token=token)
    verdict = json.loads(result.stdout)
    assert verdict["status"] == "passed" and verdict["exercise"] == "lstm_cell_forward"


@pytest.mark.parametrize(
    ("exercise", "use_token", "expected"),
    [("lstm_cell_forward", False, "token is unknown"), ("no_such", True, "404")],
    ids=["bad-token", "unknown-exercise"],
)
def test_errors_are_one_line_and_exit_2(
    live_server: str, token: str, tmp_path: Path, exercise: str, use_token: bool, expected: str
) -> None:
    """A bad token or an unknown exercise is reported in one line, with exit status 2."""
    source = tmp_path / "x.py"
    source.write_text(CORRECT_LSTM)
    result = client("submit", exercise, str(source), "--server", live_server,
                    "--token", token if use_token else "not-a-token")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and expected in result.stderr


def test_non_utf8_file_is_refused_before_sending(live_server: str, token: str, tmp_path: Path) -> None:
    """A file that is not UTF-8 is refused locally with a clear message."""
    source = tmp_path / "latin.py"
    source.write_bytes(b"x = '\xe9'\n")
    result = client("submit", "lstm_cell_forward", str(source), "--server", live_server, token=token)
    assert result.returncode == 2 and "not UTF-8" in result.stderr


def test_format_verdict_lists_cases_feedback_and_output() -> None:
    """The terminal summary shows the score line, failing cases with messages, feedback and output."""
    text = format_verdict({
        "status": "failed", "score": 5, "max_score": 10,
        "cases": [{"name": "public 1", "passed": True, "hidden": False, "message": ""},
                  {"name": "hidden 1", "passed": False, "hidden": True, "message": "c_next differs"}],
        "feedback": ["forgot the tanh"], "output": "hello",
    })
    assert text.splitlines() == [
        "FAILED: 5 / 10 points", "  [ok  ] public 1", "  [FAIL] hidden 1 (hidden)", "         c_next differs",
        "Feedback:", "  - forgot the tanh", "Your code printed:", "  | hello",
    ]


def test_format_verdict_shows_where_a_sequence_goes_wrong() -> None:
    """For rnn_forward feeding a0 at every step, the terminal shows the step line of each failing case."""
    code = (ROOT / "tests" / "exercises" / "buggy" / "rnn_forward" / "a0_every_step.py").read_text()
    text = format_verdict(graders.grade("rnn_forward", code, seed=5).to_dict())
    assert "[FAIL] course example (seed 1)" in text
    assert "Your a is right for t = 0 and wrong from t = 1 on." in text


def test_a_token_or_password_starting_with_a_dash_is_read_as_the_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--token -abc`` and ``--password -pw`` take the dash value; ``--token --json`` still lacks one."""
    from quizapp import client as cli

    seen: dict[str, object] = {}

    def record(args: object) -> int:
        seen.update(vars(args))
        return 0

    monkeypatch.setattr(cli, "_run", record)
    assert cli.main(["submit", "rnn_cell_forward", "f.py", "--token", "-abc_D3", "--json"]) == 0
    assert (seen["token"], seen["json"]) == ("-abc_D3", True)
    assert cli.main(["login", "--email", "a@b.c", "--password", "--pw-with-dashes"]) == 0
    assert seen["password"] == "--pw-with-dashes"
    assert cli.main(["submit", "ex", "f.py", "--token=-already-attached"]) == 0
    assert seen["token"] == "-already-attached"
    with pytest.raises(SystemExit) as exited:
        cli.main(["submit", "rnn_cell_forward", "f.py", "--token", "--json"])
    assert exited.value.code == 2 and "--token: expected one argument" in capsys.readouterr().err


class _Answer:
    """A stand-in for a ``requests`` response: a status code and a JSON body."""

    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        self.status_code, self._body = status_code, body

    def json(self) -> dict[str, Any]:
        return self._body


def _scripted(monkeypatch: pytest.MonkeyPatch, answers: list[_Answer]) -> list[tuple[str, str, Any]]:
    """Make every Client request take the next scripted answer; returns the requests made."""
    calls: list[tuple[str, str, Any]] = []

    def call(self: Client, method: str, path: str, **kwargs: Any) -> _Answer:
        calls.append((method, path, kwargs.get("params")))
        return answers.pop(0)

    monkeypatch.setattr(Client, "_call", call)
    return calls


def test_submit_and_wait_needs_one_request_when_the_post_brings_the_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A submission POST that answers 201 with the verdict ends the wait: no status request follows."""
    graded = {"id": 7, "status": "graded", "verdict": {"status": "passed"}}
    calls = _scripted(monkeypatch, [_Answer(201, graded)])
    heard: list[Any] = []
    client = Client("http://server", "t")
    data = client.submit_and_wait("rnn_cell_forward", "code", 120, heard.append, heard.append)
    assert data == graded and heard == [7, "graded"]
    assert calls == [("POST", "/api/v1/exercises/rnn_cell_forward/submissions", {"wait": "5"})]


def test_submit_and_wait_long_polls_when_the_post_answers_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 202 (the verdict not stored within the POST's wait) is followed by long polls until it is."""
    calls = _scripted(monkeypatch, [
        _Answer(202, {"id": 8, "status": "running", "verdict": None}),
        _Answer(200, {"id": 8, "status": "graded", "verdict": {"status": "failed"}}),
    ])
    statuses: list[str] = []
    data = Client("http://server", "t").submit_and_wait("rnn_cell_forward", "code", 10, None, statuses.append)
    assert data["verdict"] == {"status": "failed"} and statuses == ["running", "graded"]
    assert [(method, path) for method, path, _ in calls] == [
        ("POST", "/api/v1/exercises/rnn_cell_forward/submissions"), ("GET", "/api/v1/submissions/8")
    ]
    assert calls[0][2] == {"wait": "5"} and 0 < float(calls[1][2]["wait"]) <= 10
