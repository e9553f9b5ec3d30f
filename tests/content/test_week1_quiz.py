"""The week-1 quiz file itself: ids, key, clean text, formulas, figures and explanations."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, load_quizzes
from tests.quizzes.helpers import week1_copy

QUIZ = load_quizzes(DEFAULT_QUIZ_DIR)["rnn-week1"]
KEY = {"q1": ["a"], "q2": ["a"], "q3": ["b", "d"], "q4": ["c"], "q5": ["d"], "q6": ["b"], "q7": ["b"],
       "q8": ["c"], "q9": ["a"], "q10": ["c"]}
SOURCE = (DEFAULT_QUIZ_DIR / "rnn-week1.yaml").read_text(encoding="utf-8")


def fragments() -> list[str]:
    """Every rendered HTML fragment of the quiz."""
    parts = [QUIZ.description_html or ""]
    for question in QUIZ.questions:
        parts += [question.prompt_html, question.explanation_html]
        parts += [o.html for o in question.options] + [o.feedback_html or "" for o in question.options]
    return parts


def test_ids_and_answer_key() -> None:
    """Questions q1..q10 in order, options a..d in order, and the issue's answer key."""
    assert [q.id for q in QUIZ.questions] == [f"q{i}" for i in range(1, 11)]
    assert all(q.option_ids == ["a", "b", "c", "d"] for q in QUIZ.questions)
    assert {q.id: q.correct for q in QUIZ.questions} == KEY
    assert [q.kind for q in QUIZ.questions].count("multiple") == 1 and QUIZ.question("q3").kind == "multiple"
    assert (QUIZ.max_score, QUIZ.pass_mark, QUIZ.scoring) == (10, 0.8, "all_or_nothing")


def test_defaults_of_the_attempt_policy() -> None:
    """Three attempts per eight hours, best score counts, the key only in reviews after a pass."""
    settings = QUIZ.settings
    assert (settings.max_attempts, settings.window_hours, settings.counted_score) == (3, 8, "best")
    assert settings.review == "after_pass_or_last_attempt" and settings.time_limit_minutes is None


def test_every_question_explains_itself() -> None:
    """Each question has an explanation, and every wrong option says why it is wrong."""
    for question in QUIZ.questions:
        assert len(question.explanation_html) > 100, question.id
        for option in question.options:
            assert option.feedback_html, (question.id, option.id)


@pytest.mark.parametrize(
    "damage",
    [r"t1\b", "1Γ", "1\\\\Gamma", "manytoone", r"\btt\b", "yx→y", r"\$Gamma", "100dimensional",
     "characterlevel", "groundtruth", "timestep", "the the", "Here’re", r"<t1>", r"\{<"],
)
def test_no_extraction_damage_left(damage: str) -> None:
    """None of the notes' extraction damage survives in the quiz file."""
    assert not re.search(damage, SOURCE), damage


def test_all_fragments_are_well_formed_with_no_raw_latex() -> None:
    """Every fragment parses as XML (so MathML is valid) and no $ or LaTeX command is left unrendered."""
    for html in fragments():
        ElementTree.fromstring(f"<div>{html}</div>")  # noqa: S314 - our own rendering
        visible = re.sub(r'alttext="[^"]*"', "", html)
        assert "$" not in visible and "\\" not in visible, visible[:200]


def test_key_formulas_render() -> None:
    """x^(i)<j>, Γ_u and the conditional probability all render as MathML."""
    assert "<math" in QUIZ.question("q1").option("a").html
    assert "&#x00393;" in QUIZ.question("q7").prompt_html
    conditional = QUIZ.question("q4").option("c").html
    assert "<math" in conditional and "&#x02223;" in conditional and "&#x02212;" in conditional


def test_gru_and_lstm_equations_are_shown() -> None:
    """Q8 shows the GRU's equations; Q9 shows GRU and LSTM, with the output gate reading a<t-1>."""
    assert QUIZ.question("q8").prompt_html.count('display="block"') == 5
    q9 = QUIZ.question("q9").prompt_html
    assert q9.count('display="block"') == 11
    assert r'alttext="\Gamma_o = \sigma(W_o[a^{\langle t-1\rangle}, x^{\langle t\rangle}] + b_o)"' in q9
    assert "W_o[c^" not in q9


@pytest.mark.parametrize(("question", "words"), [("q2", ["Tx", "Ty", "a⟨0⟩"]), ("q5", ["ŷ⟨1⟩", "x⟨1⟩"])])
def test_figures_are_inline_svg_with_alt_text(question: str, words: list[str]) -> None:
    """Q2 and Q5 carry an inline SVG with role="img", a title and a description."""
    html = QUIZ.question(question).prompt_html
    svg = ElementTree.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    description = svg.findtext(f"{ns}title", "") + svg.findtext(f"{ns}desc", "")
    assert all(word in description for word in words)
    assert "<script" not in html


def test_version_changes_with_content(tmp_path: Path) -> None:
    """The version is a content hash: stable for the same files, new when the quiz or a figure changes."""
    folder = week1_copy(tmp_path / "quizzes")
    first = load_quizzes(folder)["rnn-week1"].version
    assert re.fullmatch(r"[0-9a-f]{16}", first) and load_quizzes(folder)["rnn-week1"].version == first
    figure = folder / "figures" / "q5-sampling.svg"
    figure.write_text(figure.read_text().replace("<rect ", '<rect data-x="1" ', 1))
    second = load_quizzes(folder)["rnn-week1"].version
    assert second != first
