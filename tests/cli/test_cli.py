"""The `coach` command line, exercised through real subprocesses.

Every test runs `python -m coach ...` (or the installed `coach` script) in a child process with
no OPENAI_API_KEY, a closed stdin unless one is given, and a timeout, then checks the exit
status and what was printed. Built-in bank ids are discovered at run time; the precise cases use
a small rubric written into tmp_path.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

import coach
from coach.cli import main as cli_main
from coach.resources import data_dir
from tests.cli.support import COACH_SCRIPT, ok, one_error_line, run_cli

# A small bank for precise expectations. Tests that need a known line number find it by
# searching these lines, so editing the bank cannot silently shift an expectation.
TINY_BANK_LINES = [
    "id: tiny",  # 1
    "title: CLI 测试题库",  # 2
    "language: zh",  # 3
    "role: 银行客服",  # 4
    "source: test_cli.py 自带的小题库",  # 5
    "questions:",  # 6
    "  - id: freeze",  # 7
    "    kind: situational",  # 8
    "    prompt: 客户的银行卡被冻结，要求你立刻解冻，你会怎么做？",  # 9
    "    points: 10",  # 10
    "    topic_terms: [冻结, 解冻, 银行卡]",  # 11
    "    criteria:",  # 12
    "      - id: soothe",  # 13
    "        name: 安抚记录",  # 14
    "        points: 4",  # 15
    "        description: 先安抚客户，再记录诉求",  # 16
    "        key_points:",  # 17
    "          - id: calm",  # 18
    "            text: 安抚客户情绪",  # 19
    "            variants: [安抚*情绪, 别着急, 理解您的心情]",  # 20
    "          - id: record",  # 21
    "            text: 记录客户诉求",  # 22
    "            variants: [记录, 登记]",  # 23
    "      - id: process",  # 24
    "        name: 审核流程",  # 25
    "        points: 6",  # 26
    "        description: 说明需要审核，请客户提供凭证",  # 27
    "        key_points:",  # 28
    "          - id: review",  # 29
    "            text: 说明需要审核",  # 30
    "            variants: [审核, 核实身份, 按*规定]",  # 31
    "          - id: proof",  # 32
    "            text: 请客户提供凭证",  # 33
    "            variants: [凭证, 身份证件]",  # 34
    "    deductions:",  # 35
    "      - id: promise",  # 36
    "        description: 未经审核就承诺立即解冻",  # 37
    "        points: 3",  # 38
    "        triggers: [马上给您解冻, 保证解冻]",  # 39
    "    model_answer: >-",  # 40
    "      我会先安抚客户的情绪，请他别着急，并把他的诉求记录下来。然后说明按银行规定，",  # 41
    "      冻结的银行卡需要审核后才能解冻，请他提供交易凭证和身份证件，核实身份后再办理解冻。",
]
TINY_BANK = "\n".join(TINY_BANK_LINES) + "\n"
TINY_STRONG = (
    "我会先安抚客户的情绪，请他别着急，并把他的诉求记录下来。然后说明按银行规定，"
    "冻结的银行卡需要审核后才能解冻，请他提供交易凭证和身份证件，核实身份后再办理解冻。"
)
TINY_WEAK = "我会跟客户说银行卡冻结了我也没办法，让他自己再想想办法吧。"


def table_rows(text: str) -> list[list[str]]:
    """Body rows of a `coach` table, split on its column gaps (two or more spaces)."""
    lines = text.rstrip("\n").splitlines()
    assert len(lines) >= 2, text
    assert set(lines[1].replace(" ", "")) == {"-"}, lines[1]  # the rule under the header
    return [re.split(r" {2,}", line.strip()) for line in lines[2:]]


def grade_json(*args: str | os.PathLike[str], stdin: str | bytes = b"") -> coach.GradeResult:
    result = ok(run_cli("grade", *args, "--json", stdin=stdin))
    return coach.GradeResult.model_validate_json(result.stdout)


BUILTIN_IDS = coach.builtin_bank_ids()


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_BANK, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first_question() -> tuple[str, coach.Question]:
    """A built-in bank id and its first question."""
    assert BUILTIN_IDS, "no built-in banks found"
    bank = coach.load_bank(BUILTIN_IDS[0])
    return bank.id, bank.questions[0]


def _line_of(lines: list[str], text: str) -> int:
    """1-based number of the only line equal to `text`."""
    hits = [i + 1 for i, line in enumerate(lines) if line == text]
    assert len(hits) == 1, text
    return hits[0]


# ------------------------------------------------------------------------- help and banks


def test_help_lists_every_command() -> None:
    result = ok(run_cli("--help"))
    for command in ("banks", "questions", "grade", "validate", "schema", "demo"):
        assert command in result.stdout


def test_no_command_is_a_usage_error() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage: coach" in result.stderr


def test_ctrl_c_while_a_command_loads_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the first moments, while the command's module is imported, ends as Ctrl-C
    anywhere else does: status 130 and one line, not a traceback of the import."""

    def interrupted(module: str) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main.importlib, "import_module", interrupted)
    assert cli_main.main(["banks"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "coach: interrupted\n" and captured.out == ""


def test_banks_table_lists_every_builtin_bank() -> None:
    rows = table_rows(ok(run_cli("banks")).stdout)
    assert [row[0] for row in rows] == BUILTIN_IDS
    for row, bank in zip(rows, coach.builtin_banks(), strict=True):
        assert row[1] == str(len(bank.questions))
        assert row[2] == bank.language


def test_banks_json() -> None:
    rows = json.loads(ok(run_cli("banks", "--json")).stdout)
    assert [row["id"] for row in rows] == BUILTIN_IDS
    for row, bank in zip(rows, coach.builtin_banks(), strict=True):
        assert row["title"] == bank.title
        assert row["language"] == bank.language
        assert row["questions"] == len(bank.questions) > 0


def test_console_script_matches_module() -> None:
    assert COACH_SCRIPT.is_file(), f"console script not installed at {COACH_SCRIPT}"
    via_script = ok(run_cli("banks", "--json", script=True))
    via_module = ok(run_cli("banks", "--json"))
    assert via_script.stdout_bytes == via_module.stdout_bytes


# -------------------------------------------------------------------------------- questions


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_questions_json_describes_every_question(bank_id: str) -> None:
    bank = coach.load_bank(bank_id)
    rows = json.loads(ok(run_cli("questions", bank_id, "--json")).stdout)
    got = [(r["id"], r["kind"], r["points"], r["prompt"]) for r in rows]
    assert got == [(q.id, q.kind, q.points, q.prompt) for q in bank.questions]


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_questions_table_lists_every_question(bank_id: str) -> None:
    bank = coach.load_bank(bank_id)
    rows = table_rows(ok(run_cli("questions", bank_id)).stdout)
    rows = [row for row in rows if len(row) > 1]  # a long prompt goes on over more lines
    assert [row[:3] for row in rows] == [[q.id, q.kind, f"{q.points:g}"] for q in bank.questions]


def test_questions_accepts_a_bank_path(tiny_path: Path) -> None:
    rows = json.loads(ok(run_cli("questions", tiny_path, "--json")).stdout)
    assert rows == [
        {
            "id": "freeze",
            "kind": "situational",
            "points": 10,
            "prompt": "客户的银行卡被冻结，要求你立刻解冻，你会怎么做？",
            "added": False,
        }
    ]
    table = table_rows(ok(run_cli("questions", tiny_path)).stdout)
    assert [row[:3] for row in table] == [["freeze", "situational", "10"]]


def test_questions_unknown_bank() -> None:
    line = one_error_line(run_cli("questions", "no-such-bank"), "no-such-bank")
    for bank_id in BUILTIN_IDS:
        assert bank_id in line  # the message lists what exists


def test_questions_invalid_bank_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY_BANK.replace("points: 10", "points: 11"), encoding="utf-8")
    result = run_cli("questions", bad)
    assert result.returncode == 1
    one_error_line(result, str(bad), "questions.0")


# ------------------------------------------------------------------------------------ grade


def test_grade_answer_json(first_question: tuple[str, coach.Question]) -> None:
    bank_id, question = first_question
    result = grade_json(bank_id, question.id, "--answer", question.model_answer)
    assert result.method == "keyword"
    assert result.bank_id == bank_id
    assert result.question_id == question.id
    assert result.max_score == question.points
    assert [c.id for c in result.criteria] == [c.id for c in question.criteria]


def test_grade_answer_sources_agree(tiny_path: Path, tmp_path: Path) -> None:
    answer_file = tmp_path / "answer.txt"
    answer_file.write_text(TINY_STRONG, encoding="utf-8")
    by_arg = grade_json(tiny_path, "freeze", "--answer", TINY_STRONG)
    by_file = grade_json(tiny_path, "freeze", "--answer-file", answer_file)
    by_stdin = grade_json(tiny_path, "freeze", stdin=TINY_STRONG)
    by_position = grade_json(tiny_path, "freeze", TINY_STRONG)  # `coach grade BANK Q ANSWER`
    by_arg_offline = grade_json(tiny_path, "freeze", "--offline", "--answer", TINY_STRONG)
    assert by_arg == by_file == by_stdin == by_position
    # With no LLM configured the default mode grades offline and says so.
    assert by_arg.status == "fallback"
    assert by_arg.fallback_reason is not None and "no LLM configured" in by_arg.fallback_reason
    assert by_arg_offline.status == "graded"
    assert by_arg_offline.fallback_reason is None
    unlabelled = {"status": "graded", "fallback_reason": None}
    assert by_arg.model_copy(update=unlabelled) == by_arg_offline
    assert by_arg.bank_id == "tiny"
    assert by_arg.question_id == "freeze"
    assert by_arg.method == "keyword"
    assert by_arg.max_score == 10


def test_an_answer_is_given_once(tiny_path: Path) -> None:
    twice = run_cli("grade", tiny_path, "freeze", TINY_STRONG, "--answer", TINY_WEAK)
    assert twice.returncode == 2 and "not allowed with argument ANSWER" in twice.stderr
    assert twice.stdout == ""


def test_grade_tiny_bank_exact_scores(tiny_path: Path) -> None:
    strong = grade_json(tiny_path, "freeze", "--answer", TINY_STRONG)
    assert strong.score == strong.max_score == 10
    assert strong.percent == 100
    assert strong.deductions == []
    assert {c.id: c.points for c in strong.criteria} == {"soothe": 4, "process": 6}

    promise = TINY_STRONG + "您放心，我保证解冻。"
    deducted = grade_json(tiny_path, "freeze", "--answer", promise)
    assert [d.id for d in deducted.deductions] == ["promise"]
    assert deducted.score == 7


def test_strong_answer_beats_weak_answer_on_tiny_bank(tiny_path: Path) -> None:
    strong = grade_json(tiny_path, "freeze", "--answer", TINY_STRONG)
    weak = grade_json(tiny_path, "freeze", "--answer", TINY_WEAK)
    assert strong.score > weak.score


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_model_answer_beats_weak_answer(bank_id: str) -> None:
    question = coach.load_bank(bank_id).questions[0]
    strong = grade_json(bank_id, question.id, "--offline", "--answer", question.model_answer)
    weak = grade_json(bank_id, question.id, "--offline", "--answer", "我会认真对待，尽力做好。")
    assert strong.score > weak.score
    assert strong.score > 0


def test_grade_human_report(first_question: tuple[str, coach.Question]) -> None:
    bank_id, question = first_question
    report = ok(run_cli("grade", bank_id, question.id, "--answer", question.model_answer)).stdout
    result = grade_json(bank_id, question.id, "--answer", question.model_answer)
    lines = report.splitlines()
    assert f"Question {question.id}: {question.prompt}" in lines
    score_line = (
        f"Score: {result.score:g} / {result.max_score:g} ({result.percent:g}%)  "
        f"[keyword, {result.status}]"
    )
    assert score_line in lines
    assert re.search(r"^criterion\s+points\s+why$", report, re.MULTILINE)
    for criterion in result.criteria:
        assert re.search(
            rf"^{re.escape(criterion.name)}\s+{criterion.points:g}/{criterion.max_points:g}\b",
            report,
            re.MULTILINE,
        ), criterion.name


def test_grade_human_report_shows_deduction(tiny_path: Path) -> None:
    report = ok(run_cli("grade", tiny_path, "freeze", "--answer", TINY_STRONG + "我保证解冻。"))
    assert "Score: 7 / 10 (70%)" in report.stdout
    assert "Deduction -3: 未经审核就承诺立即解冻" in report.stdout
    assert "保证解冻" in report.stdout


def test_grade_survives_an_ascii_only_terminal(tiny_path: Path) -> None:
    result = run_cli(
        "grade", tiny_path, "freeze", "--answer", TINY_STRONG, env={"PYTHONIOENCODING": "ascii"}
    )
    ok(result)
    assert "Score: 10 / 10 (100%)" in result.stdout
    assert "\\u" in result.stdout  # Chinese escaped, not a UnicodeEncodeError


def test_grade_json_is_deterministic(first_question: tuple[str, coach.Question]) -> None:
    bank_id, question = first_question
    args = ("grade", bank_id, question.id, "--json", "--answer", question.model_answer)
    first = ok(run_cli(*args, env={"PYTHONHASHSEED": "1"}))
    second = ok(run_cli(*args, env={"PYTHONHASHSEED": "2"}))
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stdout_bytes  # not trivially equal


# ----------------------------------------------------------------------------- grade errors


def test_grade_unknown_bank() -> None:
    one_error_line(run_cli("grade", "no-such-bank", "q1", "--answer", "回答"), "no-such-bank")


def test_grade_missing_bank_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    one_error_line(run_cli("grade", missing, "q1", "--answer", "回答"), "missing.yaml")


def test_grade_unknown_question(tiny_path: Path) -> None:
    line = one_error_line(
        run_cli("grade", tiny_path, "no-such-question", "--answer", "回答"), "no-such-question"
    )
    assert "freeze" in line  # the message lists the questions that exist


def test_grade_unknown_question_in_builtin_bank(first_question: tuple[str, coach.Question]) -> None:
    bank_id, _ = first_question
    one_error_line(run_cli("grade", bank_id, "zz-none", "--answer", "回答"), "zz-none")


def test_grade_missing_answer_file(tiny_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = run_cli("grade", tiny_path, "freeze", "--answer-file", missing)
    one_error_line(result, "nope.txt")


def test_grade_unreadable_answer_file(tiny_path: Path, tmp_path: Path) -> None:
    result = run_cli("grade", tiny_path, "freeze", "--answer-file", tmp_path)  # a directory
    one_error_line(result, "cannot read answer file")


def test_grade_answer_file_that_is_not_text(tiny_path: Path, tmp_path: Path) -> None:
    # GBK, Big5 and UTF-16 answers are read (tests/cli/test_encoding_cli.py); bytes that are
    # text in none of the encodings tried are refused, naming the file and --encoding.
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)))
    result = run_cli("grade", tiny_path, "freeze", "--answer-file", junk)
    one_error_line(result, "junk.txt", "does not look like text", "--encoding")


