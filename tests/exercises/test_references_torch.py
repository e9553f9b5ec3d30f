"""The NumPy references, proven against PyTorch in float64 on every public case and on hidden draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

from graders.exercise import Case
from tests.exercises.helpers import PRESENT, content

torch.set_default_dtype(torch.float64)
RTOL, ATOL = 1e-10, 1e-12
Params = dict[str, np.ndarray]
TP = dict[str, torch.Tensor]


def T(a: Any, grad: bool = False) -> torch.Tensor:
    """A float64 tensor copy of a NumPy array."""
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def N(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy()


def assert_close(actual: Any, expected: Any) -> None:
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=RTOL, atol=ATOL)


def cases(slug: str) -> list[Case]:
    """Public cases plus hidden cases from three seeds, so every edge profile is included."""
    c = content(slug)
    count = c.info["hidden_case_count"]
    draws = (c.grading.hidden_cases(np.random.default_rng(seed), count) for seed in (0, 1, 2))
    hidden = [case for draw in draws for case in draw]
    return [*c.grading.public_cases(), *hidden]


def reference(slug: str) -> Any:
    return content(slug).grading.reference


def softmax0(z: torch.Tensor) -> torch.Tensor:
    return torch.softmax(z, dim=0)


def lstm_torch_weights(p: Params, n_a: int) -> dict[str, torch.Tensor]:
    """Course weights (W acting on [a; x]) as torch LSTM weights: gate order i, f, g, o; bias_hh zero."""
    gates = ("i", "f", "c", "o")
    return {
        "weight_ih": T(np.vstack([p["W" + g][:, n_a:] for g in gates])),
        "weight_hh": T(np.vstack([p["W" + g][:, :n_a] for g in gates])),
        "bias_ih": T(np.vstack([p["b" + g] for g in gates]).ravel()),
        "bias_hh": torch.zeros(4 * n_a),
    }


def rnn_torch_cell(p: Params, n_x: int, n_a: int) -> nn.RNNCell:
    """nn.RNNCell(tanh) with the course weights: Wax on x, Waa on a, bias ba (bias_hh zero)."""
    cell = nn.RNNCell(n_x, n_a, nonlinearity="tanh")
    with torch.no_grad():
        cell.weight_ih.copy_(T(p["Wax"]))
        cell.weight_hh.copy_(T(p["Waa"]))
        cell.bias_ih.copy_(T(p["ba"].ravel()))
        cell.bias_hh.zero_()
    return cell


# --- forward passes against torch.nn modules -------------------------------------------------------


@pytest.mark.parametrize("case", cases("lstm_cell_forward"), ids=lambda c: c.name)
def test_lstm_cell_matches_torch_lstmcell(case: Case) -> None:
    """lstm_cell_forward's a_next and c_next equal nn.LSTMCell's h and c; yt_pred is softmax(Wy h + by)."""
    xt, a_prev, c_prev, p = case.args
    n_x, n_a = xt.shape[0], a_prev.shape[0]
    cell = nn.LSTMCell(n_x, n_a)
    with torch.no_grad():
        for name, value in lstm_torch_weights(p, n_a).items():
            getattr(cell, name).copy_(value)
        h, c = cell(T(xt.T), (T(a_prev.T), T(c_prev.T)))
        y = softmax0(T(p["Wy"]) @ h.T + T(p["by"]))
    a_next, c_next, yt_pred, cache = reference("lstm_cell_forward")(*case.args)
    assert_close(a_next, N(h).T)
    assert_close(c_next, N(c).T)
    assert_close(yt_pred, N(y))
    assert_close(cache[0], a_next)
    assert_close(cache[1], c_next)


@pytest.mark.parametrize("case", cases("lstm_forward"), ids=lambda c: c.name)
def test_lstm_forward_matches_torch_lstm(case: Case) -> None:
    """lstm_forward's a at every step and its last c equal nn.LSTM's output and c_n, from c⟨0⟩ = 0."""
    x, a0, p = case.args
    n_x, _, T_x = x.shape
    n_a = a0.shape[0]
    lstm = nn.LSTM(n_x, n_a)
    with torch.no_grad():
        for name, value in lstm_torch_weights(p, n_a).items():
            getattr(lstm, name + "_l0").copy_(value)
        out, (_, c_n) = lstm(T(x.transpose(2, 1, 0)), (T(a0.T)[None], torch.zeros(1, a0.shape[1], n_a)))
        y = torch.stack([softmax0(T(p["Wy"]) @ out[t].T + T(p["by"])) for t in range(T_x)], dim=2)
    a, y_ref, c, caches = reference("lstm_forward")(*case.args)
    assert_close(a, N(out).transpose(2, 1, 0))
    assert_close(c[:, :, -1], N(c_n[0]).T)
    assert_close(y_ref, N(y))
    assert_close(caches[1], x)


@pytest.mark.parametrize("case", cases("rnn_forward"), ids=lambda c: c.name)
def test_rnn_forward_matches_torch_rnncell(case: Case) -> None:
    """rnn_forward's a at each step equals nn.RNNCell(tanh) stepped from a0; y_pred is softmax(Wya a + by)."""
    x, a0, p = case.args
    cell = rnn_torch_cell(p, x.shape[0], a0.shape[0])
    with torch.no_grad():
        h, hs = T(a0.T), []
        for t in range(x.shape[2]):
            h = cell(T(x[:, :, t].T), h)
            hs.append(h.T)
        a_torch = torch.stack(hs, dim=2)
        y_torch = torch.stack([softmax0(T(p["Wya"]) @ a_t + T(p["by"])) for a_t in hs], dim=2)
    a, y_pred, _ = reference("rnn_forward")(*case.args)
    assert_close(a, N(a_torch))
    assert_close(y_pred, N(y_torch))


