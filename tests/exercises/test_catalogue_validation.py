"""Adding an exercise is adding a folder: the loader takes the new ones as data and names what is broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders.catalogue import Catalogue, CatalogueError
from tests.exercises.helpers import CONTRACT_SLUGS, EXERCISES

NEW = CONTRACT_SLUGS[8:]


def copy_folder(root: Path, slug: str) -> Path:
    """Copy ``exercises/<slug>`` into ``root`` and return the copy."""
    return Path(shutil.copytree(EXERCISES / slug, root / slug))


def replace(path: Path, old: str, new: str) -> None:
    """Edit a copied file in place (the text must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_catalogue_lists_all_fifteen_in_contract_order() -> None:
    """The repository's catalogue is the contract's fifteen slugs, the seven new ones after the eight."""
    assert Catalogue().slugs() == list(CONTRACT_SLUGS)


def test_new_folders_load_as_data_alone(tmp_path: Path) -> None:
    """The seven folders, copied to another root, load and order with no platform code of their own."""
    for slug in reversed(NEW):
        copy_folder(tmp_path, slug)
    catalogue = Catalogue(tmp_path)
    assert catalogue.slugs() == list(NEW)
    for exercise in catalogue.exercises:
        content = exercise.content()
        assert content.mistakes and content.argument_names


@pytest.mark.parametrize(("field", "old", "new"), [
    ("time_limit_s", "time_limit_s: 5.0", "time_limit_s: -1"),
    ("tolerance.rtol", "rtol: 0.0", "rtol: -1"),
    ("hidden_case_count", "hidden_case_count: 5", "hidden_case_count: many"),
    ("order", "order: 15", "order: 4"),
])
def test_a_broken_info_field_is_named_with_its_file(tmp_path: Path, field: str, old: str, new: str) -> None:
    """A bad info.yaml value (here in sample's) is refused with the file's path and the field's name."""
    folder = copy_folder(tmp_path, "sample")
    if field == "order":  # a clash needs a second exercise holding that order
        copy_folder(tmp_path, "lstm_forward")
    replace(folder / "info.yaml", old, new)
    with pytest.raises(CatalogueError) as err:
        Catalogue(tmp_path)
    assert "info.yaml" in str(err.value) and f"field '{field}'" in str(err.value)
    if field != "order":
        assert str(folder / "info.yaml") in str(err.value)


def test_a_starter_without_the_graded_function_is_named(tmp_path: Path) -> None:
    """A starter no longer defining the function named in info.yaml is refused, naming file and field."""
    folder = copy_folder(tmp_path, "deep_rnn_forward")
    replace(folder / "starter.py", "def deep_rnn_forward(", "def deep_rnn(")
    with pytest.raises(CatalogueError) as err:
        Catalogue(tmp_path)
    assert str(folder / "starter.py") in str(err.value) and "field 'function'" in str(err.value)


def test_a_starter_that_does_not_parse_is_named(tmp_path: Path) -> None:
    """A starter with a syntax error is refused with its path and line."""
    folder = copy_folder(tmp_path, "brnn_forward")
    replace(folder / "starter.py", "def brnn_forward(", "def brnn_forward((")
    with pytest.raises(CatalogueError, match=r"starter\.py: cannot be parsed.*line"):
        Catalogue(tmp_path)


def test_a_reference_whose_signature_differs_from_the_starter_is_named(tmp_path: Path) -> None:
    """A reference taking other parameters than the starter's function is refused, naming file and field."""
    folder = copy_folder(tmp_path, "gru_cell_backward")
    replace(folder / "grading.py", "def reference(dc_next: np.ndarray,", "def reference(dc: np.ndarray,")
    exercise = Catalogue(tmp_path).get("gru_cell_backward")
    with pytest.raises(CatalogueError) as err:
        exercise.content()
    assert str(folder / "grading.py") in str(err.value) and "field 'reference'" in str(err.value)


def test_grading_without_outputs_is_named(tmp_path: Path) -> None:
    """A grading.py missing one of its required callables is refused, naming the file and the callable."""
    folder = copy_folder(tmp_path, "lstm_backward")
    replace(folder / "grading.py", "outputs = fixed_outputs(", "graded = fixed_outputs(")
    with pytest.raises(CatalogueError) as err:
        Catalogue(tmp_path).get("lstm_backward").content()
    assert str(folder / "grading.py") in str(err.value) and "'outputs'" in str(err.value)
