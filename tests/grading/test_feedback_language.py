"""`feedback_language` offline: the grader's own sentences in the language asked for, the score
and the rubric's own texts unchanged."""

from __future__ import annotations

import json
import re

import pytest

import coach
from tests.cli.support import in_process, ok
from tests.support import MINI_ANSWER

ENGLISH_BANK = """\
id: en-mini
title: English practice
language: en
role: Customer service
source: written for the tests
questions:
  - id: complaint
    kind: situational
    prompt: How do you handle an angry customer?
    points: 10
    criteria:
      - id: empathy
        name: Empathy
        points: 10
        description: Acknowledges the customer's feelings
        key_points:
          - id: listen
            text: listen without interrupting
            variants: [listened, without interrupting]
          - id: apologise
            text: apologise for the trouble
            variants: [apologised, apologise, sorry]
    model_answer: I listen without interrupting and apologise for the trouble.
"""
CJK = re.compile(r"[\u4e00-\u9fff]")
SHORT = "先安抚客户情绪。"  # too short, misses most key points


def _own_sentences(result: coach.GradeResult, bank: coach.Bank) -> list[str]:
    """The grader's own text in a result, with the rubric's texts (names, key points, the model
    answer, the follow-ups it lists) taken out."""
    question = bank.question(result.question_id)
    rubric = [question.model_answer.strip(), *question.follow_ups]
    for criterion in question.criteria:
        rubric += [criterion.name, *(kp.text for kp in criterion.key_points)]
    texts = [f.message for f in result.flags]
    texts += [c.rationale for c in result.criteria]
    texts += [tip.text for tip in result.improvements]
    texts += [s.text for s in result.strengths]
    texts += [f.question for f in result.follow_up_questions if f.source != "rubric"]
    if result.improved_answer is not None:
        texts.append(result.improved_answer.label)
    stripped = []
    for text in texts:
        for own in sorted(rubric, key=len, reverse=True):
            text = text.replace(own, "")
        stripped.append(text)
    return stripped


def test_english_feedback_for_a_chinese_bank(mini: coach.Bank) -> None:
    chinese = coach.grade_offline(mini, "atm", SHORT)
    english = coach.grade_offline(mini, "atm", SHORT, feedback_language="en")
    assert (
        english.score == chinese.score and english.criteria[0].points == chinese.criteria[0].points
    )
    assert {f.code for f in english.flags} == {f.code for f in chinese.flags} >= {"too_short"}
    assert english.criteria[0].rationale.startswith("Key points hit")
    assert chinese.criteria[0].rationale.startswith("命中要点")
    own = _own_sentences(english, mini)
    assert own and all(not CJK.search(text) for text in own), own
    assert any(CJK.search(text) for text in _own_sentences(chinese, mini))


def test_chinese_feedback_for_an_english_bank() -> None:
    bank = coach.parse_bank(ENGLISH_BANK)
    answer = "I listened to him and apologised."
    english = coach.grade_offline(bank, "complaint", answer)
    chinese = coach.grade_offline(bank, "complaint", answer, feedback_language="zh")
    assert chinese.score == english.score
    assert english.criteria[0].rationale.startswith("Key points hit")
    assert chinese.criteria[0].rationale.startswith("命中要点")
    assert any(f.message.startswith("回答过短") for f in chinese.flags)


def test_the_language_mismatch_names_the_banks_language(mini: coach.Bank) -> None:
    answer = (
        "First I would calm the customer down and write down what they need, then explain "
        "that the frozen account must be reviewed before it can be unfrozen."
    )
    result = coach.grade_offline(mini, "atm", answer, feedback_language="en")
    [mismatch] = [f for f in result.flags if f.code == "language_mismatch"]
    assert mismatch.message == "The answer is not in the bank's language (Chinese)."


@pytest.mark.parametrize("where", ["grader", "call"])
def test_keyword_grader_and_grader_take_it_too(mini: coach.Bank, where: str) -> None:
    at_init = {"feedback_language": "en"} if where == "grader" else {}
    per_call = {"feedback_language": "en"} if where == "call" else {}
    keyword = coach.KeywordGrader(**at_init).grade(mini, "atm", MINI_ANSWER, **per_call)
    offline = coach.Grader(mode="keyword", **at_init).grade(mini, "atm", MINI_ANSWER, **per_call)
    assert keyword.model_dump_json() == offline.model_dump_json()
    assert keyword.criteria[0].rationale.startswith("Key points hit")


def test_an_unconfigured_grader_falls_back_in_the_language_asked_for(
    mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    result = coach.Grader(feedback_language="en").grade(mini, "atm", MINI_ANSWER)
    assert result.status == "fallback"
    assert result.criteria[0].rationale.startswith("Key points hit")


def test_one_grader_keeps_both_languages_apart(mini: coach.Bank) -> None:
    grader = coach.KeywordGrader()
    english = grader.grade(mini, "atm", MINI_ANSWER, feedback_language="en")
    chinese = grader.grade(mini, "atm", MINI_ANSWER)
    assert english.criteria[0].rationale.startswith("Key points hit")
    assert chinese.criteria[0].rationale.startswith("命中要点")
    assert (
        chinese.model_dump_json() == coach.grade_offline(mini, "atm", MINI_ANSWER).model_dump_json()
    )


def test_the_cli_offline(capsys: pytest.CaptureFixture[str]) -> None:
    run = ok(
        in_process(
            capsys,
            "grade",
            "finance-cs-manager",
            "s2",
            "--offline",
            "--feedback-language",
            "en",
            "--answer",
            SHORT,
            "--json",
        )
    )
    result = json.loads(run.stdout)
    assert result["criteria"][0]["rationale"].startswith("Key points hit")
    assert any(f["message"].startswith("The answer is too short") for f in result["flags"])