def test_rnn_cell_forward_matches_torch_rnncell() -> None:
    """rnn_cell_forward's a_next equals nn.RNNCell(tanh) on each of its cases."""
    if "rnn_cell_forward" not in PRESENT:
        pytest.skip("exercises/rnn_cell_forward is not in this tree")
    for case in cases("rnn_cell_forward"):
        xt, a_prev, p = case.args
        cell = rnn_torch_cell(p, xt.shape[0], a_prev.shape[0])
        with torch.no_grad():
            h = cell(T(xt.T), T(a_prev.T))
        a_next, yt_pred, _ = reference("rnn_cell_forward")(*case.args)
        assert_close(a_next, N(h).T)
        assert_close(yt_pred, N(softmax0(T(p["Wya"]) @ h.T + T(p["by"]))))


# --- gradients against torch.autograd on the same forward graph -------------------------------------


@pytest.mark.parametrize("case", cases("rnn_cell_backward"), ids=lambda c: c.name)
def test_rnn_cell_backward_matches_autograd(case: Case) -> None:
    """Every gradient of rnn_cell_backward equals autograd of sum(da_next * tanh(Wax x + Waa a_prev + ba))."""
    da_next, (a_next, a_prev, xt, p) = case.args
    leaves = {"dxt": T(xt, True), "da_prev": T(a_prev, True), "dWax": T(p["Wax"], True),
              "dWaa": T(p["Waa"], True), "dba": T(p["ba"], True)}
    a_torch = torch.tanh(leaves["dWax"] @ leaves["dxt"] + leaves["dWaa"] @ leaves["da_prev"] + leaves["dba"])
    assert_close(N(a_torch), a_next)
    (a_torch * T(da_next)).sum().backward()
    got = reference("rnn_cell_backward")(*case.args)
    assert set(got) == set(leaves)
    for key, leaf in leaves.items():
        assert leaf.grad is not None
        assert got[key].shape == leaf.grad.shape, key
        assert_close(got[key], N(leaf.grad))


