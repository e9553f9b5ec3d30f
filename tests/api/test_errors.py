"""Every API error is JSON with a code and a message, never a 500 for bad input."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_unknown_api_route_is_json_404(client: FlaskClient) -> None:
    """An unknown API path answers a JSON 404."""
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client: FlaskClient) -> None:
    """A wrong HTTP method on an API route answers a JSON 405 that lists the allowed methods (RFC 9110)."""
    response = client.delete("/api/v1/quizzes")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET", "HEAD", "OPTIONS"}


def test_oversized_body_is_json_413(client: FlaskClient) -> None:
    """A 2 MiB body is refused with a JSON 413 before any view runs."""
    response = client.post("/api/v1/tokens", data=b"x" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_html_pages_get_friendly_404(client: FlaskClient) -> None:
    """A missing page renders the HTML error page, not JSON."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
