# ruff: noqa  (student-style code, kept as a student would write it)
# expect: clip_skips_dby
import numpy as np


def clip(gradients, maxValue):
    for key in ["dWaa", "dWax", "dWya", "db"]:
        gradients[key] = np.clip(gradients[key], -maxValue, maxValue)
    return gradients
