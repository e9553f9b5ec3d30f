"""The exercise catalogue: discovery, order, validation errors naming file and field, the web-app API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import graders
from graders.catalogue import Catalogue, CatalogueError, UnknownExercise
from tests.graders.conftest import REPO

SOURCE = REPO / "exercises" / "rnn_cell_forward"


def copy_exercise(root: Path, folder_name: str = "rnn_cell_forward", **changes: str) -> Path:
    """Copy rnn_cell_forward into ``root/folder_name`` with info.yaml fields changed ('-' deletes)."""
    folder = root / folder_name
    shutil.copytree(SOURCE, folder)
    info = (folder / "info.yaml").read_text()
    for key, value in changes.items():
        lines = [line for line in info.splitlines() if not line.startswith(f"{key}:")]
        info = "\n".join(lines + ([f"{key}: {value}"] if value != "-" else [])) + "\n"
    (folder / "info.yaml").write_text(info)
    return folder


def test_repository_catalogue_lists_the_contract_order() -> None:
    """The repo's exercises are listed in `order`, rnn_cell_forward first."""
    slugs = Catalogue().slugs()
    assert slugs[0] == "rnn_cell_forward"
    assert [e.info.order for e in Catalogue().exercises] == sorted(
        e.info.order for e in Catalogue().exercises
    )


def test_web_api_fields() -> None:
    """get_exercise(...).to_dict() carries what the web app shows, statement and starter included."""
    d = graders.get_exercise("rnn_cell_forward").to_dict()
    assert d["slug"] == d["function"] == "rnn_cell_forward" and d["max_score"] == 10 and d["version"] == 2
    assert d["uuid"] == "ae9b8df4-1fe0-4ba8-949d-8515f4430207"
    assert "$$a^{\\langle t \\rangle}" in d["statement_md"] and "| `xt` |" in d["statement_md"]
    assert "### START CODE HERE ###" in d["starter_code"]
    assert [e.slug for e in graders.list_exercises()] == Catalogue().slugs()


def test_env_var_overrides_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GRADER_EXERCISES_DIR points the catalogue at another folder, ordered by `order`."""
    copy_exercise(tmp_path, "zeta", slug="zeta", order="1", uuid="11111111-1111-4111-8111-111111111111")
    copy_exercise(tmp_path, "alpha", slug="alpha", order="2", uuid="22222222-2222-4222-8222-222222222222")
    monkeypatch.setenv("GRADER_EXERCISES_DIR", str(tmp_path))
    assert Catalogue().slugs() == ["zeta", "alpha"]


def test_invalid_field_names_file_and_field(tmp_path: Path) -> None:
    """A bad value is reported with the info.yaml path and the field name."""
    folder = copy_exercise(tmp_path, points="-3")
    with pytest.raises(CatalogueError) as err:
        Catalogue(tmp_path)
    assert str(folder / "info.yaml") in str(err.value) and "field 'points'" in str(err.value)


def test_missing_and_unknown_fields_are_named(tmp_path: Path) -> None:
    """A missing required field and a misspelt extra field are both named."""
    copy_exercise(tmp_path, tolerance="-", time_limt_s="3")
    with pytest.raises(CatalogueError) as err:
        Catalogue(tmp_path)
    assert "field 'tolerance'" in str(err.value) and "field 'time_limt_s'" in str(err.value)


def test_slug_must_match_folder(tmp_path: Path) -> None:
    """The slug must equal the folder name."""
    copy_exercise(tmp_path, "rnn_cell_forward", slug="other")
    with pytest.raises(CatalogueError, match="field 'slug'"):
        Catalogue(tmp_path)


def test_duplicate_order_is_refused(tmp_path: Path) -> None:
    """Two exercises cannot share an order."""
    copy_exercise(tmp_path)
    copy_exercise(tmp_path, "second", slug="second", uuid="33333333-3333-4333-8333-333333333333")
    with pytest.raises(CatalogueError, match="field 'order'"):
        Catalogue(tmp_path)


def test_missing_statement_is_named(tmp_path: Path) -> None:
    """A folder without statement.md names the missing file."""
    (copy_exercise(tmp_path) / "statement.md").unlink()
    with pytest.raises(CatalogueError, match=r"statement\.md: required file is missing"):
        Catalogue(tmp_path)


def test_unknown_slug() -> None:
    """Asking for an unknown exercise raises UnknownExercise."""
    with pytest.raises(UnknownExercise):
        Catalogue().get("nope")


def test_mistakes_are_collected_in_order() -> None:
    """Every module-level Mistake of mistakes.py is collected, in definition order."""
    ids = [m.id for m in Catalogue().get("rnn_cell_forward").content().mistakes]
    assert ids[:4] == ["sigmoid_for_tanh", "missing_ba", "missing_by", "softmax_wrong_axis"]
