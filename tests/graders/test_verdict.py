"""Verdict semantics through Grader.grade: statuses, scores, messages, replay and the JSON shape."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

import graders
from graders import CaseResult, Verdict
from graders.verdict import MAX_VERDICT_BYTES, bounded
from tests.graders.conftest import SOLUTION, STARTER, solution_with

CONTRACT_KEYS = ["exercise", "status", "score", "max_score", "cases", "feedback", "output"]


def test_solution_passes_with_full_marks(grade: Any) -> None:
    """The course solution passes every public and hidden case and scores the exercise's points."""
    v: Verdict = grade(SOLUTION)
    assert v.status == "passed" and v.score == v.max_score == 10
    assert len(v.cases) == 6 and all(c.passed for c in v.cases)
    assert [c.hidden for c in v.cases] == [False, False, True, True, True, True]


def test_to_dict_is_the_contract_json_plus_additive_keys(grade: Any) -> None:
    """to_dict() has the contract's keys in order, JSON-serialisable, plus seed/versions/mistakes."""
    d = grade(SOLUTION, seed=7).to_dict()
    assert list(d)[:7] == CONTRACT_KEYS
    assert set(d) - set(CONTRACT_KEYS) == {"seed", "grader_version", "exercise_version", "mistakes"}
    assert d["seed"] == 7 and d["grader_version"] == graders.GRADER_VERSION
    assert d["exercise_version"] == graders.get_exercise("rnn_cell_forward").version == 2
    assert all(list(case) == ["name", "passed", "hidden", "message", "outputs"] for case in d["cases"])
    output_keys = ["name", "passed", "shape", "max_abs_error", "worst_index", "yours", "expected"]
    assert all(list(o)[:8] == [*output_keys, "first_wrong_step"] for c in d["cases"] for o in c["outputs"])
    assert json.loads(json.dumps(d)) == d


def test_same_seed_replays_the_same_hidden_cases(grade: Any) -> None:
    """Grading twice with one seed gives identical case messages; another seed draws other shapes."""
    code = solution_with(returns="np.tanh(a_next) if a_next.shape[1] == 1 else a_next, yt_pred, cache")
    first, again = grade(code, seed=123), grade(code, seed=123)
    assert first.to_dict() == again.to_dict()
    notes = {tuple(c.message.split(")")[0] for c in grade(code, seed=s).cases if c.hidden) for s in range(6)}
    assert len(notes) > 1


def test_untouched_starter_fails_with_a_hint(grade: Any) -> None:
    """The starter's `= None` blanks give 0 points and say which outputs are still None."""
    v = grade(STARTER)
    assert v.status == "failed" and v.score == 0
    assert "a_next is None" in v.cases[0].message and "= None" in v.cases[0].message


def test_partial_credit_is_points_times_fraction_passed(grade: Any) -> None:
    """A function that is wrong only for m = 1 loses exactly the one m = 1 case."""
    v = grade(solution_with(returns="a_next + (xt.shape[1] == 1), yt_pred, cache"))
    assert v.status == "failed"
    assert [c.name for c in v.cases if not c.passed] == ["hidden: a batch of one (m = 1)"]
    assert v.score == round(10 * 5 / 6, 2)


def test_feedback_names_wrong_and_right_outputs(grade: Any) -> None:
    """A case message says which output differs (largest error, index) and which are right."""
    v = grade(solution_with(returns="a_next, yt_pred * 1.5, cache"))
    message = v.cases[0].message
    assert "Output yt_pred differs: largest error" in message and "at index (" in message
    assert (
        "Outputs a_next, cache[0] (a_next), cache[1] (a_prev), cache[2] (xt) and cache[3] (parameters) "
        "are right." in message
    )
    assert "Wrong output: yt_pred in 6 of 6 cases." in v.feedback


def test_public_cases_show_inputs_and_expected_hidden_ones_do_not(grade: Any) -> None:
    """A failing public case shows the inputs and the expected value; a hidden one shows neither."""
    v = grade(solution_with(returns="a_next, yt_pred * 1.5, cache"))
    public, hidden = v.cases[0], v.cases[2]
    assert "Inputs:" in public.message and "Expected yt_pred" in public.message
    assert "1.62435" in public.message  # the notebook's xt[0, 0]
    assert "Inputs:" not in hidden.message and "Expected" not in hidden.message


