"""Every exercise folder is complete and coherent: metadata, statement, solution, cases and mistakes."""

from __future__ import annotations

import ast
import re
import uuid

import numpy as np
import pytest
from latex2mathml.converter import convert

from tests.exercises.helpers import ALT as ALT_DIR
from tests.exercises.helpers import BUGGY as BUGGY_DIR
from tests.exercises.helpers import (
    CONTRACT_SLUGS,
    EXERCISES,
    OWNED,
    PRESENT,
    RAISES_ON_SHAPES,
    Submission,
    content,
    load_source,
    submissions,
)

FILES = ("info.yaml", "statement.md", "starter.py", "solution.py", "grading.py", "mistakes.py")
SEEDS = (0, 1, 2)
# Mistakes that only show on the hidden large-logit cases (a softmax without the max shift gives NaN there).
HIDDEN_ONLY = {"naive_softmax_overflow"}
# Exercises whose outputs are integers compared exactly; the others use the agreed float tolerance.
EXACT = {"sample"}
# Exercises without a batch dimension (no m = 1 profile).
NO_BATCH = {"clip", "sample"}


def test_all_owned_exercises_exist() -> None:
    """Orders 2..15 of the contract are all present as folders."""
    assert set(CONTRACT_SLUGS[1:]) <= set(PRESENT)


@pytest.mark.parametrize("slug", PRESENT)
def test_folder_metadata(slug: str) -> None:
    """info.yaml matches the folder, the contract order and the agreed points and tolerances."""
    info = content(slug).info
    for name in FILES:
        assert (EXERCISES / slug / name).is_file(), name
    assert info["slug"] == info["function"] == slug
    assert info["order"] == CONTRACT_SLUGS.index(slug) + 1
    assert uuid.UUID(info["uuid"]).version == 4
    assert info["points"] == 10 and info["version"] >= 1 and 0 < info["time_limit_s"] <= 10
    exact = {"rtol": 0.0, "atol": 0.0}
    assert info["tolerance"] == (exact if slug in EXACT else {"rtol": 1e-5, "atol": 1e-7})
    assert info["hidden_case_count"] >= 4


def test_uuids_are_unique() -> None:
    """No two exercises share a uuid."""
    uuids = [content(slug).info["uuid"] for slug in PRESENT]
    assert len(set(uuids)) == len(uuids)


@pytest.mark.parametrize("slug", OWNED)
def test_statement_math_and_shapes(slug: str) -> None:
    """Every $...$ / $$...$$ in the statement converts to MathML, and there is a shapes table."""
    text = (EXERCISES / slug / "statement.md").read_text(encoding="utf-8")
    formulas = re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", text, flags=re.S)
    assert formulas
    for display, inline in formulas:
        assert "<math" in convert(display or inline)
    assert "## Shapes" in text and "| name | shape |" in text
    assert "## What is graded" in text


@pytest.mark.parametrize("slug", PRESENT)
def test_starter_is_course_style(slug: str) -> None:
    """The starter parses, defines the graded function, imports rnn_utils and has blanks to fill in."""
    source = (EXERCISES / slug / "starter.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert slug in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "from rnn_utils import *" in source and "import numpy as np" in source
    assert "### START CODE HERE ###" in source


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("slug", PRESENT)
def test_solution_matches_reference(slug: str, seed: int) -> None:
    """The course-style solution (with the course's rnn_utils) equals the reference on every case."""
    c = content(slug)
    for case in c.cases(seed):
        expected = c.run(c.grading.reference, case)
        actual = c.run(getattr(c.solution, slug), case)
        assert c.differing(actual, expected, case) == [], case.name


@pytest.mark.parametrize("slug", OWNED)
def test_hidden_cases_cover_edges(slug: str) -> None:
    """Hidden cases are reproducible from the seed, vary with it, and include the edge profiles."""
    c = content(slug)
    count = c.info["hidden_case_count"]
    first, again, other = (c.grading.hidden_cases(np.random.default_rng(seed), count) for seed in (7, 7, 8))
    assert len(first) == count and all(case.hidden for case in first)
    assert _same([case.args for case in first], [case.args for case in again])
    assert not _same([case.args for case in first], [case.args for case in other])
    names = " ".join(case.name for case in first)
    assert ("n_a=1" in names or "n_c=1" in names) and "large" in names
    if slug not in NO_BATCH:
        assert "m=1" in names


def _same(a: object, b: object) -> bool:
    """Equal nested structures of arrays (shapes and values)."""
    la, lb = _leaves(a), _leaves(b)
    if len(la) != len(lb):
        return False
    return all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(la, lb, strict=True))


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _leaves(value[key])]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


