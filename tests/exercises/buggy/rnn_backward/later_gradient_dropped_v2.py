# ruff: noqa  (student-style code, kept as a student would write it)
# expect: later_gradient_dropped
import numpy as np


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next * a_next)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T_x)), "dWax": 0, "dWaa": 0, "dba": 0}
    for t in range(T_x - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t], cache_list[t])
        grads["dx"][:, :, t] = g["dxt"]
        grads["dWax"] = grads["dWax"] + g["dWax"]
        grads["dWaa"] = grads["dWaa"] + g["dWaa"]
        grads["dba"] = grads["dba"] + g["dba"]
        if t == 0:
            grads["da0"] = g["da_prev"]
    return grads
