"""Feedback for code pasted from notebooks: the course namespace, missing names, placeholders, caches,
aliasing and top-level code that crashes while loading."""

from __future__ import annotations

from pathlib import Path

import graders

REPO = Path(__file__).resolve().parents[2]


def solution(slug: str) -> str:
    """The exercise's reference solution as a student would paste it."""
    return (REPO / "exercises" / slug / "solution.py").read_text(encoding="utf-8")


def test_course_names_need_no_import() -> None:
    """np, math, copy, sigmoid and softmax work without imports, as after the notebook's first cell."""
    code = (
        "def rnn_cell_forward(xt, a_prev, parameters):\n"
        "    p = copy.copy(parameters)\n"
        "    a_next = np.tanh(p['Waa'] @ a_prev + p['Wax'] @ xt + p['ba']) * math.cos(0)\n"
        "    assert sigmoid(0) == 0.5\n"
        "    return a_next, softmax(p['Wya'] @ a_next + p['by']), (a_next, a_prev, xt, parameters)\n"
    )
    verdict = graders.grade("rnn_cell_forward", code)
    assert verdict.status == "passed", verdict.to_dict()


def test_injected_names_are_not_listed_as_found_functions() -> None:
    """A missing function's message lists only the file's own functions, not the course helpers."""
    verdict = graders.grade("clip", "def clop(gradients, maxValue):\n    return gradients\n")
    message = next(item for item in verdict.feedback if "No function named clip" in item)
    assert "Functions found: clop." in message and "sigmoid" not in message


def test_missing_earlier_function_names_its_exercise() -> None:
    """rnn_forward pasted without rnn_cell_forward: the feedback says it comes from that earlier exercise."""
    code = solution("rnn_forward")
    start = code.index("def rnn_cell_forward(")
    end = code.index("def rnn_forward(")
    verdict = graders.grade("rnn_forward", code[:start] + code[end:])
    assert verdict.status == "error"
    assert any("`rnn_cell_forward` is not defined" in item and "earlier cell" in item
               for item in verdict.feedback)


def test_missing_test_variable_is_explained() -> None:
    """A name from a test cell (`parameters_tmp`) is explained as such."""
    extra = "maxValue = maxValue + 0 * len(parameters_tmp)\n    for gradient in ["
    code = solution("clip").replace("for gradient in [", extra)
    verdict = graders.grade("clip", code)
    assert any("`parameters_tmp`" in item and "test cells" in item for item in verdict.feedback)


def test_unfilled_none_in_a_sequence_function_is_hinted() -> None:
    """A `= None` left in lstm_forward is named with its line, as for single steps."""
    code = solution("lstm_forward").replace("c = np.zeros((n_a, m, T_x))", "c = None")
    assert "c = None" in code
    verdict = graders.grade("lstm_forward", code)
    line = code.split("\n").index("    c = None") + 1
    assert any(f"line {line}: `c = None`" in item for item in verdict.feedback), verdict.feedback


def test_caches_for_caches_t_is_hinted() -> None:
    """Passing `caches` to rnn_cell_backward where `caches[t]` is meant is named, with its line."""
    code = solution("rnn_backward").replace("caches[t]", "caches")
    verdict = graders.grade("rnn_backward", code)
    assert verdict.status != "passed"
    assert any("passes `caches` to rnn_cell_backward" in item and "caches[t]" in item
               for item in verdict.feedback)


def test_aliasing_c_equals_a_is_hinted() -> None:
    """`c = a` in lstm_forward (both outputs the same array) is named as aliasing."""
    code = solution("lstm_forward").replace("c = np.zeros((n_a, m, T_x))", "c = a")
    verdict = graders.grade("lstm_forward", code)
    assert verdict.status == "failed"
    assert any("`c = a` makes c and a the same array" in item for item in verdict.feedback), verdict.feedback


def test_top_level_test_call_crashing_gets_advice() -> None:
    """A pasted notebook whose test call crashes at load time: advice names the line to remove."""
    code = solution("clip") + "\nclip_test(clip, 10)\n"
    verdict = graders.grade("clip", code)
    assert verdict.status == "error"
    assert any("top-level code" in item and "clip_test(clip, 10)" in item for item in verdict.feedback)


def test_magic_line_in_a_paste_gets_advice() -> None:
    """A `%matplotlib inline` line is a syntax error; the advice says it is a notebook command."""
    verdict = graders.grade("clip", "%matplotlib inline\n" + solution("clip"))
    assert verdict.status == "error"
    assert any("notebook command" in item and "Line 1 is" in item for item in verdict.feedback)


def test_passing_code_gets_no_hints() -> None:
    """A correct submission that happens to contain `x = None` gets no placeholder hint."""
    header = "def clip(gradients, maxValue):"
    code = solution("clip").replace(header, header + "\n    unused = None")
    verdict = graders.grade("clip", code)
    assert verdict.status == "passed" and verdict.feedback == ("6 of 6 cases passed.",)


def test_alias_hints_need_an_allocated_source_and_a_write() -> None:
    """`c = a` is named only when `a` was allocated in that function and one of the two is written into
    (by assignment or augmented assignment to a subscript); each function is judged on its own."""
    import ast

    from graders.hints import alias_hints

    source = """
def f(m):
    a = np.zeros((2, m))
    c = a
    c[0] += 1
def g(m):
    a = np.zeros((2, m))
    c = a
    return c
def h(a):
    c = a
    c[0] = 1
"""
    hints = alias_hints(ast.parse(source), source.split("\n"))
    assert len(hints) == 1 and hints[0].startswith("Line 4: `c = a` makes c and a the same array")