def test_course_example_matches_the_notebook(grader: Any) -> None:
    """The first public case is the notebook's np.random.seed(1) example, with its printed values."""
    content = grader.catalogue.get("rnn_cell_forward").content()
    case = content.public_cases()[0]
    a_next, yt_pred, _ = content.reference(*case.args)
    assert np.allclose(a_next[4][:3], [0.59584544, 0.18141802, 0.61311866])
    assert np.allclose(yt_pred[1][:3], [0.9888161, 0.01682021, 0.21140899])


def test_syntax_error_gives_its_line_and_message(grade: Any) -> None:
    """A syntax error is an error verdict naming the line and the parser's message."""
    v = grade("import numpy as np\n\ndef rnn_cell_forward(xt, a_prev, parameters)\n    return 1\n")
    assert v.status == "error" and v.score == 0
    assert any("Syntax error on line 3" in f and "expected ':'" in f for f in v.feedback)


def test_missing_function_names_the_expected_function(grade: Any) -> None:
    """Code without the graded function is an error that names the function and what was found."""
    v = grade("def rnn_cell(xt, a_prev, parameters):\n    return 1\n")
    assert v.status == "error"
    assert any("No function named rnn_cell_forward" in f and "rnn_cell" in f for f in v.feedback)


def test_exception_traceback_is_limited_to_the_submission(grade: Any) -> None:
    """An exception in the function is an error whose traceback shows only submission.py frames."""
    code = "import numpy as np\n\ndef helper(x):\n    return np.dot(x, np.ones((7, 7)))\n\n"
    code += "def rnn_cell_forward(xt, a_prev, parameters):\n    return helper(xt)\n"
    v = grade(code)
    assert v.status == "error"
    message = v.cases[0].message
    assert 'File "submission.py", line 7, in rnn_cell_forward' in message
    assert 'File "submission.py", line 4, in helper' in message and "ValueError" in message
    assert (
        "runner.py" not in message
        and "graders" not in message
        and "numpy" not in message.split("ValueError")[0]
    )


def test_exception_at_import_time_is_reported(grade: Any) -> None:
    """An exception while the file loads is an error naming the exception, before any case runs."""
    v = grade("import scipy\n")
    assert v.status == "error"
    assert any("No module named 'scipy'" in f for f in v.feedback)
    assert all(c.message.startswith("Not graded") for c in v.cases)


def test_printed_output_is_returned_as_plain_text(grade: Any) -> None:
    """What the submission prints comes back in `output`, uninterpreted."""
    v = grade(
        solution_with(module_code="print('hello <b>world</b>')\nimport sys\nprint('err', file=sys.stderr)")
    )
    assert v.status == "passed" and "hello <b>world</b>\nerr\n" in v.output


def test_named_mistake_is_listed_with_its_message(grade: Any) -> None:
    """A sigmoid-for-tanh submission is diagnosed: its id in `mistakes`, its message in feedback."""
    v = grade(SOLUTION.replace("np.tanh", "sigmoid"))
    assert v.status == "failed" and v.mistakes == ("sigmoid_for_tanh",)
    assert any("must use tanh, not sigmoid" in f for f in v.feedback)


def test_rejected_when_too_large(grade: Any) -> None:
    """A source over 64 KiB is rejected before running, with the limit in the feedback."""
    v = grade(SOLUTION + "#" * (64 * 1024))
    assert v.status == "rejected" and v.score == 0 and v.cases == ()
    assert "64 KiB" in v.feedback[0]


def test_rejected_when_not_utf8(grade: Any) -> None:
    """Bytes that are not UTF-8 are rejected, naming the offending byte."""
    v = grade(SOLUTION.encode() + b"\n# caf\xe9\n")
    assert v.status == "rejected" and "0xe9" in v.feedback[0]


