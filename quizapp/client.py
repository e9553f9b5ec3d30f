"""Command-line client: submit a file for grading and print the verdict.

    python -m quizapp.client login --server URL --email ada@example.com      # prints a token
    python -m quizapp.client submit lstm_cell_forward my_lstm.py --server URL --token TOKEN
    python -m quizapp.client submit week1.ipynb        # every graded function the notebook defines
    quizapp-submit submit lstm_cell_forward my_lstm.py                       # QUIZAPP_SERVER, QUIZAPP_TOKEN

Exit status: 0 when the submission passed, 1 when it was graded below full marks,
2 on a usage, network or server error (the message says which).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import requests

USER_AGENT = "quizapp-client/1"
LONG_POLL_S = 25.0  # the longest single wait asked of the server (it allows 30)
SUBMIT_WAIT_S = 5.0  # the submission request's own wait: most verdicts come well within it, and a longer
# one (a queue) is then followed with long polls, each status change printed
DEFAULT_SERVER = "http://127.0.0.1:5000"


class ClientError(Exception):
    """Something the user should be told about, in one line."""


def _error_text(response: requests.Response) -> str:
    try:
        error = response.json()["error"]
        text = f"{error['message']} ({response.status_code} {error['code']})"
    except (ValueError, KeyError, TypeError):
        text = f"the server answered {response.status_code}"
    wait = response.headers.get("Retry-After")
    if wait and response.status_code in (429, 503):
        text += f"; try again in {wait} s"
    return text


class Client:
    """A thin wrapper over the JSON API."""

    def __init__(self, server: str, token: str | None = None, timeout: float = 30.0):
        self.server = server.rstrip("/")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            kwargs.setdefault("timeout", self.timeout)
            return self.session.request(method, self.server + path, **kwargs)
        except requests.RequestException as exc:
            raise ClientError(f"cannot reach {self.server}: {exc}") from exc

    def login(self, email: str, password: str) -> str:
        """Exchange an email and password for a bearer token."""
        response = self._call("POST", "/api/v1/tokens", auth=(email, password))
        if response.status_code != 201:
            raise ClientError(f"login failed: {_error_text(response)}")
        return str(response.json()["token"])

    def submit(self, exercise: str, code: str, wait: float = 0.0) -> dict[str, Any]:
        """Send code for grading; returns the submission (its ``id`` and ``status``). With ``wait``, the
        server answers as soon as the verdict is stored (at most ``wait`` s), with the verdict in it."""
        path = f"/api/v1/exercises/{exercise}/submissions"
        params = {"wait": f"{wait:g}"} if wait > 0 else None
        response = self._call(
            "POST", path, json={"code": code, "source": "cli"}, params=params, timeout=self.timeout + wait
        )
        if response.status_code not in (201, 202):
            raise ClientError(f"submission refused: {_error_text(response)}")
        data: dict[str, Any] = response.json()
        return data

    def submit_notebook(self, notebook: bytes) -> dict[str, Any]:
        """Send a notebook (outputs stripped first); returns the server's answer (submissions, not_found)."""
        response = self._call(
            "POST",
            "/api/v1/notebook-submissions",
            params={"source": "cli"},
            data=strip_outputs(notebook),
            headers={"Content-Type": "application/x-ipynb+json"},
        )
        if response.status_code != 202:
            raise ClientError(f"notebook refused: {_error_text(response)}")
        data: dict[str, Any] = response.json()
        return data

    def submission(self, submission_id: int, wait: float = 0.0) -> dict[str, Any]:
        """The submission's status and verdict; with ``wait``, as soon as it is graded (long poll)."""
        params = {"wait": f"{wait:g}"} if wait > 0 else None
        response = self._call(
            "GET", f"/api/v1/submissions/{submission_id}", params=params, timeout=self.timeout + wait
        )
        if response.status_code != 200:
            raise ClientError(f"cannot read submission {submission_id}: {_error_text(response)}")
        data: dict[str, Any] = response.json()
        return data

    def submit_and_wait(
        self, exercise: str, code: str, timeout: float, on_submitted: Any = None, on_status: Any = None
    ) -> dict[str, Any]:
        """Send code and wait for its verdict (at most ``timeout`` s): the submission request itself waits
        first, then long polls if it answered before the verdict. ``on_submitted(id)`` hears the id."""
        deadline = time.monotonic() + timeout
        data = self.submit(exercise, code, wait=max(0.0, min(SUBMIT_WAIT_S, timeout)))
        if on_submitted is not None:
            on_submitted(int(data["id"]))
        if on_status is not None:
            on_status(data["status"])
        if data["status"] == "graded":
            return data
        remaining = max(0.0, deadline - time.monotonic())
        return self.wait(int(data["id"]), remaining, on_status, last=data["status"])

    def wait(
        self, submission_id: int, timeout: float, on_status: Any = None, last: str | None = None
    ) -> dict[str, Any]:
        """Wait until the submission is graded (or ``timeout`` seconds pass), by long polls."""
        deadline = time.monotonic() + timeout
        while True:
            asked = time.monotonic()
            data = self.submission(submission_id, wait=max(0.0, min(LONG_POLL_S, deadline - asked)))
            if data["status"] != last and on_status is not None:
                on_status(data["status"])
            last = data["status"]
            if data["status"] == "graded":
                return data
            if time.monotonic() > deadline:
                raise ClientError(f"submission {submission_id} still {last} after {timeout:g} s; check later")
            if time.monotonic() - asked < 1.0:  # answered early: the server had its fill of waiters
                time.sleep(1.0)


