# ruff: noqa  (student-style code, kept as a student would write it)
# Loops over the examples as well as the steps, with split weights and an own softmax.
import numpy as np


def sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def gru_forward(x, c0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_c = parameters["Wy"].shape
    c = np.zeros((n_c, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    W = {k: (parameters[k][:, :n_c], parameters[k][:, n_c:]) for k in ("Wr", "Wu", "Wc")}
    for j in range(m):
        h = c0[:, j].copy()
        for t in range(T_x):
            xt = x[:, j, t]
            r = sig(W["Wr"][0] @ h + W["Wr"][1] @ xt + parameters["br"][:, 0])
            u = sig(W["Wu"][0] @ h + W["Wu"][1] @ xt + parameters["bu"][:, 0])
            cand = np.tanh(W["Wc"][0] @ (r * h) + W["Wc"][1] @ xt + parameters["bc"][:, 0])
            h = u * cand + (1 - u) * h
            z = parameters["Wy"] @ h + parameters["by"][:, 0]
            e = np.exp(z - z.max())
            c[:, j, t] = h
            y_pred[:, j, t] = e / e.sum()
    return c, y_pred, None
