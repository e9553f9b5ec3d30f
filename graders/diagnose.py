"""Named mistakes: recognising a known bug from a submission's returned values.

Each :class:`~graders.exercise.Mistake` of the exercise is run on the trusted side, on fresh
copies of a case's inputs. The rule, per case:

- a variant is *consistent* with the submission on a case when it runs, and on every graded
  output it produces (only the mistake's ``outputs_only`` when it names some) the submission's
  value equals the variant's within the exercise's tolerance (same shape, non-finite values in
  the same places) — the outputs the submission got right as well as the ones it got wrong;
- it *explains* a failing case when it is consistent there and covers at least one of the
  outputs the submission got wrong there.

Mistakes are then chosen greedily: the one explaining the most failing cases not yet explained,
until none explains another. A tie goes to the most specific variant: consistent with the
submission on the most cases (passing ones included, where a variant that differs from the
reference is refuted), then comparing the most outputs. Only variants still tied and explaining
the same cases are named together: on this grading's inputs they are indistinguishable.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from graders.catalogue import fresh_copy
from graders.compare import Tolerance, matches, resolve
from graders.exercise import Case, Mistake, OutputPath

_RAISED = object()
# (case, key, compute) -> compute(), or what an earlier grading computed for that case and key
Remember = Callable[[Case, Hashable, Callable[[], Any]], Any]


def _compute(case: Case, key: Hashable, compute: Callable[[], Any]) -> Any:
    return compute()


class _Trial:
    """Variant results and consistency checks for one grading, computed lazily and cached."""

    def __init__(
        self,
        mistakes: tuple[Mistake, ...],
        cases: list[Case],
        got: dict[int, Any],
        wrong: dict[int, list[str]],
        outputs: Callable[[Case], dict[str, OutputPath]],
        tol: Tolerance,
        remember: Remember,
    ) -> None:
        self.mistakes, self.cases, self.got, self.wrong, self.tol = mistakes, cases, got, wrong, tol
        self._outputs, self.remember = outputs, remember
        self._paths: dict[int, dict[str, OutputPath]] = {}
        self._compared: dict[tuple[int, int], int | None] = {}

    def paths(self, case: int) -> dict[str, OutputPath]:
        if case not in self._paths:
            self._paths[case] = self._outputs(self.cases[case])
        return self._paths[case]

    def _run(self, index: int, case: int) -> Any:
        def run() -> Any:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    return self.mistakes[index].implementation(*fresh_copy(self.cases[case].args))
            except Exception:  # a variant may not apply to every input
                return _RAISED

        return self.remember(self.cases[case], ("mistake", index), run)

    def compared(self, index: int, case: int) -> int | None:
        """How many outputs the variant was compared on, if consistent with the submission; else None."""
        key = (index, case)
        if key not in self._compared:
            self._compared[key] = self._check(index, case)
        return self._compared[key]

    def _check(self, index: int, case: int) -> int | None:
        mistake = self.mistakes[index]
        names = [n for n in self.paths(case) if not mistake.outputs_only or n in mistake.outputs_only]
        wrong = set(self.wrong.get(case, ()))
        if case in self.wrong and not wrong.intersection(names):
            return None  # on a failing case, the variant must account for something wrong
        variant = self._run(index, case)
        if variant is _RAISED:
            return None
        count = 0
        for name in sorted(names, key=lambda n: n not in wrong):  # the wrong outputs first: most variants
            # differ from the submission there, and one difference settles it
            v, v_problem = resolve(variant, self.paths(case)[name], "variant")
            if v_problem:
                if name in wrong:
                    return None
                continue  # an output the variant does not produce says nothing either way
            g, g_problem = resolve(self.got[case], self.paths(case)[name], "got")
            if g_problem or not matches(g, v, self.tol):
                return None
            count += 1
        return count

    def specificity(self, index: int) -> tuple[int, int]:
        """(cases consistent with the submission, outputs compared on them), over every returned case."""
        counts = [c for case in self.got if (c := self.compared(index, case)) is not None]
        return len(counts), sum(counts)


def diagnose(
    mistakes: tuple[Mistake, ...],
    cases: list[Case],
    got: dict[int, Any],
    wrong: dict[int, list[str]],
    outputs: Callable[[Case], dict[str, OutputPath]],
    tol: Tolerance,
    remember: Remember | None = None,
) -> list[Mistake]:
    """The mistakes to name for a grading.

    ``got`` holds the returned value of each case that returned one (by case index), ``wrong``
    the names of the wrong outputs of each failing case among them, ``outputs`` the graded
    outputs of a case. ``remember`` may keep a variant's values on a case for later gradings
    (:meth:`graders.catalogue.ExerciseContent.remember`). See the module docstring for the rule.
    """
    trial = _Trial(mistakes, cases, got, wrong, outputs, tol, remember or _compute)
    failing = [case for case in wrong if case in got and wrong[case]]
    explains = [
        {case for case in failing if trial.compared(i, case) is not None} for i in range(len(mistakes))
    ]
    uncovered, named = set(failing), []
    while uncovered:
        gains = [len(cover & uncovered) for cover in explains]
        best = max(gains, default=0)
        if best == 0:
            break
        tied = [i for i, gain in enumerate(gains) if gain == best]
        if len(tied) > 1:
            ranks = {i: trial.specificity(i) for i in tied}
            top = max(ranks.values())
            first = next(i for i in tied if ranks[i] == top)
            cover = explains[first] & uncovered
            tied = [i for i in tied if ranks[i] == top and explains[i] & uncovered == cover]
        named += tied
        uncovered -= explains[tied[0]]
    return [mistakes[i] for i in named]