def test_str_with_lone_surrogate_is_rejected(grade: Any) -> None:
    """A str that cannot be encoded as UTF-8 is rejected too."""
    assert grade(SOLUTION + "# \udcff\n").status == "rejected"


def test_grade_accepts_bytes(grade: Any) -> None:
    """UTF-8 bytes are graded like the equivalent str."""
    assert grade(SOLUTION.encode()).status == "passed"


def test_standard_library_numpy_and_course_helpers_import_inside(grade: Any) -> None:
    """math, itertools, copy, random, numpy submodules and rnn_utils all import in the sandbox."""
    imports = (
        "import math, itertools, functools, collections, copy, random, time, typing, dataclasses, json\n"
        "import numpy.linalg, numpy.random, numpy.fft, numpy.testing\n"
        "import rnn_utils\n"
        "from rnn_utils import *\n"
        "print('OK', math.pi > 3, rnn_utils.softmax(np.zeros((2, 1))).tolist(), float(sigmoid(0.0)))\n"
    )
    v = grade(solution_with(module_code=imports))
    assert v.status == "passed"
    assert "OK True [[0.5], [0.5]] 0.5" in v.output


def test_an_oversized_verdict_is_cut_with_a_note_never_refused() -> None:
    """Huge texts are cut so the JSON (as stored, ASCII-escaped) fits in 256 KiB, each with a note."""
    cases = tuple(CaseResult(f"case {i}", False, False, "é" * 50_000) for i in range(20))
    verdict = Verdict("x", "failed", 0.0, 10, cases=cases, feedback=("f" * 300_000,), output="o" * 1000)
    data = verdict.to_dict()
    assert len(json.dumps(data)) <= MAX_VERDICT_BYTES
    assert "cut to keep the verdict under 256 KiB" in data["cases"][0]["message"]
    assert data["status"] == "failed" and [c["name"] for c in data["cases"]] == [
        f"case {i}" for i in range(20)
    ]
    assert data["output"] == "o" * 1000  # short texts are left alone


def test_verdict_text_is_nul_free_valid_utf8_and_numbers_finite() -> None:
    """NUL is escaped, lone surrogates are replaced and NaN or infinity become text."""
    data = bounded({"status": "error", "output": "a\x00b\ud800", "feedback": [float("nan"), float("inf")]})
    assert data["output"] == "a\\x00b\ufffd" and data["feedback"] == ["nan", "inf"]
    json.dumps(data, allow_nan=False).encode("utf-8")


def test_subclasses_and_numpy_scalars_become_plain_json_values() -> None:
    """Values of subclasses of the built-in types and NumPy scalars come out as plain, clean JSON values."""
    import enum

    class Tag(str):
        pass

    class Level(enum.IntEnum):
        HIGH = 3

    data = bounded({
        "status": "failed",
        "feedback": [
            Tag("a\x00"), Level.HIGH, np.float64("nan"), np.float32(0.5), np.int64(7), np.bool_(True)
        ],
        "cases": ({Tag("k\x00"): (1, 2.5)},),
        "output": {3: None, "é": "\ud800"},
    })
    assert data["feedback"] == ["a\\x00", 3, "nan", 0.5, 7, True]
    assert [type(v) for v in data["feedback"]] == [str, int, str, float, int, bool]
    assert data["cases"] == [{"k\\x00": [1, 2.5]}] and data["output"] == {"3": None, "é": "\ufffd"}
    json.dumps(data, allow_nan=False).encode("utf-8")


def test_too_many_items_are_cut_with_a_note() -> None:
    """A verdict too large even with its texts cut loses list items, not its headline, and says so."""
    many = [{"name": str(i), "passed": False, "hidden": True, "message": "m"} for i in range(3000)]
    data = bounded(
        {"exercise": "x", "status": "failed", "score": 1.5, "cases": many, "feedback": ["f", [0] * 90_000]}
    )
    assert len(json.dumps(data)) <= MAX_VERDICT_BYTES and data["score"] == 1.5
    assert data["status"] == "failed" and data["feedback"][0] == "f" and "left out" in data["feedback"][-1]
    assert data["cases"] == many and 10_000 < len(data["feedback"][1]) < 90_000  # the longest list is cut
