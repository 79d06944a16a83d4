"""`coach show`, whole prompts in `coach questions`, and `coach grade` with no LLM configured."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import coach
from coach.reports.text import width, wrap_text
from tests.cli.support import cli_env, in_process, ok, one_error_line, run_cli

BUILTIN_IDS = coach.builtin_bank_ids()
ANSWER = "我会先安抚客户的情绪，告诉他别着急，然后核实身份，说明需要按规定审核后才能解冻。"


def _flat(text: str) -> str:
    """Text with its wrapping undone: no line breaks, no indentation, no spaces."""
    return "".join(text.split())


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_show_prints_every_part_of_every_question(
    bank_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = coach.load_bank(bank_id)
    for question in bank.questions:
        shown = ok(in_process(capsys, "show", bank_id, question.id)).stdout
        flat = _flat(shown)
        assert _flat(question.prompt) in flat
        assert f"{question.points:g} points" in shown
        for criterion in question.criteria:
            assert f"{criterion.name} [{criterion.id}], {criterion.points:g} points" in shown
            for kp in criterion.key_points:
                assert _flat(kp.text) in flat and f"[{kp.id}]" in flat
        for deduction in question.deductions:
            assert _flat(f"{deduction.description} (-{deduction.points:g})") in flat
        for follow_up in question.follow_ups:
            assert _flat(follow_up) in flat
        assert _flat(question.model_answer) in flat
        assert all(width(line) <= 78 for line in shown.splitlines()), shown


def test_show_json_is_the_question_as_the_rubric_holds_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = json.loads(
        ok(in_process(capsys, "show", "finance-cs-manager", "s2", "--json")).stdout
    )
    bank = coach.load_bank("finance-cs-manager")
    assert document.pop("bank") == "finance-cs-manager"
    assert document.pop("bank_title") == bank.title and document.pop("language") == "zh"
    assert coach.Question.model_validate(document) == bank.question("s2")


def test_show_names_an_unknown_question() -> None:
    one_error_line(run_cli("show", "finance-cs-manager", "nope"), "nope")


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_questions_shows_every_prompt_whole(
    bank_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = ok(in_process(capsys, "questions", bank_id)).stdout
    assert "…" not in shown
    body = shown.splitlines()[2:]
    starts = [i for i, line in enumerate(body) if not line.startswith(" ")]
    ends = [*starts[1:], len(body)]
    prompts = []
    for start, end in zip(starts, ends, strict=True):
        first = body[start].split(None, 3)[3]
        prompts.append(first + "".join(line.strip() for line in body[start + 1 : end]))
    bank = coach.load_bank(bank_id)
    assert [_flat(p) for p in prompts] == [_flat(q.prompt) for q in bank.questions]


def test_wrapping_keeps_words_and_punctuation() -> None:
    english = "When the account is frozen, what would you do first, and how would you explain it?"
    lines = wrap_text(english, 30)
    assert " ".join(lines) == english
    assert all(width(line) <= 30 for line in lines)
    chinese = "客户在ATM取款时误操作导致账户冻结，要求你立刻解冻，你会怎么做？"
    lines = wrap_text(chinese, 20)
    assert "".join(lines) == chinese
    assert not any(line[0] in "，。？" for line in lines)
    assert wrap_text("x" * 50, 20) == ["x" * 20, "x" * 20, "x" * 10]


def test_grade_with_no_llm_configured_never_loads_the_sdk() -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "coach",
            "grade",
            "finance-cs-manager",
            "s2",
            "--answer",
            ANSWER,
            "--json",
        ],
        capture_output=True,
        env=cli_env(),
        timeout=60,
        check=True,
    )
    result = coach.GradeResult.model_validate_json(probe.stdout)
    assert (result.method, result.status) == ("keyword", "fallback")
    imported = {line.split("|")[-1].strip() for line in probe.stderr.decode().splitlines()}
    assert "coach.grading.keyword" in imported  # the probe sees what was imported
    assert not {name for name in imported if name.split(".")[0] in ("openai", "httpx", "httpx2")}


def test_the_fallback_reason_speaks_in_cli_terms() -> None:
    run = ok(run_cli("grade", "finance-cs-manager", "s2", "--answer", ANSWER))
    [line] = [line for line in run.stdout.splitlines() if line.startswith("Fallback:")]
    assert "--base-url" in line and "OPENAI_API_KEY" in line
    assert "client=" not in line
    offline = json.loads(
        ok(
            run_cli("grade", "finance-cs-manager", "s2", "--answer", ANSWER, "--offline", "--json")
        ).stdout
    )
    fallback = json.loads(
        ok(run_cli("grade", "finance-cs-manager", "s2", "--answer", ANSWER, "--json")).stdout
    )
    assert fallback.pop("status") == "fallback" and offline.pop("status") == "graded"
    assert offline.pop("fallback_reason") is None and fallback.pop("fallback_reason")
    assert fallback == offline  # the same grade, labelled
