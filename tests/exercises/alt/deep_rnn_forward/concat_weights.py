# ruff: noqa  (student-style code, kept as a student would write it)
# Concatenates [Waa, Wax] per layer, as the course's Wa [a; x] notation, and keeps a tuple of states.
import numpy as np


def deep_rnn_forward(x, a0, parameters):
    Ws = [np.hstack([layer["Waa"], layer["Wax"]]) for layer in parameters["layers"]]
    n_x, m, T_x = x.shape
    a = [np.zeros((s.shape[0], m, T_x)) for s in a0]
    y = np.zeros((parameters["Wy"].shape[0], m, T_x))
    states = tuple(a0)
    for t in range(T_x):
        inp, new = x[:, :, t], []
        for l, W in enumerate(Ws):
            h = np.tanh(W @ np.concatenate([states[l], inp], axis=0) + parameters["layers"][l]["ba"])
            a[l][:, :, t] = h
            new.append(h)
            inp = h
        states = tuple(new)
        z = parameters["Wy"] @ inp + parameters["by"]
        e = np.exp(z - np.max(z, axis=0))
        y[:, :, t] = e / np.sum(e, axis=0)
    return a, y
