"""clip: known mistakes, each a small variant of the reference (none modifies its inputs)."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
KEYS = ("dWaa", "dWax", "dWya", "db", "dby")
ALL = ("Clip all five to [−maxValue, maxValue]: for gradient in [dWax, dWaa, dWya, db, dby]: "
       "np.clip(gradient, -maxValue, maxValue, out=gradient)")


def _clip(gradients: dict[str, A], max_value: float, *, skip: Collection[str] = (),
          lower: bool = True) -> dict[str, A]:
    out = {}
    for key in KEYS:
        g = gradients[key]
        out[key] = g.copy() if key in skip else np.clip(g, -max_value if lower else None, max_value)
    return out


def _skips(*keys: str) -> Mistake:
    names = " and ".join(keys)
    verb = "is" if len(keys) == 1 else "are"

    def variant(gradients: dict[str, A], maxValue: float) -> dict[str, A]:
        return _clip(gradients, maxValue, skip=keys)

    return mistake(f"clip_skips_{'_'.join(keys)}", f"{names} {verb} not clipped. {ALL}.")(variant)


clip_skips_biases = _skips("db", "dby")
clip_skips_dWaa = _skips("dWaa")
clip_skips_dWax = _skips("dWax")
clip_skips_dWya = _skips("dWya")
clip_skips_db = _skips("db")
clip_skips_dby = _skips("dby")


@mistake("clip_result_discarded", "Nothing is clipped: np.clip returns a new array and leaves its input "
         "alone unless you pass out=. Write np.clip(gradient, -maxValue, maxValue, out=gradient), or store "
         f"the result. {ALL}.")
def clip_result_discarded(gradients: dict[str, A], maxValue: float) -> dict[str, A]:
    return _clip(gradients, maxValue, skip=KEYS)


@mistake("clip_upper_only", "Only the upper bound is applied: values below −maxValue must be raised to "
         f"−maxValue too. {ALL}.")
def clip_upper_only(gradients: dict[str, A], maxValue: float) -> dict[str, A]:
    return _clip(gradients, maxValue, lower=False)