@pytest.mark.parametrize(
    ("how", "value"),
    [
        ("--answer", ""),
        ("--answer", "   "),
        ("--answer", " \n\t\u3000"),
        ("stdin", ""),
        ("stdin", "  \n\n "),
        ("file", ""),
        ("file", "\n \n"),
    ],
    ids=[
        "arg-empty",
        "arg-spaces",
        "arg-mixed",
        "stdin-empty",
        "stdin-space",
        "file-empty",
        "file-sp",
    ],
)
def test_grade_empty_answer(tiny_path: Path, tmp_path: Path, how: str, value: str) -> None:
    if how == "--answer":
        result = run_cli("grade", tiny_path, "freeze", "--answer", value)
    elif how == "stdin":
        result = run_cli("grade", tiny_path, "freeze", stdin=value)
    else:
        answer_file = tmp_path / "answer.txt"
        answer_file.write_text(value, encoding="utf-8")
        result = run_cli("grade", tiny_path, "freeze", "--answer-file", answer_file)
    one_error_line(result, "empty")
    assert result.stdout == ""


def test_grade_answer_and_answer_file_are_exclusive(tiny_path: Path, tmp_path: Path) -> None:
    answer_file = tmp_path / "a.txt"
    answer_file.write_text(TINY_STRONG, encoding="utf-8")
    result = run_cli("grade", tiny_path, "freeze", "--answer", "x", "--answer-file", answer_file)
    assert result.returncode == 2
    assert "not allowed with" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------- validate


