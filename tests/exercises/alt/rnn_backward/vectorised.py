# ruff: noqa  (student-style code, kept as a student would write it)
# No cell function: a loop for the recurrence only, then all weight gradients at once with einsum.
import numpy as np


def rnn_backward(da, caches):
    steps, x = caches
    n_a, m, T_x = da.shape
    p = steps[0][3]
    a = np.stack([s[0] for s in steps], axis=2)
    a_prev = np.stack([s[1] for s in steps], axis=2)
    dz = np.zeros_like(da)
    carry = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        dz[:, :, t] = (1 - a[:, :, t] ** 2) * (da[:, :, t] + carry)
        carry = p["Waa"].T @ dz[:, :, t]
    return {
        "dx": np.einsum("ax,amt->xmt", p["Wax"], dz),
        "da0": carry,
        "dWax": np.einsum("amt,xmt->ax", dz, x),
        "dWaa": np.einsum("amt,bmt->ab", dz, a_prev),
        "dba": dz.sum(axis=(1, 2)).reshape(n_a, 1),
    }
