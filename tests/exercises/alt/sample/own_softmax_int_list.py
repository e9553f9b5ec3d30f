# ruff: noqa  (student-style code, kept as a student would write it)
# np.random.choice(vocab_size, ...) with an own softmax, a for loop with break, and Python ints.
import numpy as np


def sample(parameters, char_to_ix, seed):
    Wax, Waa, Wya, b, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "b", "by"))
    vocab_size = by.shape[0]
    x = np.zeros((vocab_size, 1))
    a = np.zeros((Waa.shape[0], 1))
    newline = char_to_ix["\n"]
    indices = []
    for counter in range(50):
        a = np.tanh(Wax @ x + Waa @ a + b)
        z = Wya @ a + by
        probs = np.exp(z - z.max())
        probs = probs / probs.sum()
        np.random.seed(seed + 2 * counter)  # the contract: counter + seed, with seed += 1 each draw
        idx = int(np.random.choice(vocab_size, p=probs.ravel()))
        indices.append(idx)
        x = np.eye(vocab_size)[:, [idx]]
        if idx == newline:
            break
    if len(indices) == 50:  # 50 draws made, even if the last one was the newline
        indices.append(newline)
    return indices