@pytest.mark.parametrize("slug", PRESENT)
def test_public_cases_are_fixed(slug: str) -> None:
    """Public cases are identical on every call and are not hidden."""
    a, b = content(slug).grading.public_cases(), content(slug).grading.public_cases()
    assert len(a) >= 2 and not any(case.hidden for case in a)
    assert _same([case.args for case in a], [case.args for case in b])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # naive-softmax variants overflow by design
@pytest.mark.parametrize("slug", PRESENT)
def test_mistakes_are_detectable(slug: str) -> None:
    """Each mistake differs from the reference on the public cases (HIDDEN_ONLY ones: on a hidden case)."""
    c = content(slug)
    assert len(c.mistakes) >= 3
    assert len({m.id for m in c.mistakes}) == len(c.mistakes)
    for m in c.mistakes:
        cases = c.grading.public_cases() if slug in OWNED and m.id not in HIDDEN_ONLY else c.cases(0)
        assert any(c.differing(c.run_variant(m, case), c.run(c.grading.reference, case), case)
                   for case in cases), f"{m.id} looks correct"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("slug", OWNED)
def test_mistakes_are_distinct(slug: str) -> None:
    """No two mistakes produce the same graded outputs on the public cases, so a match names one bug."""
    c = content(slug)
    public = c.grading.public_cases()
    results = {m.id: [c.run_variant(m, case) for case in public] for m in c.mistakes}
    ids = sorted(results)
    for i, first in enumerate(ids):
        for second in ids[i + 1:]:
            assert any(c.differing(a, b, case) for a, b, case in
                       zip(results[first], results[second], public, strict=True)), f"{first} == {second}"


@pytest.mark.parametrize("slug", OWNED)
def test_mistake_messages_point_at_formula(slug: str) -> None:
    """Messages are plain sentences that quote a formula or the code line to write."""
    for m in content(slug).mistakes:
        assert m.message.endswith((".", ")")) and len(m.message) < 400, m.id
        assert "=" in m.message, m.id


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # naive-softmax variants overflow by design
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("slug", PRESENT)
def test_mistakes_run_on_hidden_cases(slug: str, seed: int) -> None:
    """Every variant runs (or raises where its student code would, see RAISES_ON_SHAPES) and leaves its
    arguments untouched on hidden cases too."""
    c = content(slug)
    for case in c.cases(seed):
        before = [np.array(leaf, copy=True) for leaf in _leaves(case.args)]
        for m in c.mistakes:
            try:
                m.implementation(*case.args)  # on the case's own arguments: they must stay untouched
            except ValueError:
                if m.id not in RAISES_ON_SHAPES.get(slug, ()):
                    raise
        c.grading.reference(*case.args)
        assert all(np.array_equal(x, np.asarray(y)) for x, y in zip(before, _leaves(case.args), strict=True))


BUGGY = submissions(BUGGY_DIR)
ALTERNATIVES = submissions(ALT_DIR)


