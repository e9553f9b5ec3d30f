# ruff: noqa  (student-style code, kept as a student would write it)
# One helper runs a tanh RNN forward; the backward direction runs it on the reversed input and flips back.
import numpy as np
from rnn_utils import softmax


def run(x, a0, Waa, Wax, ba):
    states, a = [], a0
    for t in range(x.shape[2]):
        a = np.tanh(Waa @ a + Wax @ x[:, :, t] + ba)
        states.append(a)
    return np.stack(states, axis=2)


def brnn_forward(x, a0_f, a0_b, parameters):
    p = parameters
    a_f = run(x, a0_f, p["Waa_f"], p["Wax_f"], p["ba_f"])
    a_b = run(x[:, :, ::-1], a0_b, p["Waa_b"], p["Wax_b"], p["ba_b"])[:, :, ::-1]
    both = np.concatenate([a_f, a_b], axis=0)
    z = np.einsum("yk,kmt->ymt", p["Wy"], both) + p["by"][:, :, None]
    y = np.stack([softmax(z[:, :, t]) for t in range(z.shape[2])], axis=2)
    return a_f, np.ascontiguousarray(a_b), y
