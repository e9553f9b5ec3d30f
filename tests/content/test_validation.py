"""Quiz-file validation: every problem names the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from flask import Flask

from quizapp import create_app
from quizapp.content.problems import ContentError
from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, load_quizzes, parse_quiz_file
from quizapp.content.schema import json_schema
from tests.quizzes.helpers import small_quiz, week1_copy


def problems_for(tmp_path: Path, text: str, name: str = "extra-quiz.yaml") -> list[str]:
    """Write a quiz file and return its problems as strings (none if it is valid)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        parse_quiz_file(path)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return []


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``fragment``."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[occurrence - 1]


def test_small_quiz_is_valid(tmp_path: Path) -> None:
    """The helper's quiz file passes, so the failures below come from the edits alone."""
    assert problems_for(tmp_path, small_quiz()) == []


def test_bad_option_id_names_line_and_field(tmp_path: Path) -> None:
    """An option id that breaks the pattern is reported at its own line with its full path."""
    text = small_quiz().replace("id: q\n", "id: Not An Id\n")
    [problem] = problems_for(tmp_path, text)
    line = line_of(text, "id: Not An Id")
    assert problem.startswith(f"extra-quiz.yaml:{line}: questions[1].options[1].id: String should match")


def test_unknown_field_is_reported(tmp_path: Path) -> None:
    """A misspelt key is an error at its line, not silently ignored."""
    text = small_quiz().replace("  explanation: Arithmetic.", "  explanaton: Arithmetic.")
    problems = problems_for(tmp_path, text)
    line = line_of(text, "explanaton")
    assert f"extra-quiz.yaml:{line}: questions[0].explanaton: unknown field" in "\n".join(problems)
    assert any(p.endswith("questions[0].explanation: Field required") for p in problems)


def test_review_policy_is_validated(tmp_path: Path) -> None:
    """The three review policies load; anything else is an error naming the line and field."""
    for policy in ("always", "after_pass_or_last_attempt", "never"):
        assert problems_for(tmp_path, small_quiz(attempts={"review": policy})) == []
    text = small_quiz(attempts={"review": "after_passing"})
    [problem] = problems_for(tmp_path, text)
    line = line_of(text, "review: after_passing")
    assert problem.startswith(f"extra-quiz.yaml:{line}: attempts.review: Input should be 'always'")
    folder = week1_copy(tmp_path / "quizzes")
    (folder / "extra-quiz.yaml").write_text(text)
    code, output = quiz_cli(folder)
    assert code == 1 and f"extra-quiz.yaml:{line}: attempts.review:" in output
    review = json_schema()["$defs"]["AttemptSettings"]["properties"]["review"]  # type: ignore[index]
    assert review["enum"] == ["always", "after_pass_or_last_attempt", "never"]
    assert review["default"] == "after_pass_or_last_attempt"


def test_old_setting_name_points_to_the_new_one(tmp_path: Path) -> None:
    """A file still using show_explanations is told, at that line, that the setting is now review."""
    text = small_quiz(attempts={"show_explanations": "always"})
    [problem] = problems_for(tmp_path, text)
    line = line_of(text, "show_explanations")
    assert problem.startswith(f"extra-quiz.yaml:{line}: attempts.show_explanations: renamed to review")


def test_single_choice_needs_exactly_one_key(tmp_path: Path) -> None:
    """Two correct options on a single-choice question is reported on that question."""
    text = small_quiz().replace("feedback: Off by one.", "correct: true")
    [problem] = problems_for(tmp_path, text)
    assert problem.startswith(f"extra-quiz.yaml:{line_of(text, '- id: one')}: questions[0]: ")
    assert "exactly one correct option" in problem


def test_wrong_option_without_feedback(tmp_path: Path) -> None:
    """A wrong option must say why it is wrong."""
    data = yaml.safe_load(small_quiz())
    del data["questions"][1]["options"][3]["feedback"]
    [problem] = problems_for(tmp_path, yaml.safe_dump(data, sort_keys=False))
    assert "questions[1]: wrong options need feedback" in problem and problem.endswith(": s")


