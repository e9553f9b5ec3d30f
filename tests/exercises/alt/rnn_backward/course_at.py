# ruff: noqa  (student-style code, kept as a student would write it)
# Course structure with `@`, a while loop and gradients accumulated in a dict.
import numpy as np


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dtanh = (1 - a_next**2) * da_next
    return {"dxt": p["Wax"].T @ dtanh, "da_prev": p["Waa"].T @ dtanh, "dWax": dtanh @ xt.T,
            "dWaa": dtanh @ a_prev.T, "dba": dtanh.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    p = cache_list[0][3]
    out = {"dx": np.zeros(x.shape), "dWax": np.zeros(p["Wax"].shape), "dWaa": np.zeros(p["Waa"].shape),
           "dba": np.zeros((n_a, 1))}
    da_prevt = np.zeros((n_a, m))
    t = T_x - 1
    while t >= 0:
        g = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        out["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            out[k] += g[k]
        da_prevt = g["da_prev"]
        t -= 1
    out["da0"] = da_prevt
    return out
