"""`coach validate` and `coach grade` on broken rubrics: every problem listed one line each,
misspelt keys, a repeated id at its own line, numeric versions, points that are not finite or
sane, directories, oversized files, and rubrics saved in Chinese Windows encodings. No raw
pydantic error and no traceback, ever.

The cheap cases run `main()` in this process (`in_process`); those that grade run a child.
"""

from __future__ import annotations

import time
from pathlib import Path

import opencc
import pytest

from tests.cli.support import in_process, ok, one_error_line, run_cli
from tests.cli.test_cli import TINY_BANK, TINY_BANK_LINES, TINY_STRONG


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _no_pydantic(text: str) -> None:
    for leak in ("Traceback", "ValidationError", "Value error", "pydantic", "errors.pydantic"):
        assert leak not in text, text


def test_validate_lists_every_problem_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        TINY_BANK.replace("kind: situational", "kind: quiz")
        .replace("variants: [记录, 登记]", "variants: []")
        .replace("        description: 先安抚客户", "        descripton: 先安抚客户")
    )
    bad = _write(tmp_path / "bad.yaml", text)
    run = in_process(capsys, "validate", bad)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.splitlines() == [
        f"coach: error: {bad}:{_line(text, 'kind: quiz')} [questions.0.kind]: Input should be "
        "'behavioral', 'situational', 'knowledge', 'roleplay', 'scenario' or 'open'",
        f"coach: error: {bad}:{_line(text, 'descripton:')} [questions.0.criteria.0.descripton]: "
        "unknown field `descripton`, did you mean `description`?",
        f"coach: error: {bad}:{_line(text, 'variants: []')} "
        "[questions.0.criteria.0.key_points.1.variants]: List should have at least 1 item after "
        "validation, not 0",
    ]


