"""The exercise-content API: what an exercise folder's trusted modules build on.

An exercise folder (``exercises/<slug>/``) holds ``info.yaml``, ``statement.md``,
``starter.py``, ``solution.py``, ``grading.py`` and ``mistakes.py``; see
``docs/exercise-format.md``. ``grading.py`` and ``mistakes.py`` run only on the
trusted side and import nothing but NumPy and this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# A hidden-case profile: its label and the sizes or flags it fixes, e.g. ("m=1", {"m": 1}).
Profile = tuple[str, Mapping[str, Any]]

# A path into a returned value: tuple/list indices and dict keys, outermost first.
OutputPath = tuple[int | str, ...]


@dataclass(frozen=True)
class Case:
    """One call of the graded function: positional arguments and how it is shown."""

    name: str
    args: tuple[Any, ...]
    hidden: bool = False
    note: str = ""


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation, run on the trusted side to name a student's bug."""

    id: str
    message: str
    implementation: Callable[..., Any]
    outputs_only: tuple[str, ...] = field(default=())


def mistake(
    id: str, message: str, *, outputs_only: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Mistake]:
    """Decorate a variant implementation to register it as a named mistake.

    ``outputs_only`` (optional) restricts matching to those graded outputs, for a mistake
    that explains only part of what can be wrong (see ``graders/diagnose.py``).
    """

    def wrap(fn: Callable[..., Any]) -> Mistake:
        return Mistake(id=id, message=message, implementation=fn, outputs_only=tuple(outputs_only))

    return wrap


def fixed_outputs(outputs: Mapping[str, OutputPath]) -> Callable[[Case], dict[str, OutputPath]]:
    """Build an ``outputs(case)`` function for an exercise whose graded outputs never vary."""

    frozen = dict(outputs)

    def outputs_for(case: Case) -> dict[str, OutputPath]:
        return dict(frozen)

    return outputs_for


def profile_cases(
    rng: np.random.Generator,
    count: int,
    profiles: Sequence[Profile],
    sizes: Mapping[str, tuple[int, int]],
    build: Callable[..., Case],
    distinct: tuple[str, str] | None = None,
) -> list[Case]:
    """Draw ``count`` hidden cases, cycling through the edge-case ``profiles``.

    Each case draws its sizes from ``sizes`` (low inclusive, high exclusive), lets the profile override
    them, bumps the first of ``distinct`` when the pair coincides (so n_x never equals n_a), and calls
    ``build(name, draw, hidden=True, **sizes)``, where ``draw(shape)`` gives standard-normal arrays.
    """

    def draw(shape: tuple[int, ...]) -> np.ndarray:
        return rng.standard_normal(shape)

    cases = []
    for i in range(count):
        label, fixed = profiles[i % len(profiles)]
        dims: dict[str, Any] = {name: int(rng.integers(low, high)) for name, (low, high) in sizes.items()}
        dims.update(fixed)
        if distinct and dims[distinct[0]] == dims[distinct[1]]:
            dims[distinct[0]] += 1
        cases.append(build(f"hidden {i + 1}: {label}", draw, hidden=True, **dims))
    return cases
