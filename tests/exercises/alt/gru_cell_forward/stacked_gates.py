# ruff: noqa  (student-style code, kept as a student would write it)
# Reset and update gates from one stacked product, `@`, an own softmax, no cache contents beyond a tuple.
import numpy as np


def gru_cell_forward(xt, c_prev, parameters):
    p = parameters
    n_c = c_prev.shape[0]
    gates = 1 / (1 + np.exp(-(np.vstack([p["Wr"], p["Wu"]]) @ np.vstack([c_prev, xt]) + np.vstack([p["br"], p["bu"]]))))
    r, u = gates[:n_c], gates[n_c:]
    c_tilde = np.tanh(p["Wc"][:, :n_c] @ (r * c_prev) + p["Wc"][:, n_c:] @ xt + p["bc"])
    c_next = c_prev + u * (c_tilde - c_prev)
    logits = p["Wy"] @ c_next + p["by"]
    e = np.exp(logits - logits.max(axis=0))
    return c_next, e / e.sum(axis=0), ()
