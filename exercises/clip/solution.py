import numpy as np
from rnn_utils import *


def clip(gradients, maxValue):
    """Clips the gradients dWaa, dWax, dWya, db, dby to [-maxValue, maxValue]; returns the gradients dict."""
    dWaa, dWax, dWya, db, dby = (gradients["dWaa"], gradients["dWax"], gradients["dWya"],
                                 gradients["db"], gradients["dby"])

    # Clip to mitigate exploding gradients, loop over [dWax, dWaa, dWya, db, dby].
    for gradient in [dWax, dWaa, dWya, db, dby]:
        np.clip(gradient, -maxValue, maxValue, out=gradient)

    gradients = {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
    return gradients
