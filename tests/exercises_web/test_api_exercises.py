"""The exercise catalogue in the API: contract order and fields, statements with MathML, no answers."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.grading.helpers import bearer

CONTRACT_SLUGS = ["rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
                  "gru_cell_forward", "rnn_cell_backward", "rnn_backward", "clip",
                  "lstm_cell_backward", "lstm_backward", "gru_forward", "gru_cell_backward",
                  "brnn_forward", "deep_rnn_forward", "sample"]


def test_list_is_in_contract_order(app: Flask, client: Any) -> None:
    """GET /api/v1/exercises lists slug, title and max_score in the contract's catalogue order."""
    headers = bearer(app, "list@example.com")
    response = client.get("/api/v1/exercises", headers=headers)
    assert response.status_code == 200
    items = response.get_json()
    assert [item["slug"] for item in items] == CONTRACT_SLUGS
    for item in items:
        assert {"slug", "title", "max_score"} <= set(item)
        assert isinstance(item["title"], str) and item["title"]
        assert item["max_score"] > 0


def test_detail_has_statement_html_with_mathml_and_starter(app: Flask, client: Any) -> None:
    """GET /api/v1/exercises/{slug} gives the statement as HTML with MathML, the function and starter code."""
    headers = bearer(app, "detail@example.com")
    data = client.get("/api/v1/exercises/lstm_cell_forward", headers=headers).get_json()
    assert set(data) >= {"slug", "title", "function", "statement_html", "starter_code", "max_score"}
    assert data["slug"] == data["function"] == "lstm_cell_forward"
    html = data["statement_html"]
    assert html.count("<math") > 10 and "$$" not in html
    assert "<table>" in html and "a_prev" in html
    assert "def lstm_cell_forward(xt, a_prev, c_prev, parameters):" in data["starter_code"]
    assert "solution" not in data and "reference" not in data


def test_catalogue_needs_a_login_and_unknown_is_404(app: Flask, client: Any) -> None:
    """Anonymous callers get 401; an unknown exercise gets a JSON 404."""
    assert client.get("/api/v1/exercises").status_code == 401
    headers = bearer(app, "nf@example.com")
    response = client.get("/api/v1/exercises/nope", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_exercise"