def test_validate_good_file(tiny_path: Path) -> None:
    result = ok(run_cli("validate", tiny_path))
    assert result.stdout == f"ok {tiny_path}: bank 'tiny', 1 question\n"


@pytest.mark.parametrize(
    ("after", "extra", "field"),
    [
        ("role: 银行客服", "colour: red", "colour"),
        ("    kind: situational", "    colour: red", "questions.0.colour"),
        (
            "            text: 记录客户诉求",
            "            colour: red",
            "questions.0.criteria.0.key_points.1.colour",
        ),
    ],
    ids=["top-level", "question", "key-point"],
)
def test_validate_unknown_key(tmp_path: Path, after: str, extra: str, field: str) -> None:
    lines = list(TINY_BANK_LINES)
    line_no = _line_of(lines, after) + 1
    lines.insert(line_no - 1, extra)
    bad = tmp_path / "typo.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", bad)
    assert result.returncode == 1
    message = one_error_line(result, f"{bad}:{line_no} ", field, "unknown field `colour`")
    assert "the fields here: id, " in message  # nothing close enough to suggest
    assert result.stdout == ""


def test_validate_yaml_syntax_error(tmp_path: Path) -> None:
    lines = list(TINY_BANK_LINES)
    line_no = _line_of(lines, "title: CLI 测试题库")
    lines[line_no - 1] = "title: CLI: 测试题库"  # a second ': ' on one line
    bad = tmp_path / "syntax.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", bad)
    assert result.returncode == 1
    one_error_line(result, f"{bad}:{line_no}:", "not valid YAML")


