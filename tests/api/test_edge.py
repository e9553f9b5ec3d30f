"""The hostile edge: ids beyond the column range, deeply nested JSON, 405s and security headers."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions, csrf_token_from

HUGE_IDS = (0, 2**31, 2**63, 2**63 + 1, 10**30, int("9" * 4000), "9" * 5000)
# (method, path template) of every route that takes an integer id, API and pages alike.
ID_ROUTES = (
    ("GET", "/api/v1/submissions/{}"),
    ("POST", "/api/v1/submissions/{}/regrade"),
    ("GET", "/api/v1/attempts/{}"),
    ("PUT", "/api/v1/attempts/{}/answers"),
    ("POST", "/api/v1/attempts/{}/submit"),
    ("DELETE", "/api/v1/tokens/{}"),
    ("GET", "/submissions/{}"),
    ("GET", "/quizzes/attempts/{}"),
    ("POST", "/quizzes/attempts/{}"),
    ("GET", "/quizzes/attempts/{}/review"),
    ("GET", "/instructor/students/{}"),
    ("GET", "/instructor/submissions/{}"),
    ("POST", "/instructor/submissions/{}/regrade"),
    ("POST", "/instructor/submissions/{}/override"),
)


def nested(depth: int) -> bytes:
    """A JSON body ``{"answers": [[[...]]]}`` nested ``depth`` lists deep."""
    return b'{"answers": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_beyond_the_column_range_are_404(client: FlaskClient, auth: AuthActions, huge: object) -> None:
    """Every id route answers 404 (never 500) for ids no integer column can hold, as an instructor."""
    headers = auth.bearer("tess@example.com", role="instructor")
    auth.login("tess@example.com")
    csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    for method, template in ID_ROUTES:
        path = template.format(huge)
        extra = headers if path.startswith("/api/") else {}
        response = client.open(path, method=method, headers=extra, data={"csrf_token": csrf}
                               if not path.startswith("/api/") else None)  # fmt: skip
        assert response.status_code == 404, (method, path, response.status_code)


def test_deeply_nested_json_is_400(client: FlaskClient, auth: AuthActions) -> None:
    """Bodies nested 100,000 levels deep get 400 on the submission and the answers endpoints."""
    headers = auth.bearer("ada@example.com")
    attempt = client.post("/api/v1/quizzes/rnn-week1/attempts", headers=headers).get_json()["id"]
    targets = (
        ("POST", "/api/v1/exercises/rnn_cell_forward/submissions"),
        ("PUT", f"/api/v1/attempts/{attempt}/answers"),
        ("POST", f"/api/v1/attempts/{attempt}/submit"),
    )
    for method, path in targets:
        for depth in (100, 100_000):
            response = client.open(
                path, method=method, data=nested(depth), headers=headers, content_type="application/json"
            )
            assert response.status_code == 400, (path, depth, response.status_code)
            assert response.get_json()["error"]["code"] == "too_deep"
    ok = client.put(f"/api/v1/attempts/{attempt}/answers", json={"answers": {"q1": ["a"]}}, headers=headers)
    assert ok.status_code == 200


def test_get_json_is_bounded_too(app: Flask) -> None:
    """``request.get_json`` (for endpoints not using json_body) refuses deep nesting: a 400."""
    with app.test_request_context("/", method="POST", data=nested(50_000), content_type="application/json"):
        from flask import request
        from werkzeug.exceptions import BadRequest

        with pytest.raises(BadRequest):
            request.get_json()


@pytest.mark.parametrize("path", ["/login", "/api/v1/quizzes", "/no-such-page", "/static/style.css"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    """Pages, API answers, errors and static files all carry the CSP and the anti-framing headers."""
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("minor", ["{}", '"1"', "null", "[4]"])
def test_notebook_with_a_non_integer_version_is_422(
    client: FlaskClient, auth: AuthActions, minor: str
) -> None:
    """A notebook whose nbformat_minor is not an integer is a 422 not_a_notebook (fuzzing found a 500)."""
    headers = auth.bearer("ada@example.com")
    body = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": ' + minor + "}"
    response = client.post(
        "/api/v1/notebook-submissions", data=body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_a_notebook"


def test_empty_notebook_upload_is_422(client: FlaskClient, auth: AuthActions) -> None:
    """An empty file in the multipart field is a 422 not_a_notebook, as documented (fuzzing found a 400)."""
    headers = auth.bearer("ada@example.com")
    data = {"notebook": (io.BytesIO(b""), "week1.ipynb")}
    response = client.post("/api/v1/notebook-submissions", data=data, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_a_notebook"
