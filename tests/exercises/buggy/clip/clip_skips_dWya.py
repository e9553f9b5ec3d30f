# ruff: noqa  (student-style code, kept as a student would write it)
# expect: clip_skips_dWya
import numpy as np


def clip(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = gradients['dWaa'], gradients['dWax'], gradients['dWya'], gradients['db'], gradients['dby']
    for g in [dWax, dWaa, db, dby]:
        np.clip(g, -maxValue, maxValue, out=g)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
