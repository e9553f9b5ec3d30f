# ruff: noqa  (student-style code, kept as a student would write it)
# One example at a time, accumulating the weight gradients in a loop.
import numpy as np


def lstm_cell_backward(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    out = {k: np.zeros((n_a, n_a + n_x)) for k in ("dWf", "dWi", "dWc", "dWo")}
    out.update({k: np.zeros((n_a, 1)) for k in ("dbf", "dbi", "dbc", "dbo")})
    out["dxt"], out["da_prev"], out["dc_prev"] = np.zeros((n_x, m)), np.zeros((n_a, m)), np.zeros((n_a, m))
    for j in range(m):
        col = lambda v: v[:, j:j + 1]
        th = np.tanh(col(c_next))
        dc = col(dc_next) + col(ot) * (1 - th * th) * col(da_next)
        dot = col(da_next) * th * col(ot) * (1 - col(ot))
        dcct = dc * col(it) * (1 - col(cct) ** 2)
        dit = dc * col(cct) * col(it) * (1 - col(it))
        dft = dc * col(c_prev) * col(ft) * (1 - col(ft))
        concat = np.vstack([col(a_prev), col(xt)])
        dconcat = np.zeros((n_a + n_x, 1))
        for name, dz in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
            out["dW" + name] += dz @ concat.T
            out["db" + name] += dz
            dconcat += parameters["W" + name].T @ dz
        out["da_prev"][:, j] = dconcat[:n_a, 0]
        out["dxt"][:, j] = dconcat[n_a:, 0]
        out["dc_prev"][:, j] = (dc * col(ft))[:, 0]
    return out
