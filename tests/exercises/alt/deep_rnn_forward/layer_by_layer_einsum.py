# ruff: noqa  (student-style code, kept as a student would write it)
# Runs each layer over the whole sequence before the next one, with the input projection done by einsum.
import numpy as np
from rnn_utils import softmax


def deep_rnn_forward(x, a0, parameters):
    seq = x
    a = []
    for layer, h in zip(parameters["layers"], a0):
        proj = np.einsum("ij,jmt->imt", layer["Wax"], seq)
        out = np.empty((h.shape[0], seq.shape[1], seq.shape[2]))
        for t in range(seq.shape[2]):
            h = np.tanh(layer["Waa"] @ h + proj[:, :, t] + layer["ba"])
            out[:, :, t] = h
        a.append(out)
        seq = out
    y = np.stack([softmax(parameters["Wy"] @ seq[:, :, t] + parameters["by"]) for t in range(seq.shape[2])], axis=2)
    return a, y
