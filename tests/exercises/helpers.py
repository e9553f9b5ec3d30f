"""Load exercise folders in-process (trusted content only) and compare results the way grading does."""

from __future__ import annotations

import copy
import importlib.util
import sys
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from graders.exercise import Case, Mistake

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
BUGGY = Path(__file__).resolve().parent / "buggy"
# Catalogue order from the interface contract (the eight course exercises, then the seven added after
# them); the first folder is maintained separately.
CONTRACT_SLUGS = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
                  "gru_cell_forward", "rnn_cell_backward", "rnn_backward", "clip",
                  "lstm_cell_backward", "lstm_backward", "gru_forward", "gru_cell_backward",
                  "brnn_forward", "deep_rnn_forward", "sample")
PRESENT = tuple(s for s in CONTRACT_SLUGS if (EXERCISES / s / "info.yaml").exists())
OWNED = tuple(s for s in CONTRACT_SLUGS[1:] if s in PRESENT)  # held to this suite's style checks

# Variants that, like the student code they model, only run when the layer widths allow it (x fed to every
# layer needs layers as wide as the input): elsewhere they raise, and diagnosis skips them there.
RAISES_ON_SHAPES = {
    "deep_rnn_forward": frozenset({"x_every_layer", "y_from_first_layer", "a0_first_layer_for_all"}),
}
RAISED = object()  # what run_variant returns for such a variant where it raises; never equal to an output

RNN_UTILS = ROOT / "graders" / "sandbox_lib" / "rnn_utils.py"  # what submissions import in the sandbox


def install_rnn_utils() -> None:
    """Make ``import rnn_utils`` work in-process with the sandbox's own module (course sigmoid/softmax)."""
    if "rnn_utils" not in sys.modules:
        sys.modules["rnn_utils"] = load_file(RNN_UTILS, "rnn_utils")


def load_file(path: Path, name: str) -> types.ModuleType:
    """Import a Python file under a unique module name."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_source(code: str, name: str) -> types.ModuleType:
    """Run submission-style source as a fresh module (trusted test code only)."""
    install_rnn_utils()
    module = types.ModuleType(name)
    exec(compile(code, name, "exec"), module.__dict__)  # noqa: S102 - our own test files
    return module


@dataclass(frozen=True)
class Content:
    """An exercise folder loaded in-process."""

    slug: str
    info: dict[str, Any]
    grading: types.ModuleType
    mistakes: tuple[Mistake, ...]
    solution: types.ModuleType

    @property
    def rtol(self) -> float:
        return float(self.info["tolerance"]["rtol"])

    @property
    def atol(self) -> float:
        return float(self.info["tolerance"]["atol"])

    def cases(self, seed: int = 0) -> list[Case]:
        """Public cases plus one draw of hidden cases."""
        count = int(self.info["hidden_case_count"])
        return [*self.grading.public_cases(), *self.grading.hidden_cases(np.random.default_rng(seed), count)]

    def run(self, fn: Any, case: Case) -> Any:
        """Call ``fn`` on a deep copy of the case's arguments (course code clips in place)."""
        return fn(*copy.deepcopy(case.args))

    def run_variant(self, variant: Mistake, case: Case) -> Any:
        """Run a mistake variant; ``RAISED`` where it cannot apply (see ``RAISES_ON_SHAPES``)."""
        try:
            return self.run(variant.implementation, case)
        except ValueError:
            if variant.id not in RAISES_ON_SHAPES.get(self.slug, ()):
                raise
            return RAISED

    def differing(self, actual: Any, expected: Any, case: Case) -> list[str]:
        """Names of the graded outputs where ``actual`` is missing, misshapen or off tolerance."""
        return [name for name, path in self.grading.outputs(case).items()
                if not close(pick(actual, path), pick(expected, path), self.rtol, self.atol)]


@cache
def content(slug: str) -> Content:
    """Load ``exercises/<slug>`` (info, grading, mistakes, solution)."""
    install_rnn_utils()
    folder = EXERCISES / slug
    info = yaml.safe_load((folder / "info.yaml").read_text(encoding="utf-8"))
    grading = load_file(folder / "grading.py", f"_content_{slug}_grading")
    mistakes_module = load_file(folder / "mistakes.py", f"_content_{slug}_mistakes")
    mistakes = tuple(v for v in vars(mistakes_module).values() if isinstance(v, Mistake))
    solution = load_file(folder / "solution.py", f"_content_{slug}_solution")
    return Content(slug, info, grading, mistakes, solution)


_MISSING = object()


def pick(value: Any, path: tuple[int | str, ...]) -> Any:
    """Follow an output path; ``_MISSING`` when a step does not exist."""
    for step in path:
        try:
            value = value[step]
        except (IndexError, KeyError, TypeError):
            return _MISSING
    return value


def close(actual: Any, expected: Any, rtol: float, atol: float) -> bool:
    """Same structure, same shapes and within tolerance, with NaN never equal."""
    if actual is _MISSING or expected is _MISSING:
        return actual is expected
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            close(actual[k], expected[k], rtol, atol) for k in expected)
    if isinstance(expected, (list, tuple)):
        return isinstance(actual, (list, tuple)) and len(actual) == len(expected) and all(
            close(a, e, rtol, atol) for a, e in zip(actual, expected, strict=True))
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol))


ALT = Path(__file__).resolve().parent / "alt"


@dataclass(frozen=True)
class Submission:
    """A student-style file from ``buggy/`` or ``alt/``: its exercise, code and expected mistake id."""

    slug: str
    path: Path
    code: str
    expect: str  # the mistake id for buggy files, "" for correct alternatives

    @property
    def id(self) -> str:
        return f"{self.slug}/{self.path.stem}"


def submissions(root: Path) -> list[Submission]:
    """All ``<root>/<slug>/*.py`` files, with the ``# expect: <id>`` header read."""
    found = []
    for path in sorted(root.glob("*/*.py")):
        code = path.read_text(encoding="utf-8")
        expect = next((line.split(":", 1)[1].split()[0] for line in code.splitlines()
                       if line.startswith("# expect:")), "")
        found.append(Submission(path.parent.name, path, code, expect))
    return found