@pytest.mark.parametrize("case", cases("rnn_backward"), ids=lambda c: c.name)
def test_rnn_backward_matches_autograd(case: Case) -> None:
    """Every gradient of rnn_backward equals autograd through the whole unrolled RNN, loss = sum(da * a)."""
    da, (steps, x) = case.args
    p = steps[0][3]
    leaves = {"dx": T(x, True), "da0": T(steps[0][1], True), "dWax": T(p["Wax"], True),
              "dWaa": T(p["Waa"], True), "dba": T(p["ba"], True)}
    a_t, loss = leaves["da0"], torch.zeros(())
    for t in range(x.shape[2]):
        a_t = torch.tanh(leaves["dWax"] @ leaves["dx"][:, :, t] + leaves["dWaa"] @ a_t + leaves["dba"])
        assert_close(N(a_t), steps[t][0])
        loss = loss + (a_t * T(da[:, :, t])).sum()
    loss.backward()
    got = reference("rnn_backward")(*case.args)
    assert set(got) == set(leaves)
    for key, leaf in leaves.items():
        assert leaf.grad is not None
        assert got[key].shape == leaf.grad.shape, key
        assert_close(got[key], N(leaf.grad))


# --- the GRU: the lecture's equations, and how torch.nn.GRUCell differs ------------------------------


def lecture_gru(xt: torch.Tensor, c_prev: torch.Tensor, p: TP) -> tuple[torch.Tensor, ...]:
    """The lecture's GRU written in torch: reset gate inside the candidate's matmul, Γu weights c̃."""
    concat = torch.cat((c_prev, xt), dim=0)
    r = torch.sigmoid(p["Wr"] @ concat + p["br"])
    u = torch.sigmoid(p["Wu"] @ concat + p["bu"])
    cc = torch.tanh(p["Wc"] @ torch.cat((r * c_prev, xt), dim=0) + p["bc"])
    c_next = u * cc + (1 - u) * c_prev
    return c_next, softmax0(p["Wy"] @ c_next + p["by"])


@pytest.mark.parametrize("case", cases("gru_cell_forward"), ids=lambda c: c.name)
def test_gru_matches_torch_lecture_equations(case: Case) -> None:
    """gru_cell_forward equals the torch lecture GRU, and so do its derivatives (autograd vs differences)."""
    xt, c_prev, p = case.args
    c_next, yt_pred, _ = reference("gru_cell_forward")(*case.args)
    tp = {k: T(v) for k, v in p.items()}
    c_torch, y_torch = lecture_gru(T(xt), T(c_prev), tp)
    assert_close(c_next, N(c_torch))
    assert_close(yt_pred, N(y_torch))
    # d sum(c_next) / d c_prev: torch autograd against central differences of the NumPy reference.
    c0 = T(c_prev, True)
    lecture_gru(T(xt), c0, tp)[0].sum().backward()
    assert c0.grad is not None
    eps, numeric = 1e-6, np.zeros_like(c_prev)
    for idx in np.ndindex(c_prev.shape):
        up, down = c_prev.copy(), c_prev.copy()
        up[idx] += eps
        down[idx] -= eps
        f_up = reference("gru_cell_forward")(xt, up, p)[0].sum()
        f_down = reference("gru_cell_forward")(xt, down, p)[0].sum()
        numeric[idx] = (f_up - f_down) / (2 * eps)
    np.testing.assert_allclose(numeric, N(c0.grad), rtol=1e-6, atol=1e-8)


def _gru_cell_from_lecture(p: Params, n_x: int, n_c: int) -> nn.GRUCell:
    """nn.GRUCell carrying the lecture's weights. Torch's rows are (r, z, n); its z plays the role of 1−Γu,
    so z's weights and bias are the negated update-gate ones (σ(−v) = 1 − σ(v)); n gets Wc split in two."""
    cell = nn.GRUCell(n_x, n_c)
    w = {"r": p["Wr"], "z": -p["Wu"], "n": p["Wc"]}
    b = {"r": p["br"], "z": -p["bu"], "n": p["bc"]}
    with torch.no_grad():
        cell.weight_ih.copy_(T(np.vstack([w[g][:, n_c:] for g in "rzn"])))
        cell.weight_hh.copy_(T(np.vstack([w[g][:, :n_c] for g in "rzn"])))
        cell.bias_ih.copy_(T(np.vstack([b[g] for g in "rzn"]).ravel()))
        cell.bias_hh.zero_()
    return cell