def test_validate_points_a_repeated_id_at_the_repeat(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = TINY_BANK.replace(
        "      - id: process\n", "      - id: soothe\n"
    )  # the second criterion takes the first's id
    bad = _write(tmp_path / "dup.yaml", text)
    line = TINY_BANK_LINES.index("      - id: process") + 1
    message = one_error_line(in_process(capsys, "validate", bad), f"{bad}:{line} ")
    assert message.endswith(
        "[questions.0.criteria.1.id]: duplicate criterion id 'soothe' (also item 1 of 'criteria')"
    )


@pytest.mark.parametrize("version", ["1", "2.0", "'3'"])
def test_validate_accepts_a_numeric_version(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, version: str
) -> None:
    good = _write(tmp_path / "v.yaml", TINY_BANK.replace("source:", f"version: {version}\nsource:"))
    assert (
        ok(in_process(capsys, "validate", good)).stdout == f"ok {good}: bank 'tiny', 1 question\n"
    )


POINTS_LINES = {
    "question": "    points: 10",
    "criterion": "        points: 4",
    "deduction": "        points: 3",
}


@pytest.mark.parametrize("value", [".inf", ".nan", "-1", "1001"])
@pytest.mark.parametrize("where", sorted(POINTS_LINES))
def test_validate_refuses_points_that_are_not_finite_or_sane(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str, value: str
) -> None:
    lines = list(TINY_BANK_LINES)
    # The question's points explained, so that the sum of the criteria is no problem here.
    lines.insert(lines.index("    points: 10") + 1, "    points_note: 测试用")
    number = lines.index(POINTS_LINES[where]) + 1
    lines[number - 1] = lines[number - 1].split(":")[0] + f": {value}"
    bad = _write(tmp_path / "points.yaml", "\n".join(lines) + "\n")
    run = in_process(capsys, "validate", bad)
    message = one_error_line(run, f"{bad}:{number} ", "points]")
    expected = {
        ".inf": "Input should be a finite number, not inf",
        ".nan": "Input should be a finite number, not nan",
        "-1": "not -1",
        "1001": "Input should be less than or equal to 1000, not 1001",
    }[value]
    assert message.endswith(expected), message
    _no_pydantic(run.stderr)


def test_grade_refuses_infinite_points_cleanly(tmp_path: Path) -> None:
    # Before: `validate` said ok and `grade` died in a pydantic ValidationError of GradeResult.
    text = TINY_BANK.replace("    points: 10\n", "    points: .inf\n").replace(
        "        points: 6\n", "        points: .inf\n"
    )
    bad = _write(tmp_path / "inf.yaml", text)
    run = run_cli("grade", bad, "freeze", "--answer", TINY_STRONG, "--offline")
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.splitlines() == [
        f"coach: error: {bad}:10 [questions.0.points]: Input should be a finite number, not inf",
        f"coach: error: {bad}:26 [questions.0.criteria.1.points]: Input should be a finite "
        "number, not inf",
    ]
    _no_pydantic(run.stderr)


def test_grade_refuses_criteria_worth_more_than_their_question(tmp_path: Path) -> None:
    # Before: a points_note let this through, and grading crashed on a percent over 100.
    text = TINY_BANK.replace("    points: 10\n", "    points: 1\n    points_note: 另有说明\n")
    bad = _write(tmp_path / "over.yaml", text)
    run = run_cli("grade", bad, "freeze", "--answer", TINY_STRONG, "--offline")
    one_error_line(run, f"{bad}:7 [questions.0]: criteria points add up to 10, more than")
    _no_pydantic(run.stderr)


def test_validate_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _write(tmp_path / "one.yaml", TINY_BANK)
    (tmp_path / "more").mkdir()
    _write(tmp_path / "more" / "two.yml", TINY_BANK.replace("id: tiny", "id: tiny-two"))
    broken = _write(tmp_path / "more" / "zz.yaml", "id: [unclosed\n")
    _write(tmp_path / "readme.txt", "not a rubric")
    (tmp_path / ".cache").mkdir()
    _write(tmp_path / ".cache" / "junk.yaml", "id: [unclosed\n")
    run = in_process(capsys, "validate", tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"ok {tmp_path / 'more' / 'two.yml'}: bank 'tiny-two', 1 question",
        f"ok {tmp_path / 'one.yaml'}: bank 'tiny', 1 question",
    ]
    one_error_line(run, f"{broken}:", "not valid YAML")
    (tmp_path / "empty").mkdir()
    one_error_line(
        in_process(capsys, "validate", tmp_path / "empty"),
        str(tmp_path / "empty"),
        "a directory without .yaml or .yml files",
    )


def test_validate_refuses_a_huge_file_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    run = in_process(capsys, "validate", huge)
    assert time.perf_counter() - started < 2
    one_error_line(run, str(huge), "too large", "at most 5 MB")


@pytest.mark.parametrize(
    ("codec", "traditional", "said"),
    [
        ("gbk", False, "GB18030 (detected)"),
        ("big5", True, "BIG5 (detected)"),
        ("utf-16", False, "UTF-16 LE (detected)"),
        ("utf-16-be", False, "UTF-16 BE (detected)"),
    ],
)
def test_validate_reads_rubrics_saved_on_chinese_windows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, codec: str, traditional: bool, said: str
) -> None:
    text = opencc.OpenCC("s2tw").convert(TINY_BANK) if traditional else TINY_BANK
    path = tmp_path / "bank.yaml"
    path.write_bytes(text.encode(codec))
    run = ok(in_process(capsys, "validate", path))
    assert run.stdout == f"ok {path}: bank 'tiny', 1 question (read as {said})\n"
    declared = ok(in_process(capsys, "validate", path, "--encoding", codec))
    assert declared.stdout == f"ok {path}: bank 'tiny', 1 question\n"


def test_a_rubric_in_the_wrong_declared_encoding_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(TINY_BANK.encode("gbk"))
    one_error_line(
        in_process(capsys, "validate", path, "--encoding", "big5"),
        str(path),
        "cannot read file: it is not big5 text",
        "leave out --encoding",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(TINY_BANK.replace("kind: situational", "kind: quiz").encode("gbk"))
    one_error_line(
        in_process(capsys, "validate", bad),
        "Input should be",
        "(read as GB18030 (detected); pass --encoding NAME if that is wrong)",
    )


def test_questions_reads_a_gbk_rubric(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(TINY_BANK.encode("gbk"))
    run = in_process(capsys, "questions", path)
    assert run.returncode == 0 and "客户的银行卡被冻结" in run.stdout
    assert run.stderr == f"coach: note: rubric file {str(path)!r} read as GB18030 (detected)\n"
