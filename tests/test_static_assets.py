"""Static assets: a minified editor, compressed responses, the vendored math font and clean starters."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "quizapp" / "static"


def test_codemirror_is_minified_and_sent_compressed(client: FlaskClient) -> None:
    """The editor bundle is the minified build (licence kept) and travels compressed to browsers."""
    source = (STATIC / "vendor" / "codemirror" / "codemirror.js").read_text(encoding="utf-8")
    assert len(source) < 200_000 and source.count("\n") < 50 and "MIT license" in source
    accept = {"Accept-Encoding": "gzip, deflate"}
    response = client.get("/static/vendor/codemirror/codemirror.js", headers=accept)
    assert response.status_code == 200 and response.headers["Content-Encoding"] in {"gzip", "deflate"}
    assert len(response.get_data()) < 70_000
    assert "Accept-Encoding" in response.headers["Vary"]


def test_pages_are_compressed_only_when_asked(client: FlaskClient) -> None:
    """HTML is compressed for a client that accepts it and plain for one that does not."""
    assert client.get("/login", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    plain = client.get("/login")
    assert "Content-Encoding" not in plain.headers and b"<form" in plain.get_data()


def test_math_font_is_vendored_and_used(client: FlaskClient) -> None:
    """Latin Modern Math is served as WOFF2 with its licence, and the style sheet uses it for MathML."""
    folder = STATIC / "vendor" / "latinmodern-math"
    assert (folder / "GUST-FONT-LICENSE.txt").is_file() and (folder / "README.md").is_file()
    response = client.get("/static/vendor/latinmodern-math/latinmodern-math.woff2")
    assert response.status_code == 200 and response.get_data()[:4] == b"wOF2"
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert 'url("vendor/latinmodern-math/latinmodern-math.woff2") format("woff2")' in css
    assert 'math { font-family: "Latin Modern Math"' in css


def test_starters_carry_no_linter_directives() -> None:
    """What students download starts with their code, not with a ``# ruff: noqa`` line."""
    starters = sorted((ROOT / "exercises").glob("*/starter.py"))
    assert starters
    for starter in starters:
        assert "noqa" not in starter.read_text(encoding="utf-8"), starter