def test_torch_grucell_differs_from_lecture_gru() -> None:
    """nn.GRUCell is not the lecture GRU: it matches only once the reset gate moves after the matmul.

    torch.nn.GRUCell computes
        r = σ(W_ir x + b_ir + W_hr h + b_hr)
        z = σ(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))      <- reset applied AFTER the matmul
        h' = (1 − z) * n + z * h                            <- z keeps the OLD state, so z ≈ 1 − Γu
    while the lecture has c̃ = tanh(Wc [Γr * c⟨t−1⟩; x⟨t⟩] + bc) (reset BEFORE the matmul) and
    c⟨t⟩ = Γu * c̃ + (1 − Γu) * c⟨t−1⟩. Negating the update gate's weights maps z onto 1 − Γu exactly,
    but no weight mapping turns Wcc (r * c) into r * (Wcc c) for a full matrix Wcc.
    """
    for case in cases("gru_cell_forward"):
        xt, c_prev, p = case.args
        n_x, n_c = xt.shape[0], c_prev.shape[0]
        cell = _gru_cell_from_lecture(p, n_x, n_c)
        with torch.no_grad():
            h_torch = N(cell(T(xt.T), T(c_prev.T))).T
        # The re-parametrised lecture-style formula that GRUCell does compute: reset after the matmul.
        concat = np.concatenate((c_prev, xt))
        gate_r = 1 / (1 + np.exp(-(p["Wr"] @ concat + p["br"])))
        gate_u = 1 / (1 + np.exp(-(p["Wu"] @ concat + p["bu"])))
        cand = np.tanh(p["Wc"][:, n_c:] @ xt + p["bc"] + gate_r * (p["Wc"][:, :n_c] @ c_prev))
        assert_close(h_torch, gate_u * cand + (1 - gate_u) * c_prev)
        lecture = reference("gru_cell_forward")(*case.args)[0]
        if n_c > 1:  # with one unit, Wcc is a scalar and the two orders agree
            assert np.abs(h_torch - lecture).max() > 1e-4, case.name
        # With a diagonal Wcc, r * (Wcc c) == Wcc (r * c): then GRUCell and the lecture GRU coincide.
        diagonal = dict(p, Wc=np.hstack([np.diag(np.diag(p["Wc"][:, :n_c])), p["Wc"][:, n_c:]]))
        with torch.no_grad():
            h_diag = N(_gru_cell_from_lecture(diagonal, n_x, n_c)(T(xt.T), T(c_prev.T))).T
        assert_close(h_diag, reference("gru_cell_forward")(xt, c_prev, diagonal)[0])


# --- clip -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("clip"), ids=lambda c: c.name)
def test_clip_matches_torch_clamp(case: Case) -> None:
    """clip equals torch.clamp(g, −maxValue, maxValue) on all five gradients, and leaves its input alone."""
    gradients, max_value = case.args
    before = {k: v.copy() for k, v in gradients.items()}
    got = reference("clip")(gradients, max_value)
    assert set(got) == {"dWaa", "dWax", "dWya", "db", "dby"}
    for key, value in got.items():
        assert_close(value, N(torch.clamp(T(before[key]), -max_value, max_value)))
        np.testing.assert_array_equal(gradients[key], before[key])


# --- LSTM backward: autograd through the course's cell and through nn.LSTM --------------------------


def lstm_cell_torch(xt: torch.Tensor, a_prev: torch.Tensor, c_prev: torch.Tensor,
                    w: TP) -> tuple[torch.Tensor, torch.Tensor]:
    """The course's LSTM step in torch (W acting on [a_prev; xt])."""
    concat = torch.cat((a_prev, xt), dim=0)
    ft = torch.sigmoid(w["Wf"] @ concat + w["bf"])
    it = torch.sigmoid(w["Wi"] @ concat + w["bi"])
    cct = torch.tanh(w["Wc"] @ concat + w["bc"])
    c_next = ft * c_prev + it * cct
    ot = torch.sigmoid(w["Wo"] @ concat + w["bo"])
    return ot * torch.tanh(c_next), c_next


