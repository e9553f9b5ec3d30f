# ruff: noqa  (student-style code, kept as a student would write it)
# Gradients of the stacked Wa = [Waa | Wax] on [a_prev; xt], split afterwards.
import numpy as np


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    n_a = a_prev.shape[0]
    dz = (1 - a_next * a_next) * da_next
    Wa = np.hstack([p["Waa"], p["Wax"]])
    d_concat = Wa.T @ dz
    dWa = dz @ np.vstack([a_prev, xt]).T
    return {"dxt": d_concat[n_a:], "da_prev": d_concat[:n_a], "dWax": dWa[:, n_a:], "dWaa": dWa[:, :n_a],
            "dba": np.sum(dz, axis=1, keepdims=True)}
