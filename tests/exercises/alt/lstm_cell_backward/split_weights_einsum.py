# ruff: noqa  (student-style code, kept as a student would write it)
# Splits every weight into its a_prev and xt blocks, and uses einsum for the products.
import numpy as np


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c ** 2)
    d = {
        "o": da_next * tanh_c * ot * (1 - ot),
        "c": dc * it * (1 - cct ** 2),
        "i": dc * cct * it * (1 - it),
        "f": dc * c_prev * ft * (1 - ft),
    }
    grads = {"da_prev": 0, "dxt": 0}
    for g in "fico":
        Wa, Wx = parameters["W" + g][:, :n_a], parameters["W" + g][:, n_a:]
        grads["da_prev"] = grads["da_prev"] + np.einsum("ij,im->jm", Wa, d[g])
        grads["dxt"] = grads["dxt"] + np.einsum("ij,im->jm", Wx, d[g])
        dWa = np.einsum("im,jm->ij", d[g], a_prev)
        dWx = np.einsum("im,jm->ij", d[g], xt)
        grads["dW" + g] = np.hstack([dWa, dWx])
        grads["db" + g] = np.einsum("im->i", d[g])[:, None]
    grads["dc_prev"] = dc * ft
    return grads
