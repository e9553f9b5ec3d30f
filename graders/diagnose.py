"""Named mistakes: recognising a known bug from a submission's wrong outputs.

For a failing case, every :class:`~graders.exercise.Mistake` of the exercise is run on the
trusted side, on fresh copies of that case's inputs. The matching rule: a mistake is
diagnosed when, on every output the submission got wrong (restricted to the mistake's
``outputs_only`` when it names some), the submission's value equals the variant's value
within the exercise's tolerance (same shape, non-finite values in the same places). Outputs
the submission got right are not consulted, so a student with a second, unrelated bug in
another output is not diagnosed unless ``outputs_only`` narrows the mistake to its outputs.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np

from graders.compare import Tolerance, compare, resolve
from graders.exercise import Case, Mistake, OutputPath


def matching_mistakes(
    mistakes: tuple[Mistake, ...],
    case: Case,
    got: Any,
    wrong: list[str],
    paths: dict[str, OutputPath],
    tol: Tolerance,
) -> list[Mistake]:
    """The mistakes whose variant reproduces the submission's wrong outputs on ``case``."""
    found = []
    for mistake in mistakes:
        considered = [n for n in wrong if not mistake.outputs_only or n in mistake.outputs_only]
        if not considered:
            continue
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                variant = mistake.implementation(*copy.deepcopy(case.args))
        except Exception:  # noqa: S112 - a variant may not apply to every input
            continue
        if all(_same(got, variant, paths[name], tol) for name in considered):
            found.append(mistake)
    return found


def _same(got: Any, variant: Any, path: OutputPath, tol: Tolerance) -> bool:
    g, g_problem = resolve(got, path, "got")
    v, v_problem = resolve(variant, path, "variant")
    return not g_problem and not v_problem and compare(g, v, tol, "value") is None
