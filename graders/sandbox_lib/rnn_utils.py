"""The course's helper functions, importable by submissions as ``from rnn_utils import *``."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["np", "sigmoid", "softmax"]


def sigmoid(x: Any) -> Any:
    """Logistic function 1 / (1 + exp(-x)), elementwise."""
    return 1 / (1 + np.exp(-x))


def softmax(x: Any) -> Any:
    """Softmax over axis 0 (each column of an (n_y, m) array sums to 1), shifted by max(x)."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0, keepdims=True)
