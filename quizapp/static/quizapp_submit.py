"""Submit a function from a running notebook to the quiz platform and show the verdict (stdlib only).

    submit(rnn_cell_forward)              # or submit("rnn_cell_forward")
    TOKEN = login(SERVER, "you@example.com")

``submit`` sends the function's source and what it uses from the notebook (helper functions and
classes, imported modules and names, simple constants), found with ``inspect`` and ``ast`` in the
live kernel. It waits for the grader and shows the verdict as HTML in Jupyter, as text elsewhere.
The server and token come from the arguments, else ``SERVER``/``TOKEN`` in the notebook, else the
environment variables ``QUIZAPP_SERVER``/``QUIZAPP_TOKEN``.
"""

import ast as _ast
import base64 as _base64
import builtins as _builtins
import getpass as _getpass
import html as _html
import inspect as _inspect
import json as _json
import os as _os
import textwrap as _textwrap
import time as _time
import types as _types
import urllib.error as _urlerror
import urllib.request as _urlrequest


class SubmitError(Exception):
    """Why a submission could not be made, in one sentence."""


def _request(method, url, token=None, body=None, basic=None, timeout=30):
    headers = {"Accept": "application/json", "User-Agent": "quizapp-notebook/1"}
    data = None
    if body is not None:
        data = _json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    if basic:
        headers["Authorization"] = "Basic " + _base64.b64encode(":".join(basic).encode("utf-8")).decode("ascii")
    req = _urlrequest.Request(url, data=data, headers=headers, method=method)
    try:
        with _urlrequest.urlopen(req, timeout=timeout) as response:  # noqa: S310 - the course server
            return response.status, _json.loads(response.read().decode("utf-8") or "null")
    except _urlerror.HTTPError as exc:
        try:
            error = _json.loads(exc.read().decode("utf-8"))["error"]
            message = f"{error['message']} ({exc.code} {error['code']})"
        except (ValueError, KeyError, TypeError):
            message = f"the server answered {exc.code}"
        raise SubmitError(message) from None
    except (_urlerror.URLError, OSError) as exc:
        raise SubmitError(f"cannot reach {url}: {exc}") from None


def _setting(name, given, caller):
    value = given or caller.get(name) or _os.environ.get("QUIZAPP_" + name)
    if not value:
        raise SubmitError(f"no {name.lower()}: set {name} = ... in the notebook or pass {name.lower()}=...")
    return str(value).rstrip("/")


def login(server, email, password=None):
    """Exchange your email and password (asked for if not given) for a token."""
    password = password if password is not None else _getpass.getpass("Password: ")
    _, data = _request("POST", server.rstrip("/") + "/api/v1/tokens", basic=(email, password))
    return data["token"]


def _free_names(tree):
    loaded, bound = set(), set()
    for node in _ast.walk(tree):
        if isinstance(node, _ast.Name):
            (loaded if isinstance(node.ctx, _ast.Load) else bound).add(node.id)
        elif isinstance(node, _ast.arg):
            bound.add(node.arg)
    return loaded - bound


def _source_of(obj):
    try:
        return _textwrap.dedent(_inspect.getsource(obj))
    except (OSError, TypeError):
        raise SubmitError(
            f"cannot find the source of {obj.__name__}: define it in a notebook cell and run that cell"
        ) from None


