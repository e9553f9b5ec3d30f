# ruff: noqa  (student-style code, kept as a student would write it)
# Splits each weight into its c_prev and xt blocks; products written with einsum.
import numpy as np


def gru_cell_backward(dc_next, cache):
    c_next, c_prev, rt, ut, cct, xt, parameters = cache
    n_c = c_prev.shape[0]
    Wrc, Wrx = parameters["Wr"][:, :n_c], parameters["Wr"][:, n_c:]
    Wuc, Wux = parameters["Wu"][:, :n_c], parameters["Wu"][:, n_c:]
    Wcc, Wcx = parameters["Wc"][:, :n_c], parameters["Wc"][:, n_c:]
    dz_c = dc_next * ut * (1 - cct ** 2)
    dz_u = dc_next * (cct - c_prev) * ut * (1 - ut)
    d_rc = np.einsum("ij,im->jm", Wcc, dz_c)          # gradient at rt * c_prev
    dz_r = d_rc * c_prev * rt * (1 - rt)
    outer = lambda a, b: np.einsum("im,jm->ij", a, b)
    return {
        "dxt": np.einsum("ij,im->jm", Wcx, dz_c) + np.einsum("ij,im->jm", Wrx, dz_r)
               + np.einsum("ij,im->jm", Wux, dz_u),
        "dc_prev": dc_next * (1 - ut) + d_rc * rt + Wrc.T @ dz_r + Wuc.T @ dz_u,
        "dWr": np.hstack([outer(dz_r, c_prev), outer(dz_r, xt)]),
        "dWu": np.hstack([outer(dz_u, c_prev), outer(dz_u, xt)]),
        "dWc": np.hstack([outer(dz_c, rt * c_prev), outer(dz_c, xt)]),
        "dbr": dz_r.sum(axis=1).reshape(-1, 1),
        "dbu": dz_u.sum(axis=1).reshape(-1, 1),
        "dbc": dz_c.sum(axis=1).reshape(-1, 1),
    }
