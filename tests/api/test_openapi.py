"""The OpenAPI document: valid 3.1, in step with the app's routes, served as JSON, true to live answers."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.routing import IntegerConverter, Rule

from quizapp import create_app
from quizapp.extensions import db
from quizapp.grading import grading_for
from quizapp.grading.runner import run_one
from quizapp.routing import MAX_ID
from tests.conftest import TEST_SECRET, AuthActions, csrf_token_from

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
GRADEBOOK_CSV = ("/instructor/gradebook.csv", "get")
BASE = "urn:quizapp:openapi"
CONTRACT_VERDICT_KEYS = {"exercise", "status", "score", "max_score", "cases", "feedback", "output"}
ADDITIVE_VERDICT_KEYS = {"seed", "grader_version", "exercise_version", "mistakes"}
WRITE_METHODS = {"post", "put", "patch", "delete"}

# rnn_cell_forward with sigmoid where the cell uses tanh: graded "failed" with a named mistake.
BUGGY_RNN_CELL = """
import numpy as np

def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = 1 / (1 + np.exp(-(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])))
    z = p["Wya"] @ a_next + p["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, parameters)
"""


# --- the document against the app's routes ------------------------------------------------------------


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    """An app for looking at routes and the static document; these requests never reach a database."""
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET})


def openapi_path(rule: Rule) -> str:
    """A Werkzeug rule written the OpenAPI way: ``<int:attempt_id>`` becomes ``{attempt_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def api_rules(app: Flask) -> list[Rule]:
    """The app's rules under /api/v1."""
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")]


def app_operations(app: Flask) -> set[tuple[str, str]]:
    """(path, method) for every /api/v1 rule, HEAD and OPTIONS left out."""
    return {
        (openapi_path(rule), method.lower())
        for rule in api_rules(app)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def documented_operations() -> set[tuple[str, str]]:
    """(path, method) for every operation in the document."""
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return {(path, method) for path, item in DOCUMENT["paths"].items() for method in set(item) & methods}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (one level is all the document uses outside schemas)."""
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = DOCUMENT
    for part in ref.removeprefix("#/").split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return resolve(target)


def path_parameters(path: str, method: str) -> dict[str, dict[str, Any]]:
    """The documented path parameters of one operation, by name."""
    item = DOCUMENT["paths"][path]
    params = [resolve(p) for p in item.get("parameters", []) + item[method].get("parameters", [])]
    return {p["name"]: p for p in params if p["in"] == "path"}


def test_document_is_valid_openapi_3_1() -> None:
    """docs/openapi.yaml is a valid OpenAPI 3.1 document."""
    assert DOCUMENT["openapi"].startswith("3.1.")
    validate(DOCUMENT)


def test_every_api_route_is_documented(bare_app: Flask) -> None:
    """Each /api/v1 rule of the app, with each of its methods, has an operation in the document."""
    missing = app_operations(bare_app) - documented_operations()
    assert not missing, f"routes missing from docs/openapi.yaml: {sorted(missing)}"


def test_every_documented_operation_exists(bare_app: Flask) -> None:
    """Each documented path and method is a real route (the API's, plus the gradebook CSV download)."""
    rules = {(openapi_path(r), m.lower()) for r in bare_app.url_map.iter_rules() for m in r.methods or ()}
    assert GRADEBOOK_CSV in rules
    extra = documented_operations() - app_operations(bare_app) - {GRADEBOOK_CSV}
    assert not extra, f"documented but not in the app: {sorted(extra)}"


def test_path_parameters_match_the_rules(bare_app: Flask) -> None:
    """Every rule's variables are documented path parameters, integers where the rule converts to int."""
    for rule in api_rules(bare_app):
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            if openapi_path(rule) not in DOCUMENT["paths"]:
                continue  # reported by test_every_api_route_is_documented
            params = path_parameters(openapi_path(rule), method.lower())
            assert set(params) == set(rule.arguments), rule.rule
            for name, converter in rule._converters.items():
                schema = resolve(params[name]["schema"])
                expected = "integer" if isinstance(converter, IntegerConverter) else "string"
                assert schema["type"] == expected, (rule.rule, name)
                if expected == "integer":
                    assert (schema["minimum"], schema["maximum"]) == (1, MAX_ID), (rule.rule, name)


def test_writes_document_the_csrf_header_for_sessions() -> None:
    """Every documented API write accepts a bearer token, or a session only together with X-CSRFToken."""
    for path, method in documented_operations():
        if method not in WRITE_METHODS or path == "/api/v1/tokens":
            continue
        security = DOCUMENT["paths"][path][method].get("security", DOCUMENT["security"])
        assert {"bearer": []} in security, (path, method)
        assert {"session": [], "csrf": []} in security and {"session": []} not in security, (path, method)


def test_verdict_schema_is_the_contracts() -> None:
    """The Verdict schema requires exactly the contract's keys and documents the grader's additive ones."""
    verdict = DOCUMENT["components"]["schemas"]["Verdict"]
    assert set(verdict["required"]) == CONTRACT_VERDICT_KEYS
    assert set(verdict["properties"]) == CONTRACT_VERDICT_KEYS | ADDITIVE_VERDICT_KEYS
    statuses = DOCUMENT["components"]["schemas"]["VerdictStatus"]["enum"]
    assert statuses == ["passed", "failed", "error", "timeout", "resource_limit", "rejected"]


def test_served_json_equals_the_file(bare_app: Flask) -> None:
    """GET /api/v1/openapi.json needs no credentials and returns the YAML file's content as JSON."""
    response = bare_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == DOCUMENT


# --- live answers against the documented schemas -----------------------------------------------------


def strict(node: Any) -> Any:
    """A copy in which objects with listed properties allow no others, so undocumented keys fail."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: strict(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
        copied["additionalProperties"] = False
    return copied


REGISTRY: Registry = Registry().with_resource(
    BASE, Resource.from_contents(strict(copy.deepcopy(DOCUMENT)), default_specification=DRAFT202012)
)


def pointer(*parts: str) -> str:
    """A JSON pointer into the document."""
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def template_for(path: str) -> str:
    """The documented path template a concrete request path falls under (literal segments win)."""
    matches = [
        template
        for template in DOCUMENT["paths"]
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path)
    ]
    assert matches, f"{path} matches no documented path"
    return min(matches, key=lambda template: template.count("{"))


class Checker:
    """Validates live responses against the document and records which operations were seen."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, response: Any, status: int) -> Any:
        """Assert the status, then that body and required headers match what the document says for it."""
        path, method = template_for(response.request.path), response.request.method.lower()
        where = f"{method.upper()} {response.request.path} -> {response.status_code}"
        assert response.status_code == status, (where, response.get_data(as_text=True)[:500])
        responses = DOCUMENT["paths"][path][method]["responses"]
        assert str(status) in responses, f"{where} is not documented"
        entry = responses[str(status)]
        base = entry["$ref"] if "$ref" in entry else pointer("paths", path, method, "responses", str(status))
        documented = resolve(entry)
        content = documented.get("content", {})
        if content:
            assert response.mimetype in content, (where, response.mimetype)
        if response.mimetype == "application/json":
            schema = {"$ref": BASE + base + pointer("content", "application/json", "schema")[1:]}
            validator = Draft202012Validator(
                schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            error = best_match(validator.iter_errors(response.get_json()))
            assert error is None, (where, list(error.absolute_path), error.message)
        for name, header in documented.get("headers", {}).items():
            if header.get("required"):
                assert name in response.headers, (where, name)
                if header["schema"].get("type") == "integer":
                    assert int(response.headers[name]) >= header["schema"].get("minimum", 0), where
        self.seen.add((path, method))
        return response.get_json(silent=True)


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """No in-app pool: the tests grade queued submissions themselves, deterministically."""
    return {"GRADING_POOL_IN_APP": False}


@pytest.fixture
def check() -> Checker:
    """A fresh response checker."""
    return Checker()


def quiz_tour(client: FlaskClient, check: Checker, student: dict[str, str], other: dict[str, str]) -> None:
    """Every quiz operation, with its usual errors."""
    check(client.get("/api/v1/quizzes"), 401)
    quizzes = check(client.get("/api/v1/quizzes", headers=student), 200)
    assert [q["slug"] for q in quizzes][:1] == ["rnn-week1"]
    check(client.get("/api/v1/quizzes/rnn-week1", headers=student), 200)
    check(client.get("/api/v1/quizzes/nope", headers=student), 404)
    attempt = check(client.post("/api/v1/quizzes/rnn-week1/attempts", headers=student), 201)
    one = f"/api/v1/attempts/{attempt['id']}"
    check(client.get(one, headers=student), 200)
    check(client.get(one, headers=other), 404)
    check(client.put(f"{one}/answers", json={"answers": {"q1": ["a"]}}, headers=student), 200)
    check(client.put(f"{one}/answers", data=b"{", content_type="application/json", headers=student), 400)
    check(client.put(f"{one}/answers", json={"answers": {"q99": ["a"]}}, headers=student), 422)
    check(client.put(f"{one}/answers", data=b" " * (2 * 1024 * 1024), headers=student), 413)
    check(client.post(f"{one}/submit", json={"answers": None}, headers=student), 400)
    result = check(client.post(f"{one}/submit", json={"answers": {"q2": ["a"]}}, headers=student), 200)
    assert result["results"][0]["question"] == "q1"
    check(client.get(one, headers=student), 200)
    check(client.put(f"{one}/answers", json={"answers": {"q1": ["b"]}}, headers=student), 409)
    check(client.post(f"{one}/submit", json={"answers": {"q1": ["b"]}}, headers=student), 409)
    for _ in range(2):  # the week-1 quiz allows three attempts in its window
        check(client.post("/api/v1/quizzes/rnn-week1/attempts", headers=student), 201)
    limited = check(client.post("/api/v1/quizzes/rnn-week1/attempts", headers=student), 429)
    assert limited["error"]["code"] == "attempt_limit"


def exercise_tour(app: Flask, client: FlaskClient, check: Checker, student: dict[str, str]) -> int:
    """Every exercise operation a student uses; returns the id of a graded submission."""
    listed = check(client.get("/api/v1/exercises", headers=student), 200)
    assert listed[0]["slug"] == "rnn_cell_forward"
    check(client.get("/api/v1/exercises/rnn_cell_forward", headers=student), 200)
    check(client.get("/api/v1/exercises/nope", headers=student), 404)
    url = "/api/v1/exercises/rnn_cell_forward/submissions"
    check(client.post(url, json={"code": "  "}, headers=student), 422)
    check(client.post(url, json={"code": "x = 1", "source": ["web"]}, headers=student), 400)
    check(client.post(url, json={"code": "x = 1\x00"}, headers=student), 400)
    check(client.post(url, json={"code": "#" * (65 * 1024)}, headers=student), 413)
    check(client.post("/api/v1/exercises/nope/submissions", json={"code": "x = 1"}, headers=student), 404)
    accepted = check(client.post(url, json={"code": BUGGY_RNN_CELL}, headers=student), 202)
    queued = check(client.get(f"/api/v1/submissions/{accepted['id']}", headers=student), 200)
    assert queued["status"] == "queued" and queued["verdict"] is None
    with app.app_context():
        assert run_one(accepted["id"])
        db.session.remove()
    graded = check(client.get(f"/api/v1/submissions/{accepted['id']}", headers=student), 200)
    assert graded["verdict"]["status"] == "failed" and graded["verdict"]["mistakes"]
    assert set(graded["verdict"]) >= ADDITIVE_VERDICT_KEYS
    check(client.get(url, headers=student), 200)
    check(client.get("/api/v1/exercises/nope/submissions", headers=student), 404)
    draft = "/api/v1/exercises/rnn_cell_forward/draft"
    check(client.get(draft, headers=student), 404)
    check(client.put(draft, json={"code": 5}, headers=student), 422)
    check(client.put(draft, json={"code": "x = 1\n"}, headers=student), 200)
    check(client.get(draft, headers=student), 200)
    return int(accepted["id"])


def instructor_tour(
    client: FlaskClient, check: Checker, teacher: dict[str, str], student: dict[str, str], graded: int
) -> None:
    """Every instructors-only operation, the students' 403 and the CSV download."""
    check(client.get("/api/v1/gradebook", headers=student), 403)
    book = check(client.get("/api/v1/gradebook", headers=teacher), 200)
    rows = {row["email"]: row for row in book["students"]}
    assert set(rows) == {"ann@example.com", "bob@example.com"}
    assert rows["ann@example.com"]["quiz"] is not None and rows["bob@example.com"]["quiz"] is None
    check(client.get("/api/v1/quizzes/rnn-week1/item-analysis?attempts=first", headers=teacher), 200)
    check(client.get("/api/v1/quizzes/rnn-week1/item-analysis?attempts=worst", headers=teacher), 400)
    check(client.get("/api/v1/quizzes/nope/item-analysis", headers=teacher), 404)
    stats = check(client.get("/api/v1/exercises/rnn_cell_forward/analytics", headers=teacher), 200)
    assert stats["mistakes"] and stats["attempts_to_pass"] == []
    check(client.get("/api/v1/exercises/rnn_cell_forward/analytics", headers=student), 403)
    similar = check(client.get("/api/v1/exercises/rnn_cell_forward/similarity", headers=teacher), 200)
    assert similar["status"] == "done" and similar["pairs"] == []  # one student: no pair
    check(client.get("/api/v1/exercises/rnn_cell_forward/similarity", headers=student), 403)
    check(client.get("/api/v1/exercises/rnn_cell_forward/similarity?min_similarity=x", headers=teacher), 400)
    check(client.get("/api/v1/exercises/nope/similarity", headers=teacher), 404)
    check(client.post(f"/api/v1/submissions/{graded}/regrade", headers=teacher), 202)
    check(client.post(f"/api/v1/submissions/{graded}/regrade", headers=teacher), 409)
    check(client.post("/api/v1/submissions/999999/regrade", headers=teacher), 404)
    check(client.get(f"/api/v1/submissions/{graded}", headers=teacher), 200)
    check(client.get("/api/v1/submissions/999999", headers=teacher), 404)
    check(client.post("/api/v1/exercises/rnn_cell_forward/regrade", headers=teacher), 202)
    check(client.post("/api/v1/exercises/rnn_cell_forward/regrade", headers=student), 403)
    check(client.post("/api/v1/exercises/nope/regrade", headers=teacher), 404)
    csv = client.get("/instructor/gradebook.csv", headers=teacher)
    check(csv, 200)
    assert csv.get_data(as_text=True).startswith("email,quiz,rnn_cell_forward,")
    wants_json = {"Accept": "application/json"}
    check(client.get("/instructor/gradebook.csv", headers={**student, **wants_json}), 403)
    check(client.get("/instructor/gradebook.csv", headers={"Authorization": "Bearer x", **wants_json}), 401)
    check(client.get("/instructor/gradebook.csv"), 302)


def token_tour(client: FlaskClient, check: Checker, student: dict[str, str]) -> None:
    """Naming, listing and revoking tokens, with their errors."""
    spare = check(
        client.post("/api/v1/tokens", auth=("ann@example.com", "correct-horse"), json={"name": "ci"}), 201
    )
    check(client.post("/api/v1/tokens", auth=("ann@example.com", "correct-horse"), json={"name": 5}), 400)
    listed = check(client.get("/api/v1/tokens", headers=student), 200)
    assert [token["name"] for token in listed] == ["ci", None]
    check(client.get("/api/v1/tokens"), 401)
    check(client.delete(f"/api/v1/tokens/{spare['id']}", headers=student), 204)
    check(client.delete(f"/api/v1/tokens/{spare['id']}", headers=student), 404)
    fresh = client.post("/api/v1/tokens", auth=("ann@example.com", "correct-horse")).get_json()["token"]
    throwaway = {"Authorization": f"Bearer {fresh}"}
    check(client.delete("/api/v1/tokens/current", headers=throwaway), 204)
    check(client.delete("/api/v1/tokens/current", headers=throwaway), 401)


def schedule_tour(
    client: FlaskClient, check: Checker, teacher: dict[str, str], student: dict[str, str]
) -> None:
    """Schedules, extensions and the audit log, with their errors; ends with everything open again."""
    slug, ext = "rnn_forward", "/api/v1/schedule/rnn_forward/extensions/ann@example.com"
    check(client.get("/api/v1/schedule", headers=teacher), 200)
    check(client.get("/api/v1/schedule", headers=student), 403)
    check(client.get("/api/v1/schedule/nope", headers=teacher), 404)
    body = {"due_at": "2020-01-01T00:00Z", "closes_at": "2020-01-02T00:00Z", "late_penalty_per_day": 0.5}
    check(client.put(f"/api/v1/schedule/{slug}", json=body, headers=teacher), 200)
    check(client.put(f"/api/v1/schedule/{slug}", json={"due_at": "soon"}, headers=teacher), 422)
    check(client.put(f"/api/v1/schedule/{slug}", json=[], headers=teacher), 400)
    closed = check(
        client.post(f"/api/v1/exercises/{slug}/submissions", json={"code": "x = 1"}, headers=student), 403
    )
    assert closed["error"]["code"] == "closed"
    check(client.put(ext, json={"closes_at": "2999-01-01T00:00Z"}, headers=teacher), 200)
    check(client.put(ext, json={}, headers=teacher), 422)
    check(client.get(f"/api/v1/schedule/{slug}", headers=teacher), 200)
    check(client.delete(ext, headers=teacher), 200)
    check(client.delete(ext, headers=teacher), 404)
    check(client.get("/api/v1/audit?action=schedule.set", headers=teacher), 200)
    check(client.get("/api/v1/audit", headers=student), 403)
    check(client.put(f"/api/v1/schedule/{slug}", json=dict.fromkeys(body), headers=teacher), 200)


def notebook_tour(client: FlaskClient, check: Checker, student: dict[str, str]) -> None:
    """Notebook downloads and a notebook upload, with their usual errors."""
    check(client.get("/api/v1/exercises/clip/notebook", headers=student), 200)
    check(client.get("/api/v1/exercises/nope/notebook", headers=student), 404)
    week = client.get("/api/v1/notebook", headers=student)
    check(week, 200)
    check(client.get("/api/v1/notebook"), 401)
    check(client.post("/api/v1/notebook-submissions", data=week.get_data(), headers=student), 202)
    check(client.post("/api/v1/notebook-submissions", data=b"def clip(g, m): pass", headers=student), 422)
    check(client.post("/api/v1/notebook-submissions", data=b"", headers=student), 400)


def test_live_answers_match_the_document(
    app: Flask, client: FlaskClient, auth: AuthActions, check: Checker
) -> None:
    """A tour of every documented API operation: each answer's status, body and headers are as documented."""
    auth.create_user("ann@example.com")
    issued = check(client.post("/api/v1/tokens", auth=("ann@example.com", "correct-horse")), 201)
    check(client.post("/api/v1/tokens", auth=("ann@example.com", "wrong-horse")), 401)
    student = {"Authorization": f"Bearer {issued['token']}"}
    other = auth.bearer("bob@example.com")
    teacher = auth.bearer("teacher@example.com", role="instructor")
    me = check(client.get("/api/v1/me", headers=student), 200)
    assert me == {"email": "ann@example.com", "role": "student"}
    check(client.get("/api/v1/me", headers={"Authorization": "Bearer made-up"}), 401)
    token_tour(client, check, student)
    check(client.get("/api/v1/openapi.json"), 200)
    quiz_tour(client, check, student, other)
    graded = exercise_tour(app, client, check, student)
    instructor_tour(client, check, teacher, student, graded)
    notebook_tour(client, check, student)
    schedule_tour(client, check, teacher, student)
    api = {op for op in documented_operations() if op != GRADEBOOK_CSV}
    assert api - check.seen == set(), "documented operations the tour never called"


def test_session_write_without_csrf_header_is_documented_403(
    client: FlaskClient, auth: AuthActions, check: Checker
) -> None:
    """A signed-in browser writing without X-CSRFToken gets the documented 403; with the header, 201."""
    auth.create_user("ann@example.com")
    auth.login("ann@example.com")
    refused = check(client.post("/api/v1/quizzes/rnn-week1/attempts"), 403)
    assert refused["error"]["code"] == "csrf"
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    check(client.post("/api/v1/quizzes/rnn-week1/attempts", headers={"X-CSRFToken": token}), 201)


@pytest.fixture
def limited_app(database_url: str) -> Iterator[Flask]:
    """An app with rate limiting on, two submissions a minute, and room for one waiting submission."""
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "GRADING_POOL_IN_APP": False,
            "RATELIMIT_ENABLED": True,
            "SUBMISSION_RATE_LIMIT": "2/minute",
            "GRADING_QUEUE_CAPACITY": 1,
        }
    )
    yield application
    grading_for(application).shutdown()
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_busy_and_rate_limited_answers_carry_retry_after(limited_app: Flask, check: Checker) -> None:
    """A full grading queue is the documented 503 and too many submissions the documented 429, both with
    Retry-After."""
    client = limited_app.test_client()
    headers = AuthActions(limited_app, client).bearer("ann@example.com")
    url = "/api/v1/exercises/rnn_cell_forward/submissions"
    check(client.post(url, json={"code": BUGGY_RNN_CELL}, headers=headers), 202)
    busy = check(client.post(url, json={"code": BUGGY_RNN_CELL}, headers=headers), 503)
    assert busy["error"]["code"] == "queue_full"
    limited_app.config["GRADING_QUEUE_CAPACITY"] = 10
    check(client.post(url, json={"code": BUGGY_RNN_CELL}, headers=headers), 202)
    limited = check(client.post(url, json={"code": BUGGY_RNN_CELL}, headers=headers), 429)
    assert limited["error"]["code"] == "rate_limited"


# The edge cases of `code` where the document and the server once disagreed (Schemathesis findings).
CODE_SAMPLES = (
    "", "   ", "\n\t", "\x1c", "x = 1", "x = 1\x00", "\x00", "é = 1", "x = '\ud800'", "#" * 65536, "#" * 65537
)  # fmt: skip


def test_code_schema_agrees_with_the_server(client: FlaskClient, auth: AuthActions) -> None:
    """The documented `code` schema accepts exactly the code the server accepts: blank, NUL, too long."""
    body = DOCUMENT["paths"]["/api/v1/exercises/{slug}/submissions"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]["properties"]["code"]
    validator = Draft202012Validator(schema)
    headers = auth.bearer("ann@example.com")
    for sample in CODE_SAMPLES:
        response = client.post(
            "/api/v1/exercises/rnn_cell_forward/submissions", json={"code": sample}, headers=headers
        )
        accepted = response.status_code == 202
        assert accepted == validator.is_valid(sample), (sample[:10], response.status_code)
        assert response.status_code in (202, 400, 413, 422), response.status_code