LSTM_WEIGHTS = ("Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo")


@pytest.mark.parametrize("case", cases("lstm_cell_backward"), ids=lambda c: c.name)
def test_lstm_cell_backward_matches_autograd(case: Case) -> None:
    """lstm_cell_backward equals autograd of sum(da_next * a_next) + sum(dc_next * c_next), every gradient."""
    da_next, dc_next, cache = case.args
    a_next, c_next, a_prev, c_prev, *_, xt, p = cache
    leaves = {"dxt": T(xt, True), "da_prev": T(a_prev, True), "dc_prev": T(c_prev, True),
              **{"d" + k: T(p[k], True) for k in LSTM_WEIGHTS}}
    weights = {k: leaves["d" + k] for k in LSTM_WEIGHTS}
    a_t, c_t = lstm_cell_torch(leaves["dxt"], leaves["da_prev"], leaves["dc_prev"], weights)
    assert_close(N(a_t), a_next)
    assert_close(N(c_t), c_next)
    ((a_t * T(da_next)).sum() + (c_t * T(dc_next)).sum()).backward()
    got = reference("lstm_cell_backward")(*case.args)
    assert set(got) == set(leaves)
    for key, leaf in leaves.items():
        assert leaf.grad is not None
        assert got[key].shape == leaf.grad.shape, key
        assert_close(got[key], N(leaf.grad))


@pytest.mark.parametrize("case", cases("lstm_backward"), ids=lambda c: c.name)
def test_lstm_backward_matches_autograd_through_nn_lstm(case: Case) -> None:
    """Every gradient of lstm_backward equals autograd through nn.LSTM (course weights loaded, c⟨0⟩ = 0),
    loss = Σ_t sum(da⟨t⟩ * a⟨t⟩), with torch's stacked gate weights mapped back to Wf, Wi, Wc, Wo."""
    da, (steps, x) = case.args
    a0, p = steps[0][2], steps[0][9]
    n_x, m, _ = x.shape
    n_a = a0.shape[0]
    lstm = nn.LSTM(n_x, n_a)
    with torch.no_grad():
        for name, value in lstm_torch_weights(p, n_a).items():
            getattr(lstm, name + "_l0").copy_(value)
    x_t, h0 = T(x.transpose(2, 1, 0), True), T(a0.T[None], True)
    out, _ = lstm(x_t, (h0, torch.zeros(1, m, n_a)))
    assert_close(N(out).transpose(2, 1, 0), np.stack([s[0] for s in steps], axis=2))
    (out * T(da.transpose(2, 1, 0))).sum().backward()
    assert x_t.grad is not None and h0.grad is not None and lstm.weight_ih_l0.grad is not None
    assert lstm.weight_hh_l0.grad is not None and lstm.bias_ih_l0.grad is not None
    w_ih, w_hh, b_ih = N(lstm.weight_ih_l0.grad), N(lstm.weight_hh_l0.grad), N(lstm.bias_ih_l0.grad)
    expected = {"dx": N(x_t.grad).transpose(2, 1, 0), "da0": N(h0.grad)[0].T}
    for k, gate in enumerate("ifco"):  # torch's row blocks: input (update), forget, cell, output
        rows = slice(k * n_a, (k + 1) * n_a)
        expected["dW" + gate] = np.hstack([w_hh[rows], w_ih[rows]])
        expected["db" + gate] = b_ih[rows][:, None]
    got = reference("lstm_backward")(*case.args)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key].shape == value.shape, key
        assert_close(got[key], value)


# --- GRU over a sequence and GRU backward: the lecture GRU in torch ---------------------------------


