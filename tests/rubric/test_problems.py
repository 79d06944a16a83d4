"""Rubric problems as a person can act on them: every one listed at its line, misspelt keys
named with the field meant, points that must be finite and sane, limits on size and shape, and
rubric files in the encodings Chinese Windows saves."""

from __future__ import annotations

import codecs
import gc
import time
from pathlib import Path

import opencc
import pytest

import coach
from coach.rubric.loader import MAX_FILE_BYTES, iter_files
from coach.rubric.model import MAX_PHRASE_CHARS, MAX_PHRASES, MAX_POINTS
from coach.rubric.problems import MAX_LISTED
from tests.support import MINI_BANK


def _write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based number of the first line from `start` (0-based) that holds `needle`."""
    lines = text.splitlines()
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _problems(text: str) -> list[coach.RubricError]:
    with pytest.raises(coach.RubricError) as info:
        coach.parse_bank(text, path="bank.yaml")
    return list(info.value.problems)


def test_every_problem_is_listed_in_line_order() -> None:
    text = (
        MINI_BANK.replace("kind: situational", "kind: quiz")
        .replace("variants: [记录, 登记]", "variants: []")
        .replace("    points: 10\n", "    points: -1\n", 1)
    )
    problems = _problems(text)
    assert [p.line for p in problems] == [
        _line_of(text, "kind: quiz"),
        _line_of(text, "variants: []"),
        _line_of(text, "    points: -1"),
    ]
    assert [p.field for p in problems] == [
        "questions.0.kind",
        "questions.0.criteria.0.key_points.1.variants",
        "questions.1.points",
    ]
    assert "greater than 0, not -1" in problems[2].reason
    # The error reads as all of them, one a line; its own fields are the first problem's.
    with pytest.raises(coach.RubricError) as info:
        coach.parse_bank(text, path="bank.yaml")
    assert str(info.value).splitlines() == [str(p) for p in problems]
    assert (info.value.line, info.value.field) == (problems[0].line, problems[0].field)
    assert "more problem" not in str(info.value)


def test_a_misspelt_key_is_one_problem_that_names_the_field_meant() -> None:
    text = MINI_BANK.replace("        description: 先安抚客户", "        descripton: 先安抚客户")
    (problem,) = _problems(text)
    assert problem.reason == "unknown field `descripton`, did you mean `description`?"
    assert problem.field == "questions.0.criteria.0.descripton"
    assert problem.line == _line_of(text, "descripton:")


def test_an_unknown_key_like_no_field_lists_the_fields() -> None:
    text = MINI_BANK.replace("    kind: situational\n", "    kind: situational\n    colour: red\n")
    (problem,) = _problems(text)
    assert problem.reason.startswith("unknown field `colour` (the fields here: id, kind, prompt")


def test_a_duplicate_question_id_points_at_the_duplicate() -> None:
    text = MINI_BANK.replace("  - id: calm\n    kind", "  - id: atm\n    kind")
    (problem,) = _problems(text)
    assert problem.line == _line_of(text, "  - id: atm", _line_of(text, "  - id: atm"))
    assert problem.line > 1 and problem.field == "questions.1.id"
    assert problem.reason == "duplicate question id 'atm' (also item 1 of 'questions')"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("variants: [记录, 登记]", "variants: [记录, '*登记']", "bad gap pattern"),
        ("    points: 12\n", "    points: 15\n", "add up to 12, not the question's 15"),
        ("{hits: 2, points: 8}", "{hits: 2, points: 9}", "a band awards more"),
        ("          - id: record", "          - id: soothe", "duplicate key point id"),
    ],
)
def test_no_message_carries_pydantics_prefix(old: str, new: str, message: str) -> None:
    (problem,) = _problems(MINI_BANK.replace(old, new, 1))
    assert message in problem.reason
    assert "Value error" not in str(problem)


@pytest.mark.parametrize("version", ["1", "2.5", "'1.10'", "1.10"])
def test_a_version_may_be_a_number(version: str) -> None:
    bank = coach.parse_bank(MINI_BANK.replace("source:", f"version: {version}\nsource:"))
    assert bank.version == version.strip("'")  # as written: 1.10 stays "1.10"
    assert coach.Bank.model_validate({**bank.model_dump(), "version": 3}).version == "3"


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "-2", "0", "1001", "1e300"])
@pytest.mark.parametrize(
    "where",
    ["question", "criterion", "deduction", "weight"],
)
def test_points_must_be_finite_positive_and_sane(value: str, where: str) -> None:
    anchor = {
        "question": "    points: 12\n",
        "criterion": "        points: 4\n",
        "deduction": "        points: 4\n        triggers",
        "weight": "            text: 记录客户诉求\n",
    }[where]
    if where == "weight":
        text = MINI_BANK.replace(anchor, f"{anchor}            weight: {value}\n", 1)
    else:
        text = MINI_BANK.replace(anchor, anchor.replace("4", value).replace("12", value), 1)
    # A question's points with a note, so that only the points themselves are in question.
    text = text.replace("    points: 12\n", "    points: 12\n    points_note: 测试\n", 1)
    problems = _problems(text)
    assert any(p.field and p.field.endswith(("points", "weight")) for p in problems), problems
    assert all("Value error" not in str(p) for p in problems)


def test_points_up_to_the_cap_are_accepted() -> None:
    text = MINI_BANK.replace("    points: 10\n", f"    points: {MAX_POINTS}\n").replace(
        "        points: 10\n", f"        points: {MAX_POINTS}\n"
    )
    assert coach.parse_bank(text).question("calm").points == MAX_POINTS


def test_criteria_may_not_add_up_to_more_than_the_question_even_with_a_note() -> None:
    # Before, this loaded, and grading a good answer crashed on a percent of 15120.
    text = MINI_BANK.replace("    points: 12\n", "    points: 1\n    points_note: 测试\n", 1)
    (problem,) = _problems(text)
    assert problem.field == "questions.0"
    assert (
        problem.reason
        == "criteria points add up to 12, more than the question's 1: a grade could pass 100%"
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no disk written, no time spent
    started = time.perf_counter()
    with pytest.raises(coach.RubricError, match=r"too large \(52,428,800 bytes\).* 5 MB"):
        coach.load_file(huge)
    assert time.perf_counter() - started < 1
    with pytest.raises(coach.RubricError, match="too large"):
        coach.parse_bank("#" * (MAX_FILE_BYTES + 1))


def test_a_dense_document_is_refused_before_it_is_parsed() -> None:
    variants = ", ".join(f"v{i}" for i in range(450_000))  # under 5 MB, but 450,000 values
    text = MINI_BANK.replace("variants: [记录, 登记]", f"variants: [{variants}]")
    started = time.perf_counter()
    with pytest.raises(coach.RubricError, match="too complex"):
        coach.parse_bank(text)
    assert time.perf_counter() - started < 1


def test_a_list_longer_than_any_rubric_allows_is_refused_at_its_line() -> None:
    variants = ", ".join(f"v{i}" for i in range(501))
    text = MINI_BANK.replace("variants: [记录, 登记]", f"variants: [{variants}]")
    (problem,) = _problems(text)
    assert problem.line == _line_of(text, "variants: [v0")
    assert "a list of 501 items" in problem.reason


def test_limits_on_phrases() -> None:
    many = ", ".join(f"v{i}" for i in range(MAX_PHRASES + 1))
    (problem,) = _problems(MINI_BANK.replace("variants: [记录, 登记]", f"variants: [{many}]"))
    assert f"at most {MAX_PHRASES} items" in problem.reason
    long = "很" * (MAX_PHRASE_CHARS + 1)
    (problem,) = _problems(MINI_BANK.replace("variants: [记录, 登记]", f"variants: [记录, {long}]"))
    assert problem.field == "questions.0.criteria.0.key_points.1.variants.1"
    assert f"{MAX_PHRASE_CHARS + 1} characters; at most {MAX_PHRASE_CHARS}" in problem.reason


def test_a_flood_of_problems_is_cut_with_a_count() -> None:
    head, questions = MINI_BANK.split("questions:\n")
    copies = "".join(
        questions.replace("id: atm", f"id: a{n}")
        .replace("id: calm\n    kind", f"id: c{n}\n    kind")
        .replace("kind: situational", "kind: quiz")
        .replace("kind: behavioral", "kind: quiz")
        for n in range(60)
    )
    problems = _problems(f"{head}questions:\n{copies}")
    assert len(problems) == MAX_LISTED + 1
    assert problems[-1].reason == "and 20 more problems not listed"
    lines = [p.line or 0 for p in problems[:-1]]
    assert lines == sorted(lines)


def test_the_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    coach.parse_bank(MINI_BANK)
    assert gc.isenabled()
    with pytest.raises(coach.RubricError):
        coach.parse_bank(MINI_BANK.replace("kind: situational", "kind: quiz"))
    assert gc.isenabled()
    gc.disable()
    try:
        coach.parse_bank(MINI_BANK)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("codec", "traditional", "expected"),
    [
        ("gbk", False, "gb18030"),
        ("gb18030", False, "gb18030"),
        ("big5", True, "big5"),
        ("utf-16", False, "utf-16-le"),  # with a byte order mark
        ("utf-16-le", False, "utf-16-le"),
        ("utf-16-be", True, "utf-16-be"),
        ("utf-8-sig", False, "utf-8"),
    ],
)
def test_rubric_files_in_chinese_windows_encodings_load(
    tmp_path: Path, codec: str, traditional: bool, expected: str
) -> None:
    text = opencc.OpenCC("s2tw").convert(MINI_BANK) if traditional else MINI_BANK
    path = tmp_path / "bank.yaml"
    path.write_bytes(text.encode(codec))
    bank = coach.load_file(path)
    assert bank.question("atm").prompt == coach.parse_bank(text).question("atm").prompt
    ((_, loaded, decoded),) = list(iter_files([str(path)]))
    assert loaded == bank and decoded is not None and decoded.encoding == expected


def test_a_declared_encoding_is_used_and_utf8_files_stay_utf8(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(MINI_BANK.encode("gbk"))
    assert coach.load_file(gbk, encoding="gbk").id == "mini"
    with pytest.raises(coach.RubricError, match="cannot read file: it is not big5 text"):
        coach.load_file(gbk, encoding="big5")
    # One --encoding for answers in GBK beside a rubric coach wrote in UTF-8.
    assert coach.load_bank(_write(tmp_path, MINI_BANK), encoding="gbk").id == "mini"


def test_a_guessed_encoding_is_named_when_the_file_then_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(MINI_BANK.replace("kind: situational", "kind: quiz").encode("gbk"))
    (problem,) = coach.RubricError.of(_load_problems(path)).problems
    assert problem.reason.endswith(
        "(read as GB18030 (detected); pass --encoding NAME if that is wrong)"
    )
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(codecs.BOM_UTF8 + bytes(range(128, 256)))
    with pytest.raises(coach.RubricError, match="UTF-8 byte order mark but is not UTF-8"):
        coach.load_file(junk)


def _load_problems(path: Path) -> list[coach.RubricError]:
    with pytest.raises(coach.RubricError) as info:
        coach.load_file(path)
    return list(info.value.problems)


def test_a_directory_stands_for_its_yaml_files(tmp_path: Path) -> None:
    _write(tmp_path, MINI_BANK, "b.yaml")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", MINI_BANK.replace("id: mini", "id: mini-two"), "a.yml")
    _write(tmp_path, "not: [a rubric", "notes.txt")
    (tmp_path / ".git").mkdir()
    _write(tmp_path / ".git", "x: [", "config.yaml")
    _write(tmp_path, "x: [", ".hidden.yaml")
    found = [
        (Path(p).relative_to(tmp_path).as_posix(), o) for p, o, _ in iter_files([str(tmp_path)])
    ]
    assert [name for name, _ in found] == ["b.yaml", "sub/a.yml"]
    assert [o.id for _, o in found if isinstance(o, coach.Bank)] == ["mini", "mini-two"]
    empty = tmp_path / "empty"
    empty.mkdir()
    ((_, outcome, _),) = list(iter_files([str(empty)]))
    assert isinstance(outcome, coach.RubricError)
    assert "a directory without .yaml or .yml files" in str(outcome)
