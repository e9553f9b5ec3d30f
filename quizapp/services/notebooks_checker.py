"""The offline checker a downloaded notebook carries: the grader's own comparison, and the public cases.

The checker cell is generated from the source of :mod:`graders.compare` and :mod:`graders.present`
(their imports of other ``graders`` modules replaced by the few names they need), so a notebook
explains a wrong output in the very words the grader uses. Public cases travel as compressed JSON:
each case's arguments and, per graded output, its path into the returned value and its expected
value (computed here by the exercise's reference, never shipped itself).
"""

from __future__ import annotations

import ast
import base64
import copy
import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np

import graders.compare
import graders.present
from graders.compare import resolve

_STUBS = '''
OutputPath = tuple


class Unsupported:
    """A value the grader could not read back (never produced offline)."""

    type_name = "value"
    detail = ""
'''

_DRIVER = '''

def load_cases(blob):
    """Decode the public cases of one exercise (zlib-compressed JSON, base64)."""
    import base64
    import json
    import zlib

    def decode(tree):
        if isinstance(tree, list):
            return [decode(item) for item in tree]
        if not isinstance(tree, dict):
            return tree
        if "array" in tree:
            dtype, shape, data = tree["array"]
            return np.frombuffer(base64.b64decode(data), dtype=dtype).reshape(shape).copy()
        if "tuple" in tree:
            return tuple(decode(item) for item in tree["tuple"])
        if "dict" in tree:
            return {key: decode(value) for key, value in tree["dict"]}
        return tree["value"]

    data = json.loads(zlib.decompress(base64.b64decode(blob)))
    cases = [
        {
            "name": case["name"],
            "note": case["note"],
            "args": decode(case["args"]),
            "outputs": [(output, tuple(path), decode(value)) for output, path, value in case["outputs"]],
        }
        for case in data["cases"]
    ]
    return {"tolerance": data["tolerance"], "cases": cases}


def check(function, cases):
    """Run ``function`` on each public case and say, as the grader would, what differs."""
    import copy
    import traceback

    name = getattr(function, "__name__", "your function")
    tol = Tolerance(*cases["tolerance"])
    passed = 0
    for case in cases["cases"]:
        args = copy.deepcopy(tuple(case["args"]))
        try:
            got = function(*args)
        except Exception as exc:  # the student's code may raise anything
            tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
            print(f"[FAIL] {case['name']}: your {name} raised an exception:")
            print("".join(tb[-3:]).rstrip())
            continue
        wrong, right = [], []
        for output, path, expected in case["outputs"]:
            part, problem = resolve(got, path, "The returned value")
            mismatch = Mismatch(output, problem) if problem else compare(part, expected, tol, output)
            if mismatch is None:
                right.append(output)
            else:
                wrong.append((output, mismatch, part, expected))
        if wrong:
            unique = list({m.problem: m for _, m, _, _ in wrong}.values())
            text = case_summary(unique, right)
            if case["note"]:
                text = f"({case['note']}) {text}"
            print(f"[FAIL] {case['name']}: " + fit([text, show_expected(wrong)]))
        else:
            passed += 1
            print(f"[ok]   {case['name']}: All outputs are right.")
    total = len(cases["cases"])
    if passed == total:
        print(f"All {total} public tests passed. Submit to be graded on hidden cases too.")
    else:
        print(f"{passed} of {total} public tests passed.")
    return passed == total
'''


def _module_code(module: Any) -> str:
    """A module's source without its imports of ``graders`` and ``__future__``."""
    source = Path(module.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.split("\n")
    kept = []
    for node in tree.body:
        top = (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else ""
        if top in ("graders", "__future__"):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node is tree.body[0]:
            continue  # the module docstring
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        kept.append("\n".join(lines[start - 1 : node.end_lineno]))
    return "\n\n".join(kept)


def checker_source() -> str:
    """The checker cell: compare/present from the grader, then the offline test driver."""
    parts = [
        "# The platform's checker: the same comparison and words as the grader (no need to read it).",
        "from __future__ import annotations",
        _STUBS.strip(),
        _module_code(graders.compare),
        _module_code(graders.present),
        _DRIVER.strip(),
    ]
    return "\n\n\n".join(parts) + "\n"


def _encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {"array": [data.dtype.str, list(data.shape), base64.b64encode(data.tobytes()).decode("ascii")]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"dict": [[key, _encode(item)] for key, item in value.items()]}
    if isinstance(value, np.generic):
        return {"value": value.item()}
    return {"value": value}


def cases_blob(exercise: Any) -> str:
    """The exercise's public cases with the expected value of each graded output, packed for a notebook."""
    content = exercise.content()
    cases = []
    for case in content.public_cases():
        expected = content.reference(*copy.deepcopy(case.args))
        outputs = []
        for name, path in content.output_paths(case).items():
            part, problem = resolve(expected, path, "the reference")
            if problem:
                raise ValueError(f"{exercise.slug}: output {name!r}: {problem}")
            outputs.append([name, list(path), _encode(part)])
        args = _encode(tuple(case.args))
        cases.append({"name": case.name, "note": case.note, "args": args, "outputs": outputs})
    data = {"tolerance": [exercise.tolerance.rtol, exercise.tolerance.atol], "cases": cases}
    packed = zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 9)
    return base64.b64encode(packed).decode("ascii")
