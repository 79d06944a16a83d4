"""Rubric files: validation errors that say where, built-in banks, JSON Schema, bank refs."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

import coach
from coach.resources import data_dir
from tests.support import MINI_BANK


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_mini_bank_loads(mini: coach.Bank) -> None:
    assert [q.id for q in mini.questions] == ["atm", "calm"]
    assert mini.question("atm").criterion("process").bands[-1].points == 8


def test_unknown_key_names_file_field_and_line(tmp_path: Path) -> None:
    text = MINI_BANK.replace("        weight_typo_marker: 1\n", "").replace(
        "            text: 记录客户诉求\n",
        "            text: 记录客户诉求\n            wieght: 2\n",
    )
    path = _write(tmp_path, text)
    with pytest.raises(coach.RubricError) as info:
        coach.load_file(path)
    error = info.value
    assert error.path == str(path)
    assert error.field == "questions.0.criteria.0.key_points.1.wieght"
    assert error.line == _line_of(text, "wieght:")
    assert str(path) in str(error) and f":{error.line}" in str(error)


def test_points_must_add_up_unless_explained(tmp_path: Path) -> None:
    text = MINI_BANK.replace("    points: 12\n", "    points: 15\n", 1)
    with pytest.raises(coach.RubricError, match="add up to 12, not the question's 15"):
        coach.load_file(_write(tmp_path, text))
    explained = text.replace(
        "    points: 15\n", "    points: 15\n    points_note: 另有 3 分由面试官现场给出\n", 1
    )
    assert coach.load_file(_write(tmp_path, explained)).question("atm").points == 15


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    text = MINI_BANK.replace("    kind: behavioral\n", "    kind: [behavioral\n")
    with pytest.raises(coach.RubricError, match="not valid YAML") as info:
        coach.load_file(_write(tmp_path, text))
    assert info.value.line is not None and info.value.line > _line_of(text, "kind: [behavioral")


def test_a_key_given_twice_is_an_error_with_both_lines(tmp_path: Path) -> None:
    text = MINI_BANK.replace("    points: 12\n", "    points: 12\n    points: 10\n", 1)
    with pytest.raises(coach.RubricError, match="'points' appears twice") as info:
        coach.load_file(_write(tmp_path, text))
    first = _line_of(text, "    points: 12")
    twice = [p for p in info.value.problems if "appears twice" in p.reason]
    assert [p.line for p in twice] == [first + 1]
    assert f"first on line {first}" in twice[0].reason
    # YAML kept the second value, so the criteria no longer add up: reported too.
    assert any("add up to 12, more than the question's 10" in p.reason for p in info.value.problems)


def test_recursive_aliases_do_not_hang_the_loader() -> None:
    with pytest.raises(coach.RubricError):
        coach.parse_bank("id: a\nloop: &x [*x]\n")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("variants: [记录, 登记]", "variants: [记录, '*登记']", "gap pattern"),
        ("variants: [记录, 登记]", "variants: []", "at least 1 item"),
        ("  - id: calm\n    kind", "  - id: atm\n    kind", "duplicate question id"),
        ("{hits: 2, points: 8}", "{hits: 2, points: 9}", "more than the criterion"),
        ("kind: situational", "kind: quiz", "Input should be"),
        ("id: mini", "id: Mini Bank", "String should match pattern"),
    ],
)
def test_invalid_rubrics_are_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in MINI_BANK
    with pytest.raises(coach.RubricError, match=message):
        coach.load_file(_write(tmp_path, MINI_BANK.replace(old, new, 1)))


def test_unreadable_and_non_mapping_files(tmp_path: Path) -> None:
    with pytest.raises(coach.RubricError, match="cannot read file"):
        coach.load_file(tmp_path / "missing.yaml")
    with pytest.raises(coach.RubricError, match="must hold a mapping"):
        coach.load_file(_write(tmp_path, "- just\n- a list\n"))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x80\x81\xff\x00 bad")
    with pytest.raises(coach.RubricError, match="cannot read file: it does not look like text"):
        coach.load_file(binary)


def test_bank_refs_by_id_path_and_object(mini_path: Path, mini: coach.Bank) -> None:
    first = coach.builtin_bank_ids()[0]
    assert coach.load_bank(first).id == first
    assert coach.load_bank(str(mini_path)).id == "mini"
    assert coach.load_bank(mini_path).id == "mini"
    assert coach.load_bank(mini) is mini
    with pytest.raises(coach.BankNotFoundError, match="built-in banks"):
        coach.load_bank("no-such-bank")
    with pytest.raises(coach.BankNotFoundError, match="no rubric file"):
        coach.load_bank("missing/bank.yaml")


def test_question_lookup_lists_known_ids(mini: coach.Bank) -> None:
    with pytest.raises(coach.QuestionNotFoundError, match="known: atm, calm"):
        coach.find_question(mini, "nope")


def test_there_are_five_builtin_banks_with_60_questions(banks: list[coach.Bank]) -> None:
    assert len(banks) == 5
    assert sum(len(bank.questions) for bank in banks) >= 60


def test_builtin_bank_ids_match_their_files() -> None:
    for path in sorted((data_dir() / "rubrics").glob("*.yaml")):
        assert coach.load_file(path).id == path.stem


def test_builtin_banks_meet_the_authoring_rules(banks: list[coach.Bank]) -> None:
    for bank in banks:
        for question in bank.questions:
            where = f"{bank.id}/{question.id}"
            assert question.topic_terms, where
            assert len(question.model_answer) >= 80, where
            for criterion in question.criteria:
                for key_point in criterion.key_points:
                    assert len(key_point.variants) >= 2, f"{where}/{key_point.id}"


def test_json_schema_accepts_every_bank_and_rejects_typos(banks: list[coach.Bank]) -> None:
    schema = coach.rubric_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((data_dir() / "rubrics").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
    data["questions"][0]["critera"] = []
    assert list(validator.iter_errors(data)) != []
