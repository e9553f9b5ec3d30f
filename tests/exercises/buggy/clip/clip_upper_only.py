# ruff: noqa  (student-style code, kept as a student would write it)
# expect: clip_upper_only
import numpy as np


def clip(gradients, maxValue):
    clipped = {}
    for name, grad in gradients.items():
        clipped[name] = np.minimum(grad, maxValue)
    return clipped
