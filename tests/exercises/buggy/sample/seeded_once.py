# ruff: noqa  (student-style code, kept as a student would write it)
# expect: seeded_once
# Moved the seeding out of the loop.
import numpy as np
from rnn_utils import *


def sample(parameters, char_to_ix, seed):
    """Sample a sequence of character indices from the RNN (the course's 2021 seeding contract)."""
    Waa, Wax, Wya, by, b = parameters["Waa"], parameters["Wax"], parameters["Wya"], parameters["by"], parameters["b"]
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]

    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))

    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix["\n"]

    np.random.seed(counter + seed)
    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        z = np.dot(Wya, a) + by
        y = softmax(z)

        idx = np.random.choice(range(len(y)), p=y.ravel())
        indices.append(idx)

        x = np.zeros((vocab_size, 1))
        x[idx] = 1

        a_prev = a

        # for grading purposes
        seed += 1
        counter += 1

    if counter == 50:
        indices.append(char_to_ix["\n"])

    return indices
