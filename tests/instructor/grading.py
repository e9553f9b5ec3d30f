"""Graded submissions made the real way: accepted by the pipeline, graded by ``graders.grade``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizapp.extensions import db
from quizapp.grading.runner import run_one
from quizapp.models import Submission
from quizapp.services import accounts, submitting

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"

# The classic slip: sigmoid where the RNN cell uses tanh. Everything else is right.
BUGGY_RNN_CELL = """
import numpy as np

def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)

def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = 1 / (1 + np.exp(-(Waa @ a_prev + Wax @ xt + ba)))
    yt_pred = softmax(Wya @ a_next + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache
"""


def solution(slug: str = "rnn_cell_forward") -> str:
    """The exercise's reference solution, as a student would submit it."""
    return (EXERCISES / slug / "solution.py").read_text(encoding="utf-8")


def buggy() -> str:
    """An rnn_cell_forward with sigmoid in place of tanh."""
    return BUGGY_RNN_CELL


def submit_and_grade(email: str, slug: str, code: str) -> dict[str, Any]:
    """Accept a submission for ``email`` through the pipeline service and grade it now; return the verdict."""
    user = accounts.find_user(email)
    assert user is not None
    accepted = submitting.accept(user, slug, code, source="api", capacity=1000)
    assert run_one(accepted.id), "the submission could not be claimed and graded"
    db.session.expire_all()
    graded = db.session.get(Submission, accepted.id)
    assert graded is not None and graded.status == "graded" and graded.verdict is not None
    return dict(graded.verdict)
