"""Built-in banks read from their validated copies equal the banks parsed from their YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.resources import data_dir
from coach.rubric import prebuilt
from coach.rubric.loader import load_bank, load_file
from coach.rubric.prebuilt import built_path, prebuilt_bank

SOURCES = sorted((data_dir() / "rubrics").glob("*.yaml"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_each_built_in_bank_has_a_current_copy_equal_to_its_yaml(source: Path) -> None:
    stored = prebuilt_bank(source)
    assert stored is not None, "run tools/build_tables.py"
    assert stored == load_file(source)
    assert load_bank(stored.id) == stored


def test_an_edited_bank_is_parsed_from_its_yaml(tmp_path: Path) -> None:
    source = SOURCES[0]
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    assert prebuilt_bank(copy) == load_file(source)  # the same bytes anywhere: the same copy
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("\nquestions:", "\n# edited\nquestions:", 1), encoding="utf-8")
    assert copy.read_bytes() != source.read_bytes()
    assert prebuilt_bank(copy) is None


def test_a_damaged_copy_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = SOURCES[0]
    monkeypatch.setattr(prebuilt, "BUILT_DIR", tmp_path)
    assert prebuilt_bank(source) is None  # no copy at all
    name = built_path(source).name
    stored = (Path(prebuilt.__file__).with_name("built") / name).read_text(encoding="utf-8")
    first_line = stored.partition("\n")[0]
    (tmp_path / name).write_text(first_line + '\n{"id": "x", "questions": 3}\n', "utf-8")
    assert prebuilt_bank(source) is None