def strip_outputs(notebook: bytes) -> bytes:
    """The notebook without cell outputs (they are never graded, and can be large); as is if not JSON."""
    try:
        data = json.loads(notebook)
    except ValueError:
        return notebook
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return notebook
    for cell in data["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(data).encode("utf-8")


def format_verdict(verdict: dict[str, Any], title: bool = False) -> str:
    """The verdict as plain text for a terminal (``title``: name the exercise first)."""
    lines = [f"{verdict['status'].upper()}: {verdict['score']:g} / {verdict['max_score']:g} points"]
    if title:
        lines[0] = f"{verdict['exercise']}: {lines[0]}"
    for case in verdict.get("cases") or []:
        mark = "ok  " if case.get("passed") else "FAIL"
        hidden = " (hidden)" if case.get("hidden") else ""
        lines.append(f"  [{mark}] {case.get('name')}{hidden}")
        message = str(case.get("message") or "").strip()
        if message and not case.get("passed"):
            lines.extend(f"         {line}" for line in message.splitlines())
    feedback = verdict.get("feedback") or []
    if feedback:
        lines.append("Feedback:")
        lines.extend(f"  - {item}" for item in feedback)
    if verdict.get("output"):
        lines.append("Your code printed:")
        lines.extend(f"  | {line}" for line in str(verdict["output"]).splitlines())
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quizapp-submit", description="Submit exercise code for grading.")
    parser.add_argument("--server", default=os.environ.get("QUIZAPP_SERVER", DEFAULT_SERVER),
                        help="the platform's URL (env QUIZAPP_SERVER; default %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="get a bearer token for your account")
    login.add_argument("--email", required=True)
    login.add_argument("--password", help="default: env QUIZAPP_PASSWORD, else asked for")
    submit = commands.add_parser(
        "submit", help="submit a file (or every graded function of a .ipynb) and print the verdict"
    )
    submit.add_argument("exercise", help="exercise slug, e.g. lstm_cell_forward; or a .ipynb notebook")
    submit.add_argument("file", type=Path, nargs="?", help="your Python file (omit for a notebook)")
    submit.add_argument("--token", default=os.environ.get("QUIZAPP_TOKEN"), help="env QUIZAPP_TOKEN")
    submit.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the verdict")
    submit.add_argument("--json", action="store_true", help="print the verdict JSON instead of a summary")
    submit.add_argument("--no-wait", action="store_true", help="print the submission id and exit")
    # Options may also follow the sub-command: `submit EX FILE --server URL`.
    for sub in (login, submit):
        sub.add_argument("--server", default=argparse.SUPPRESS, help="the platform's URL")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "login":
        password = args.password or os.environ.get("QUIZAPP_PASSWORD") or getpass.getpass("Password: ")
        print(Client(args.server).login(args.email, password))
        return 0
    if not args.token:
        raise ClientError("no token: pass --token, set QUIZAPP_TOKEN, or get one with `login`")
    if args.file is None:
        if not args.exercise.endswith(".ipynb"):
            raise ClientError("give an exercise slug and a file, or a notebook file ending in .ipynb")
        return _submit_notebook(args, Path(args.exercise))
    try:
        code = args.file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ClientError(f"cannot read {args.file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ClientError(f"{args.file} is not UTF-8 text") from exc
    client = Client(args.server, args.token)
    if args.no_wait:
        submission_id = int(client.submit(args.exercise, code)["id"])
        print(f"Submitted {args.file} as submission {submission_id}.", file=sys.stderr)
        print(submission_id)
        return 0
    data = client.submit_and_wait(
        args.exercise,
        code,
        args.timeout,
        lambda submission_id: print(f"Submitted {args.file} as submission {submission_id}.", file=sys.stderr),
        lambda status: print(f"... {status}", file=sys.stderr),
    )
    verdict = data["verdict"]
    print(json.dumps(verdict, indent=2) if args.json else format_verdict(verdict))
    return 0 if verdict["status"] == "passed" else 1


def _submit_notebook(args: argparse.Namespace, path: Path) -> int:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClientError(f"cannot read {path}: {exc.strerror}") from exc
    client = Client(args.server, args.token)
    answer = client.submit_notebook(raw)
    queued = answer["submissions"]
    names = ", ".join(item["exercise"] for item in queued)
    print(f"Submitted {path}: {len(queued)} function{'s' if len(queued) != 1 else ''} found ({names}).",
          file=sys.stderr)
    if answer.get("not_found"):
        print(f"Not found in the notebook: {', '.join(answer['not_found'])}.", file=sys.stderr)
    for item in answer.get("refused") or []:
        print(f"Refused: {item['exercise']}: {item['message']}", file=sys.stderr)
    if args.no_wait:
        print("\n".join(str(item["id"]) for item in queued))
        return 0
    verdicts = [client.wait(item["id"], args.timeout)["verdict"] for item in queued]
    if args.json:
        print(json.dumps(verdicts, indent=2))
    else:
        print("\n\n".join(format_verdict(verdict, title=True) for verdict in verdicts))
    return 0 if all(verdict["status"] == "passed" for verdict in verdicts) else 1


SECRET_OPTIONS = ("--token", "--password")


def _attach_secrets(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Write ``--token VALUE`` as ``--token=VALUE`` when VALUE starts with ``-``: a token or password may
    (one in 64 tokens issued before tokens stopped starting with ``-``), and argparse would read it as an
    option. A value that is one of the client's own options is left alone, so a forgotten value is still
    reported as missing."""
    known = {option for action in _all_actions(parser) for option in action.option_strings}
    out: list[str] = []
    items = iter(range(len(argv)))
    for i in items:
        word = argv[i]
        following = argv[i + 1] if i + 1 < len(argv) else None
        secret_value = following is not None and following.startswith("-") and following not in known
        if word in SECRET_OPTIONS and secret_value:
            out.append(f"{word}={following}")
            next(items, None)
        else:
            out.append(word)
    return out


def _all_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    actions = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                actions.extend(_all_actions(sub))
    return actions


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m quizapp.client`` and the ``quizapp-submit`` script."""
    parser = _parser()
    args = parser.parse_args(_attach_secrets(sys.argv[1:] if argv is None else argv, parser))
    try:
        return _run(args)
    except ClientError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
