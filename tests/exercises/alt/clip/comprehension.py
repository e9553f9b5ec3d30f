# ruff: noqa  (student-style code, kept as a student would write it)
# A dict comprehension that returns new arrays instead of clipping in place.
import numpy as np


def clip(gradients, maxValue):
    return {k: np.clip(v, -maxValue, maxValue) for k, v in gradients.items()}
