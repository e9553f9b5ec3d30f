"""The load generator's HTTP client: keep-alive, cookies, compression and a server that hangs up."""

from __future__ import annotations

import gzip
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import keepalive


class Handler(BaseHTTPRequestHandler):
    """Echoes what it got; ``/bye`` answers and closes; ``/cookie`` sets one; ``/gone`` drops the cookie."""

    protocol_version = "HTTP/1.1"
    connections: ClassVar[set[int]] = set()

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Handler.connections.add(self.client_address[1])
        payload = json.dumps({"path": self.path, "method": self.command, "body": body.decode(),
                              "cookie": self.headers.get("Cookie"),
                              "type": self.headers.get("Content-Type")}).encode()
        compressed = "gzip" in (self.headers.get("Accept-Encoding") or "")
        data = gzip.compress(payload) if compressed else payload
        self.send_response(200)
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        if self.path == "/cookie":
            self.send_header("Set-Cookie", "session=abc; HttpOnly; Path=/")
        if self.path == "/gone":
            self.send_header("Set-Cookie", "session=; Max-Age=0; Path=/")
        if self.path == "/bye":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    """A local HTTP/1.1 server on a free port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.connections.clear()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base(httpd: ThreadingHTTPServer) -> str:
    """The server's base URL."""
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def test_one_connection_is_kept_and_bodies_are_decompressed(server: ThreadingHTTPServer) -> None:
    """Several requests share one connection; gzip bodies read back as the JSON the server sent."""
    client = keepalive.Client(base(server))
    answers = [client.get(f"/page/{n}").json() for n in range(5)]
    assert [a["path"] for a in answers] == [f"/page/{n}" for n in range(5)]
    assert len(Handler.connections) == 1


def test_cookies_are_sent_back_and_dropped(server: ThreadingHTTPServer) -> None:
    """A Set-Cookie is returned on later requests, and Max-Age=0 removes it."""
    client = keepalive.Client(base(server))
    assert client.get("/before").json()["cookie"] is None
    client.get("/cookie")
    assert client.get("/after").json()["cookie"] == "session=abc"
    client.get("/gone")
    assert client.get("/later").json()["cookie"] is None


def test_json_and_form_bodies(server: ThreadingHTTPServer) -> None:
    """JSON and form bodies go out with their content types."""
    client = keepalive.Client(base(server))
    sent = client.post("/api", json={"code": "x = 1"}).json()
    assert (json.loads(sent["body"]), sent["type"]) == ({"code": "x = 1"}, "application/json")
    form = client.post("/login", data={"email": "a@b.c", "csrf_token": "t"}).json()
    assert (form["body"], form["type"]) == ("email=a%40b.c&csrf_token=t", "application/x-www-form-urlencoded")


def test_a_connection_the_server_closed_is_replaced(server: ThreadingHTTPServer) -> None:
    """After the server hangs up, the next GET and POST go out on a new connection and succeed."""
    client = keepalive.Client(base(server))
    assert client.get("/bye").status_code == 200
    assert client.get("/next").json()["path"] == "/next"
    client.get("/bye")
    assert client.post("/submit", json={}).json()["method"] == "POST"
    assert len(Handler.connections) == 3


def test_an_unreachable_server_raises_a_listed_error() -> None:
    """A refused connection raises one of keepalive.ERRORS, which the generator counts."""
    client = keepalive.Client("http://127.0.0.1:9")
    with pytest.raises(keepalive.ERRORS):
        client.get("/", timeout=2)