@pytest.mark.parametrize("case", cases("gru_forward"), ids=lambda c: c.name)
def test_gru_forward_matches_torch_lecture_gru(case: Case) -> None:
    """gru_forward's c and y_pred equal the torch lecture GRU stepped from c0 over every step."""
    x, c0, p = case.args
    tp = {k: T(v) for k, v in p.items()}
    c_t, cs, ys = T(c0), [], []
    for t in range(x.shape[2]):
        c_t, y_t = lecture_gru(T(x[:, :, t]), c_t, tp)
        cs.append(c_t)
        ys.append(y_t)
    c, y_pred, (caches, x_cached) = reference("gru_forward")(*case.args)
    assert_close(c, N(torch.stack(cs, dim=2)))
    assert_close(y_pred, N(torch.stack(ys, dim=2)))
    assert len(caches) == x.shape[2]
    assert_close(x_cached, x)


GRU_WEIGHTS = ("Wr", "Wu", "Wc", "br", "bu", "bc")


@pytest.mark.parametrize("case", cases("gru_cell_backward"), ids=lambda c: c.name)
def test_gru_cell_backward_matches_autograd(case: Case) -> None:
    """Every gradient of gru_cell_backward equals autograd of sum(dc_next * c_next) through the torch
    lecture GRU, the reset gate's path included."""
    dc_next, cache = case.args
    c_next, c_prev, *_, xt, p = cache
    leaves = {"dxt": T(xt, True), "dc_prev": T(c_prev, True), **{"d" + k: T(p[k], True) for k in GRU_WEIGHTS}}
    tp = {k: T(v) for k, v in p.items()} | {k: leaves["d" + k] for k in GRU_WEIGHTS}
    c_t, _ = lecture_gru(leaves["dxt"], leaves["dc_prev"], tp)
    assert_close(N(c_t), c_next)
    (c_t * T(dc_next)).sum().backward()
    got = reference("gru_cell_backward")(*case.args)
    assert set(got) == set(leaves)
    for key, leaf in leaves.items():
        assert leaf.grad is not None
        assert got[key].shape == leaf.grad.shape, key
        assert_close(got[key], N(leaf.grad))
    assert np.abs(got["dWr"]).max() > 0  # the reset gate's path carries gradient in these cases


# --- bidirectional and deep RNNs against nn.RNN ------------------------------------------------------


@pytest.mark.parametrize("case", cases("brnn_forward"), ids=lambda c: c.name)
def test_brnn_forward_matches_bidirectional_nn_rnn(case: Case) -> None:
    """brnn_forward equals nn.RNN(bidirectional=True) with the weights loaded: a_f and a_b are the two halves
    of its output (the backward half starts from a0_b at the last step); y = softmax(Wy [a_f; a_b] + by)."""
    x, a0_f, a0_b, p = case.args
    n_x, _, T_x = x.shape
    n_a = a0_f.shape[0]
    rnn = nn.RNN(n_x, n_a, nonlinearity="tanh", bidirectional=True)
    with torch.no_grad():
        for suffix, d in (("l0", "f"), ("l0_reverse", "b")):
            getattr(rnn, "weight_ih_" + suffix).copy_(T(p["Wax_" + d]))
            getattr(rnn, "weight_hh_" + suffix).copy_(T(p["Waa_" + d]))
            getattr(rnn, "bias_ih_" + suffix).copy_(T(p["ba_" + d].ravel()))
            getattr(rnn, "bias_hh_" + suffix).zero_()
        out, _ = rnn(T(x.transpose(2, 1, 0)), torch.stack([T(a0_f.T), T(a0_b.T)]))
        y = torch.stack([softmax0(T(p["Wy"]) @ out[t].T + T(p["by"])) for t in range(T_x)], dim=2)
    a_f, a_b, y_pred = reference("brnn_forward")(*case.args)
    assert_close(a_f, N(out[:, :, :n_a]).transpose(2, 1, 0))
    assert_close(a_b, N(out[:, :, n_a:]).transpose(2, 1, 0))
    assert_close(y_pred, N(y))


