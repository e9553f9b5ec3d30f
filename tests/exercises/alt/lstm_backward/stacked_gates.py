# ruff: noqa  (student-style code, kept as a student would write it)
# Stacks the four gates into one (4 n_a, n_a + n_x) matrix; no separate cell function.
import numpy as np


def lstm_backward(da, caches):
    steps, x = caches
    p = steps[0][9]
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    W = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    dW = np.zeros_like(W)
    db = np.zeros((4 * n_a, 1))
    dx = np.zeros((n_x, m, T_x))
    da_carry = np.zeros((n_a, m))
    dc_carry = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = steps[t]
        da_next = da[:, :, t] + da_carry
        th = np.tanh(c_next)
        dc = dc_carry + ot * (1 - th ** 2) * da_next
        dz = np.vstack([dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it),
                        dc * it * (1 - cct ** 2), da_next * th * ot * (1 - ot)])
        concat = np.vstack([a_prev, xt])
        dW += dz @ concat.T
        db += dz.sum(axis=1, keepdims=True)
        dconcat = W.T @ dz
        da_carry, dx[:, :, t] = dconcat[:n_a], dconcat[n_a:]
        dc_carry = dc * ft
    out = {"dx": dx, "da0": da_carry}
    for k, g in enumerate("fico"):
        out["dW" + g] = dW[k * n_a:(k + 1) * n_a]
        out["db" + g] = db[k * n_a:(k + 1) * n_a]
    return out
