"""A lean HTTP/1.1 client for the load generator: one kept-alive connection and a cookie jar per student.

The generator shares the server's two cores, so every millisecond it spends is one the server does not
get. ``requests`` costs 1.30–1.39 ms of client CPU per request on this VM, against 0.37–0.42 ms for this
client on the same kept-alive connection (``bench/keepalive.py --compare``, a static file and a status
request, 300 each, two runs). This client does what the generator needs of a browser and no more:

* one connection, reused while the server keeps it open; a connection found closed before a request is
  reopened, and a GET that finds it closed mid-way is sent once more (a browser does the same);
* cookies from ``Set-Cookie`` sent back (the session cookie after the login form);
* ``Accept-Encoding: gzip, deflate`` like ``requests``, so the server compresses as it does for a
  browser; bodies are decompressed only when read as text or JSON.
"""

from __future__ import annotations

import gzip
import http.client
import json as jsonlib
import select
import zlib
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

ERRORS = (OSError, http.client.HTTPException)  # what a failed request raises (timeouts are OSErrors)
_RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Response:
    """The status, the headers and the body (as sent) of one answer."""

    __slots__ = ("headers", "raw", "status_code")

    def __init__(self, status_code: int, headers: http.client.HTTPMessage, raw: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.raw = raw

    @property
    def content(self) -> bytes:
        """The body, decompressed."""
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip":
            return gzip.decompress(self.raw)
        if encoding == "deflate":
            return zlib.decompress(self.raw)
        return self.raw

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON."""
        return jsonlib.loads(self.content)


class Client:
    """One browser-like client of ``base`` (``http://host:port``)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"not an http:// base URL: {base}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        """Close the kept-alive connection, if any."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _usable(self, timeout: float) -> http.client.HTTPConnection:
        connection = self._connection
        if connection is not None and connection.sock is not None:
            # Readable while idle means the server closed it (or sent something unasked): start afresh.
            readable, _, _ = select.select([connection.sock], [], [], 0)
            if readable:
                self.close()
                connection = None
        if connection is None:
            connection = self._connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        elif connection.sock is not None:
            connection.sock.settimeout(timeout)
        connection.timeout = timeout
        return connection

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None, json: Any = None,
                data: dict[str, str] | None = None, timeout: float = 30.0) -> Response:
        """Send one request on the kept-alive connection and read the whole answer."""
        sent = {"Accept-Encoding": "gzip, deflate", **(headers or {})}
        body: bytes | None = None
        if json is not None:
            body, sent["Content-Type"] = jsonlib.dumps(json).encode(), "application/json"
        elif data is not None:
            body, sent["Content-Type"] = urlencode(data).encode(), "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            connection = self._usable(timeout)
            try:
                connection.request(method, path, body=body, headers=sent)
                answer = connection.getresponse()
                raw = answer.read()
            except _RETRYABLE:
                self.close()
                if attempt == 1 and method == "GET":
                    continue
                raise
            except BaseException:
                self.close()
                raise
            if answer.will_close:
                self.close()
            for header in answer.headers.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(answer.status, answer.headers, raw)
        raise AssertionError("unreachable")

    def get(self, path: str, **kwargs: Any) -> Response:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        """POST to ``path``."""
        return self.request("POST", path, **kwargs)


def _compare() -> None:  # pragma: no cover - a measurement, run by hand
    import os
    import resource
    import signal
    import sys
    import tempfile
    from pathlib import Path

    import http_costs
    import requests

    def cpu_s() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    workdir = Path(tempfile.mkdtemp(prefix="quizapp-keepalive-"))
    database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
    token, submission = http_costs.prepare(database_url)
    master, base = http_costs.start_gunicorn(database_url, {"encoding": "identity"}, workdir)
    api = {"Authorization": f"Bearer {token}"}
    n = 300
    try:
        for path, headers in (("/static/style.css", {}), (f"/api/v1/submissions/{submission}", api)):
            clients: dict[str, Any] = {"requests": requests.Session(), "keepalive": Client(base)}
            for name, client in clients.items():
                prefix = base if name == "requests" else ""
                for _ in range(20):
                    assert client.get(prefix + path, headers=headers).content
                before = cpu_s()
                for _ in range(n):
                    assert client.get(prefix + path, headers=headers).content
                print(f"{path:32} {name:10} {(cpu_s() - before) * 1000 / n:.3f} ms of client CPU per request")
    finally:
        os.killpg(master.pid, signal.SIGTERM)
    sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:] == ["--compare"]:
        _compare()
    else:
        print(__doc__)
        print("usage: .venv/bin/python bench/keepalive.py --compare")
