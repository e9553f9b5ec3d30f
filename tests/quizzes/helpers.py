"""Shared test data for the quiz tests: the answer key, small quiz files and a leak scanner."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from quizapp.content.quizzes import DEFAULT_QUIZ_DIR, QuizDefinition

KEY = {"q1": ["a"], "q2": ["a"], "q3": ["b", "d"], "q4": ["c"], "q5": ["d"], "q6": ["b"], "q7": ["b"],
       "q8": ["c"], "q9": ["a"], "q10": ["c"]}
ALL_WRONG = {"q1": ["b"], "q2": ["b"], "q3": ["a", "c"], "q4": ["a"], "q5": ["a"], "q6": ["a"], "q7": ["a"],
             "q8": ["a"], "q9": ["b"], "q10": ["a"]}
FORBIDDEN_KEYS = {"correct", "feedback", "feedback_html", "explanation", "explanation_html", "answer", "key"}


def week1_copy(folder: Path, **attempts: Any) -> Path:
    """Copy the week-1 quiz (and its figures) into ``folder``, overriding attempt settings."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DEFAULT_QUIZ_DIR / "figures", folder / "figures", dirs_exist_ok=True)
    data = yaml.safe_load((DEFAULT_QUIZ_DIR / "rnn-week1.yaml").read_text(encoding="utf-8"))
    data["attempts"].update(attempts)
    (folder / "rnn-week1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def small_quiz(slug: str = "extra-quiz", **top: Any) -> str:
    """A valid two-question quiz file as YAML text."""
    data = {
        "slug": slug,
        "title": "A second quiz",
        "questions": [
            {"id": "one", "kind": "single", "prompt": "What is $1 + 1$?",
             "options": [{"id": "x", "text": "2", "correct": True},
                         {"id": "y", "text": "3", "feedback": "Off by one."}],
             "explanation": "Arithmetic."},
            {"id": "two", "kind": "multiple", "prompt": "Pick the even numbers.", "points": 2,
             "options": [{"id": "p", "text": "2", "correct": True},
                         {"id": "q", "text": "4", "correct": True},
                         {"id": "r", "text": "5", "feedback": "Odd."},
                         {"id": "s", "text": "7", "feedback": "Odd."}],
             "explanation": "Even numbers divide by two."},
        ],
        **top,
    }
    return yaml.safe_dump(data, sort_keys=False)


def secrets_of(quiz: QuizDefinition) -> list[str]:
    """Rendered explanations and feedback: none of them may appear before an attempt is submitted."""
    texts = [q.explanation_html for q in quiz.questions]
    texts += [o.feedback_html for q in quiz.questions for o in q.options if o.feedback_html]
    return texts


def json_strings(value: Any) -> list[str]:
    """Every key and string value anywhere in a JSON document."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *json_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return [value] if isinstance(value, str) else []


def assert_no_leak(body: Any, quiz: QuizDefinition) -> None:
    """Fail if any explanation, feedback or answer marker is in a page (str) or parsed JSON response."""
    if not isinstance(body, str):
        assert not json_keys(body) & FORBIDDEN_KEYS, json_keys(body) & FORBIDDEN_KEYS
        body = "\n".join(json_strings(body))
    for text in secrets_of(quiz):
        assert text not in body
    for marker in ("is-right", "is-wrong", "Correct option", "feedback", "explanation", "Explanation"):
        assert marker not in body, marker


def json_keys(value: Any) -> set[str]:
    """Every object key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()

