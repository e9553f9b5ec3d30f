# ruff: noqa  (student-style code, kept as a student would write it)
# np.minimum / np.maximum on a deep copy, as in the newer notebook.
import copy

import numpy as np


def clip(gradients, maxValue):
    gradients = copy.deepcopy(gradients)
    for key in ("dWaa", "dWax", "dWya", "db", "dby"):
        gradients[key] = np.maximum(np.minimum(gradients[key], maxValue), -maxValue)
    return gradients