def test_duplicate_ids_and_keys(tmp_path: Path) -> None:
    """Repeated question ids are refused, and so are repeated YAML keys (with the second one's line)."""
    text = small_quiz().replace("id: two", "id: one")
    assert "question ids must be unique; repeated: one" in problems_for(tmp_path, text)[0]
    text = small_quiz().replace("title: A second quiz\n", "title: A second quiz\ntitle: Again\n")
    line = line_of(text, "title: Again")
    assert problems_for(tmp_path, text) == [f"extra-quiz.yaml:{line}: title: duplicate key"]


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    """Broken YAML is reported with the line where parsing failed."""
    text = small_quiz().replace("  explanation: Arithmetic.", "  explanation: [unclosed")
    [problem] = problems_for(tmp_path, text)
    assert problem.startswith("extra-quiz.yaml:") and "YAML syntax error" in problem
    assert int(problem.split(":")[1]) >= line_of(text, "[unclosed")


def test_bad_latex_names_the_field(tmp_path: Path) -> None:
    """A formula that cannot render is reported at the field that holds it."""
    text = small_quiz().replace("What is $1 + 1$?", "What is $\\Gama_u + 1$?")
    [problem] = problems_for(tmp_path, text)
    line = line_of(text, "Gama_u")
    assert problem.startswith(f"extra-quiz.yaml:{line}: questions[0].prompt: unknown command")


def test_slug_must_match_the_file_name(tmp_path: Path) -> None:
    """A quiz stored under another name is refused, naming the slug line."""
    [problem] = problems_for(tmp_path, small_quiz(), name="other.yaml")
    assert problem.startswith("other.yaml:1: slug: must match the file name")


def test_figure_problems(tmp_path: Path) -> None:
    """A missing figure, and an SVG without alt text or with a script, are refused."""
    data = yaml.safe_load(small_quiz())
    data["questions"][0]["figure"] = {"file": "figures/none.svg"}
    assert "cannot read figure figures/none.svg" in problems_for(tmp_path, yaml.safe_dump(data))[0]
    (tmp_path / "figures").mkdir()
    bare = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="x"><rect/></svg>'
    (tmp_path / "figures" / "none.svg").write_text(bare)
    assert "needs a non-empty <title>" in problems_for(tmp_path, yaml.safe_dump(data))[0]
    script = bare.replace("<rect/>", "<title>t</title><script>alert(1)</script>")
    (tmp_path / "figures" / "none.svg").write_text(script)
    assert "<script> is not allowed" in problems_for(tmp_path, yaml.safe_dump(data))[0]
    data["questions"][0]["figure"] = {"file": "../secret.svg"}
    assert "inside the quizzes folder" in problems_for(tmp_path, yaml.safe_dump(data))[0]


def test_load_quizzes_strict_and_lenient(tmp_path: Path) -> None:
    """Strict loading raises on a broken file; lenient loading skips it and keeps the good ones."""
    folder = week1_copy(tmp_path / "quizzes")
    (folder / "extra-quiz.yaml").write_text(small_quiz().replace("kind: single", "kind: singel"))
    with pytest.raises(ContentError, match=r"extra-quiz.yaml:\d+: questions\[0\].kind"):
        load_quizzes(folder)
    assert list(load_quizzes(folder, strict=False)) == ["rnn-week1"]


def test_schema_file_is_current() -> None:
    """quizapp/quizzes/quiz.schema.json matches the models (regenerate: python -m quizapp.content.schema)."""
    stored = json.loads((DEFAULT_QUIZ_DIR / "quiz.schema.json").read_text(encoding="utf-8"))
    assert stored == json_schema()


def quiz_cli(folder: Path, *args: str) -> tuple[int, str]:
    """Run ``flask quiz validate`` in-process against an app whose QUIZ_DIR is ``folder``."""
    app: Flask = create_app({"SECRET_KEY": "cli", "DATABASE_URL": "sqlite://", "QUIZ_DIR": str(folder)})
    result = app.test_cli_runner().invoke(args=["quiz", "validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_cli_validates_the_quiz_folder(tmp_path: Path) -> None:
    """``flask quiz validate`` passes on the shipped quiz and fails, with file:line: field, on a bad one."""
    folder = week1_copy(tmp_path / "quizzes")
    assert quiz_cli(folder) == (0, "OK: 1 quiz file(s) valid.\n")
    bad = folder / "extra-quiz.yaml"
    text = small_quiz().replace("points: 2", "points: -2")
    bad.write_text(text)
    code, output = quiz_cli(folder)
    assert code == 1
    line = line_of(text, "points: -2")
    assert f"extra-quiz.yaml:{line}: questions[1].points: Input should be greater than 0" in output
    code, output = quiz_cli(folder, str(DEFAULT_QUIZ_DIR / "rnn-week1.yaml"))
    assert (code, output) == (0, "OK: 1 quiz file(s) valid.\n")