@pytest.mark.parametrize("case", cases("deep_rnn_forward"), ids=lambda c: c.name)
def test_deep_rnn_forward_matches_stacked_nn_rnn(case: Case) -> None:
    """deep_rnn_forward equals one nn.RNN per layer, each fed the whole output sequence of the layer below
    and started from a0[l]; y_pred is the softmax of the top layer."""
    x, a0, p = case.args
    T_x = x.shape[2]
    seq = T(x.transpose(2, 1, 0))
    expected = []
    with torch.no_grad():
        for a0_l, layer in zip(a0, p["layers"], strict=True):
            rnn = nn.RNN(seq.shape[2], a0_l.shape[0], nonlinearity="tanh")
            rnn.weight_ih_l0.copy_(T(layer["Wax"]))
            rnn.weight_hh_l0.copy_(T(layer["Waa"]))
            rnn.bias_ih_l0.copy_(T(layer["ba"].ravel()))
            rnn.bias_hh_l0.zero_()
            seq, _ = rnn(seq, T(a0_l.T)[None])
            expected.append(N(seq).transpose(2, 1, 0))
        y = torch.stack([softmax0(T(p["Wy"]) @ seq[t].T + T(p["by"])) for t in range(T_x)], dim=2)
    a, y_pred = reference("deep_rnn_forward")(*case.args)
    assert isinstance(a, list) and len(a) == len(expected)
    for got_l, expected_l in zip(a, expected, strict=True):
        assert_close(got_l, expected_l)
    assert_close(y_pred, N(y))


# --- sample: torch's softmax for the probabilities, an independent draw --------------------------------


def legacy_draw(probabilities: np.ndarray, seed: int) -> int:
    """What np.random.seed(seed); np.random.choice(n, p=probabilities) returns, written out: one uniform
    number from the Mersenne Twister seeded with ``seed``, located in the normalised cumulative sum."""
    cdf = np.cumsum(probabilities)
    cdf /= cdf[-1]
    u = np.random.RandomState(seed).random_sample()
    return int(np.searchsorted(cdf, u, side="right"))


@pytest.mark.parametrize("case", cases("sample"), ids=lambda c: c.name)
def test_sample_matches_torch_softmax_and_an_independent_draw(case: Case) -> None:
    """Replaying the reference's indices: each step's probabilities are torch.softmax of the torch RNN step,
    each index is the draw seeded with seed + 2k; it stops at the newline or at 50 draws plus a newline."""
    p, char_to_ix, seed = case.args
    got = reference("sample")(*case.args)
    newline, vocab = char_to_ix["\n"], p["by"].shape[0]
    tp = {k: T(v) for k, v in p.items()}
    x, a = torch.zeros(vocab, 1), torch.zeros(p["Waa"].shape[0], 1)
    drawn: list[int] = []
    while not drawn or (drawn[-1] != newline and len(drawn) < 50):
        a = torch.tanh(tp["Wax"] @ x + tp["Waa"] @ a + tp["b"])
        probabilities = N(torch.softmax(tp["Wya"] @ a + tp["by"], dim=0)).ravel()
        drawn.append(legacy_draw(probabilities, seed + 2 * len(drawn)))
        x = torch.zeros(vocab, 1)
        x[drawn[-1]] = 1
    expected = [*drawn, newline] if len(drawn) == 50 else drawn
    assert got == expected
    assert all(type(i) is int for i in got)


def test_sample_public_cases_cover_the_stopping_rules() -> None:
    """The public cases stop at a newline, reach 50 draws, and have a 50th draw that is the newline (51)."""
    public = content("sample").grading.public_cases()
    results = [(case.args[1]["\n"], reference("sample")(*case.args)) for case in public]
    assert any(len(r) < 51 and r[-1] == nl for nl, r in results)
    assert any(len(r) == 51 and r[-2] != nl for nl, r in results)
    assert any(len(r) == 51 and r[-2] == r[-1] == nl for nl, r in results)
    assert any(nl != 0 for nl, _ in results)