def test_validate_wrong_points_names_the_question_line(tmp_path: Path) -> None:
    text = TINY_BANK.replace("    points: 10\n", "    points: 12\n")
    bad = tmp_path / "points.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run_cli("validate", bad)
    # The error is the question's own; it points at the question's first line.
    line_no = _line_of(TINY_BANK_LINES, "  - id: freeze")
    one_error_line(result, f"{bad}:{line_no} ", "questions.0", "add up to 10")


def test_validate_many_files_one_bad(tiny_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    second = tmp_path / "second.yaml"
    second.write_text(TINY_BANK.replace("id: tiny", "id: tiny-two"), encoding="utf-8")
    result = run_cli("validate", tiny_path, bad, second)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"ok {tiny_path}: bank 'tiny', 1 question",
        f"ok {second}: bank 'tiny-two', 1 question",
    ]
    one_error_line(result, str(bad))


def test_validate_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = run_cli("validate", missing)
    assert result.returncode == 1
    one_error_line(result, str(missing), "cannot read")


def test_validate_non_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    one_error_line(run_cli("validate", bad), str(bad), "mapping")


# --------------------------------------------------------------------------- schema and demo


def test_schema_is_json_schema() -> None:
    schema = json.loads(ok(run_cli("schema")).stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "language", "questions"} <= set(schema["properties"])
    assert "questions" in schema["required"]


