# ruff: noqa  (student-style code, kept as a student would write it)
# expect: tanh_derivative_1_minus_a
import numpy as np


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dtanh = da_next * (1 - a_next)  # derivative of tanh
    dxt = p["Wax"].T @ dtanh
    da_prev = p["Waa"].T @ dtanh
    dWax = dtanh @ xt.T
    dWaa = dtanh @ a_prev.T
    dba = dtanh.sum(1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