def collect(function, namespace):
    """The source to submit: ``function`` and what it uses from ``namespace``, imports first."""
    imports, definitions, seen = {}, {}, set()
    todo = [function]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        source = _source_of(obj)
        definitions[obj.__name__] = source
        for name in sorted(_free_names(_ast.parse(source))):
            if name not in namespace or hasattr(_builtins, name) and namespace[name] is getattr(_builtins, name):
                continue
            value = namespace[name]
            if isinstance(value, _types.ModuleType):
                module = value.__name__
                imports[name] = f"import {module}" if module == name else f"import {module} as {name}"
            elif isinstance(value, (_types.FunctionType, type)):
                home = getattr(value, "__module__", "__main__")
                if home in ("__main__", getattr(function, "__module__", "__main__")):
                    todo.append(value)
                elif value.__name__ == name:
                    imports[name] = f"from {home} import {name}"
                else:
                    imports[name] = f"from {home} import {value.__name__} as {name}"
            elif isinstance(value, (bool, int, float, str)) and name.isidentifier():
                definitions.setdefault(name, f"{name} = {value!r}")
    ordered = [definitions.pop(function.__name__)]
    blocks = list(dict.fromkeys(imports.values()))
    parts = ["\n".join(blocks)] if blocks else []
    return "\n\n\n".join([*parts, *reversed(list(definitions.values())), *ordered]) + "\n"


def _show(verdict):
    status, score, top = verdict["status"], verdict["score"], verdict["max_score"]
    lines = [f"{verdict['exercise']}: {status.upper()}, {score:g} / {top:g} points"]
    for case in verdict.get("cases") or []:
        mark = "ok  " if case.get("passed") else "FAIL"
        lines.append(f"  [{mark}] {case.get('name')}")
        if not case.get("passed") and case.get("message"):
            lines.extend("         " + line for line in str(case["message"]).splitlines())
    lines.extend("  - " + item for item in verdict.get("feedback") or [])
    text = "\n".join(lines)
    try:
        from IPython.display import HTML, display
    except ImportError:
        print(text)
        return
    colour = "#1b7f3b" if status == "passed" else "#a4262c"
    rows = "".join(
        "<li>{} <b>{}</b>{}</li>".format(
            "✔" if case.get("passed") else "✘",
            _html.escape(str(case.get("name"))),
            "" if case.get("passed") else "<pre>" + _html.escape(str(case.get("message") or "")) + "</pre>",
        )
        for case in verdict.get("cases") or []
    )
    feedback = "".join("<li>" + _html.escape(str(item)) + "</li>" for item in verdict.get("feedback") or [])
    display(HTML(
        f'<div><p style="color:{colour}"><b>{_html.escape(verdict["exercise"])}: {_html.escape(status)}</b>, '
        f"{score:g} / {top:g} points</p><ul>{rows}</ul><ul>{feedback}</ul></div>"
    ))


def submit(function, server=None, token=None, timeout=120.0):
    """Send ``function`` (or its name) with its helpers, wait for the verdict, show it and return it."""
    caller = _inspect.currentframe().f_back.f_globals
    if isinstance(function, str):
        if function not in caller:
            raise SubmitError(f"{function} is not defined: run the cell that defines it first")
        function = caller[function]
    if not isinstance(function, _types.FunctionType):
        raise SubmitError("submit() takes a function defined in this notebook, or its name")
    server, token = _setting("SERVER", server, caller), _setting("TOKEN", token, caller)
    code = collect(function, function.__globals__)
    deadline, delay = _time.monotonic() + timeout, 0.3
    # The submission request waits for the verdict itself: the server answers as soon as it is stored
    # (201, with it), or after 10 s with the submission's state (202); long polls then take over.
    _, data = _request(
        "POST", f"{server}/api/v1/exercises/{function.__name__}/submissions?wait=10", token, {"code": code},
        timeout=45,
    )
    submission_id = data["id"]
    while data["status"] != "graded":
        if _time.monotonic() > deadline:
            raise SubmitError(f"submission {submission_id} is still {data['status']}; look on the website")
        # a long poll: the server answers as soon as the verdict is stored (or after 10 s)
        _, data = _request("GET", f"{server}/api/v1/submissions/{submission_id}?wait=10", token, timeout=45)
        if data["status"] != "graded":  # answered early (the server had its fill of waiters): pause
            _time.sleep(delay)
            delay = min(delay * 1.5, 2.0)
    _show(data["verdict"])
    return data["verdict"]