def test_schema_accepts_the_tiny_bank_and_rejects_a_typo() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(ok(run_cli("schema")).stdout)
    data = yaml.safe_load(TINY_BANK)
    jsonschema.validate(data, schema)
    data["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_demo_prints_a_table() -> None:
    result = ok(run_cli("demo"))
    header, _, body = result.stdout.partition("\n\n")
    assert "no network" in header
    rows = table_rows(body)
    samples = yaml.safe_load((data_dir() / "examples" / "demo_answers.yaml").read_text("utf-8"))
    expected = [f"{s['bank']}/{s['question']}" for s in samples["answers"]]
    assert [row[0] for row in rows] == expected
    for line in body.splitlines()[2:]:
        assert re.search(r"\s[\d.]+/[\d.]+\s+[\d.]+%\s", line), line


def test_grade_mode_llm_without_an_llm_says_which_flag_to_pass(
    first_question: tuple[str, coach.Question],
) -> None:
    bank_id, question = first_question
    run = run_cli("grade", bank_id, question.id, "--mode", "llm", "--answer", question.model_answer)
    assert run.returncode == 1 and run.stdout == ""
    assert "--base-url" in run.stderr and "OPENAI_API_KEY" in run.stderr
    assert "client=" not in run.stderr and "Traceback" not in run.stderr