@pytest.mark.parametrize("sub", ALTERNATIVES, ids=lambda s: s.id)
def test_alternative_solutions_match_reference_in_process(sub: Submission) -> None:
    """Correct-but-different solutions equal the reference on every case (before any sandbox is involved)."""
    c = content(sub.slug)
    fn = getattr(load_source(sub.code, f"_alt_{sub.slug}_{sub.path.stem}"), sub.slug)
    for case in c.cases(0):
        assert c.differing(c.run(fn, case), c.run(c.grading.reference, case), case) == [], case.name


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("sub", BUGGY, ids=lambda s: s.id)
def test_buggy_submissions_match_their_variant_in_process(sub: Submission) -> None:
    """Each realistic buggy file is wrong somewhere, and on the public cases equals the variant it names.

    A file whose expected id is not in the exercise's library documents a bug that cannot be named by
    output matching (for instance it raises); it must still fail.
    """
    c = content(sub.slug)
    fn = getattr(load_source(sub.code, f"_buggy_{sub.slug}_{sub.path.stem}"), sub.slug)
    variants = {m.id: m for m in c.mistakes}
    wrong = False
    for case in c.cases(0):
        expected = c.run(c.grading.reference, case)
        try:
            got = c.run(fn, case)
        except Exception:
            wrong = True
            continue
        wrong = wrong or bool(c.differing(got, expected, case))
        if sub.expect in variants and not case.hidden:
            assert c.differing(got, c.run(variants[sub.expect].implementation, case), case) == [], case.name
    assert wrong, "the buggy file passes every case"


# The mistake families the exercises must cover, each with the ids that represent it.
FAMILIES: dict[str, tuple[str, ...]] = {
    "sigmoid where tanh belongs, or the reverse": ("sigmoid_for_tanh", "tanh_for_sigmoid"),
    "missing tanh on c_next": ("missing_tanh_c_next",),
    "concatenation order": ("concat_order",),
    "output gate reading c_prev": ("output_gate_c_prev",),
    "forget and update gates swapped": ("forget_update_swapped",),
    "softmax over the wrong axis": ("softmax_wrong_axis",),
    "missing bias": ("missing_ba", "missing_by", "missing_bc", "missing_bu"),
    "a0 reused at every step, or c not carried": ("a0_every_step", "c_not_carried"),
    "BPTT: gradient from later steps dropped": ("later_gradient_dropped",),
    "dba without keepdims or over the wrong axis": ("dba_no_keepdims", "dba_wrong_axis"),
    "tanh derivative written as (1 - a)": ("tanh_derivative_1_minus_a",),
    "GRU update gate flipped": ("update_gate_flipped",),
    "reset gate missing": ("reset_gate_missing",),
    "clip skipping keys": ("clip_skips_db_dby", "clip_skips_dby", "clip_skips_dWya"),
    # The seven exercises added after the course's eight (issue 14's list of realistic bugs).
    "LSTM cell backward: no (1 - tanh²) factor through c_next": ("tanh_derivative_c_next_missing",),
    "LSTM cell backward: ot where it belongs": ("ot_for_it",),
    "LSTM cell backward: bias gradients without keepdims": ("db_no_keepdims",),
    "LSTM cell backward: wrong rows of the concat gradient for dxt": ("dxt_wrong_rows",),
    "LSTM backward: dc or da not carried": ("da_not_carried", "dc_not_carried", "neither_carried"),
    "LSTM backward: dW not accumulated": ("weights_not_accumulated",),
    "LSTM backward: da0 from the wrong step": ("da0_wrong_step",),
    "GRU forward: every step from c0": ("c0_every_step",),
    "GRU backward: reset-gate path dropped": ("reset_path_dropped",),
    "GRU backward: update-gate sign flipped": ("update_gate_sign_flipped",),
    "BRNN: backward direction run forward in time": ("backward_runs_forward",),
    "BRNN: a_b stacked above a_f": ("stack_order",),
    "deep RNN: x fed to every layer": ("x_every_layer",),
    "deep RNN: y from the first layer": ("y_from_first_layer",),
    "sample: no reseeding": ("seeded_once", "seed_not_incremented"),
    "sample: x not updated to the one-hot": ("x_not_updated", "x_not_reset"),
    "sample: the newline at 50 forgotten": ("newline_missing_at_50",),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_in_a_library_and_has_buggy_submissions(family: str) -> None:
    """Each required family has a variant in some exercise's library and realistic buggy files."""
    ids = FAMILIES[family]
    library = {m.id for slug in PRESENT for m in content(slug).mistakes}
    assert set(ids) & library, family
    assert [sub for sub in BUGGY if sub.expect in ids], family
